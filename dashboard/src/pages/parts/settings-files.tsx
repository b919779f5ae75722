// Settings → Files: the limits on deliverable files (docs/files.md), shown and typed in MiB and GiB,
// saved in bytes through PUT /api/admin/config { files: {...} }.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { Field } from "../../components/field";
import { filesSettings } from "../../i18n/en/files";
import { settingsText } from "../../i18n/en/settings";
import type { AdminConfig } from "../../lib/types";
import { putConfig, SaveRow, Section, type SectionProps, useSave } from "./settings-form";

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** The limits as the config API holds them, in bytes and files. */
type FileLimits = AdminConfig["files"];

/**
 * The bounds the config API enforces (worker/routes/admin-config.ts: 1 KiB…100 MiB, 1…200 files,
 * 1 MiB…1 TiB), in the units the form shows; the smallest sizes are rounded up to two decimals.
 */
const BOUNDS = {
  maxFile: { min: 0.01, max: 100 },
  maxFiles: { min: 1, max: 200 },
  maxTotal: { min: 0.01, max: 1024 },
};

/** 25 MiB → "25", 1.5 GiB → "1.5": at most two decimals, no trailing zeros. */
const inUnit = (bytes: number, unit: number): string => String(Math.round((bytes / unit) * 100) / 100);

export function FilesSection({ config, onSaved }: SectionProps) {
  const limits: FileLimits = config.files;
  const page = useStore(settingsText);
  const t = useStore(filesSettings);
  const [maxFile, setMaxFile] = useState(inUnit(limits.max_file_bytes, MIB));
  const [maxFiles, setMaxFiles] = useState(String(limits.max_files_per_version));
  const [maxTotal, setMaxTotal] = useState(inUnit(limits.max_total_bytes, GIB));
  const [busy, status, run] = useSave();

  /** The typed value checked against its bounds (the message names the field), in the form's unit. */
  const checked = (value: string, field: string, bounds: { min: number; max: number }, whole = false): number => {
    const n = Number(value);
    if (
      value.trim() === "" ||
      !Number.isFinite(n) ||
      n < bounds.min ||
      n > bounds.max ||
      (whole && !Number.isInteger(n))
    )
      throw new Error(t.invalidNumber({ field, min: bounds.min, max: bounds.max }));
    return n;
  };
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const files = {
        max_file_bytes: Math.round(checked(maxFile, t.maxFile, BOUNDS.maxFile) * MIB),
        max_files_per_version: checked(maxFiles, t.maxFiles, BOUNDS.maxFiles, true),
        max_total_bytes: Math.round(checked(maxTotal, t.maxTotal, BOUNDS.maxTotal) * GIB),
      };
      await putConfig({ files });
      onSaved();
      return page.saved;
    });
  };
  const number = (
    label: string,
    hint: string,
    name: string,
    value: string,
    set: (v: string) => void,
    bounds: { min: number; max: number },
    step: string,
  ) => (
    <Field label={label} hint={hint}>
      {(id, d) => (
        <input
          id={id}
          name={name}
          aria-describedby={d}
          type="number"
          min={bounds.min}
          max={bounds.max}
          step={step}
          inputMode="decimal"
          value={value}
          onInput={(e) => set(e.currentTarget.value)}
        />
      )}
    </Field>
  );
  return (
    <Section id="files" title={t.title} intro={t.intro}>
      <form onSubmit={submit} noValidate data-testid="settings-files">
        <div class="grid grid-3 tight">
          {number(t.maxFile, t.maxFileHint, "files-max-file", maxFile, setMaxFile, BOUNDS.maxFile, "any")}
          {number(t.maxFiles, t.maxFilesHint, "files-max-files", maxFiles, setMaxFiles, BOUNDS.maxFiles, "1")}
          {number(t.maxTotal, t.maxTotalHint, "files-max-total", maxTotal, setMaxTotal, BOUNDS.maxTotal, "any")}
        </div>
        <SaveRow busy={busy} status={status} />
      </form>
    </Section>
  );
}
