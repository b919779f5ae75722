// What every settings section shares: the section frame, the save button with its result line, and
// the PUT of a part of the config.
import { useStore } from "@nanostores/preact";
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { Notice } from "../../components/states";
import { settingsText } from "../../i18n/en/settings";
import { api, errorMessage } from "../../lib/api";
import type { AdminConfig, ConfigUpdated } from "../../lib/types";

export type Status = { kind: "ok" | "error"; text: string } | null;

export interface SectionProps {
  config: AdminConfig;
  onSaved: () => void;
}

/** Busy flag and result line of one form's save; `fn` resolves to the success line. */
export function useSave(): [boolean, Status, (fn: () => Promise<string>) => Promise<void>] {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    setStatus(null);
    try {
      setStatus({ kind: "ok", text: await fn() });
    } catch (err) {
      setStatus({ kind: "error", text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return [busy, status, run];
}

export const putConfig = (body: Record<string, unknown>) =>
  api<ConfigUpdated>("/api/admin/config", { method: "PUT", body });

export function Section({
  id,
  title,
  intro,
  children,
}: {
  id: string;
  title: string;
  intro?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <section id={id} class="card settings-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {intro ? <p class="muted">{intro}</p> : null}
      {children}
    </section>
  );
}

export function SaveRow({ busy, status, label }: { busy: boolean; status: Status; label?: string }) {
  const t = useStore(settingsText);
  return (
    <div class="form-actions">
      <button type="submit" class="btn btn-primary" disabled={busy}>
        {busy ? t.saving : (label ?? t.save)}
      </button>
      {status ? <Notice kind={status.kind}>{status.text}</Notice> : null}
    </div>
  );
}
