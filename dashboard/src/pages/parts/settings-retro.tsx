// Settings → Retrospectives: when the cron writes one (daily, weekly, off), the zone whose days and
// ISO weeks are the periods, and how many days they are kept.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { RETRO_SCHEDULES, type RetroSchedule } from "../../../../contract/vocabulary";
import { Field } from "../../components/field";
import { retroScheduleLabels } from "../../i18n/en/enums";
import { retroSettings } from "../../i18n/en/retros";
import { settingsText } from "../../i18n/en/settings";
import { labelOf } from "../../lib/format";
import { isKnownZone } from "./schedule-words";
import { putConfig, SaveRow, Section, type SectionProps, useSave } from "./settings-form";
import { ZoneField } from "./zone-field";

/** The bounds the config API enforces (worker/routes/admin-config.ts). */
const RETENTION = { min: 1, max: 3650 };

export function RetroSection({ config, onSaved }: SectionProps) {
  const page = useStore(settingsText);
  const t = useStore(retroSettings);
  const labels = useStore(retroScheduleLabels);
  const [schedule, setSchedule] = useState<RetroSchedule>(config.retro.schedule);
  const [zone, setZone] = useState(config.retro.time_zone);
  const [retention, setRetention] = useState(String(config.retro.retention_days));
  const [busy, status, run] = useSave();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const tz = zone.trim();
      if (!isKnownZone(tz)) throw new Error(t.zoneInvalid);
      const days = Number(retention);
      if (!Number.isInteger(days) || days < RETENTION.min || days > RETENTION.max) throw new Error(t.retentionInvalid);
      await putConfig({ retro: { schedule, time_zone: tz, retention_days: days } });
      onSaved();
      return page.saved;
    });
  };
  return (
    <Section id="retrospectives" title={page.retrospectives} intro={t.intro}>
      <form onSubmit={submit} noValidate data-testid="settings-retro">
        <fieldset class="checks">
          <legend>{t.schedule}</legend>
          {RETRO_SCHEDULES.map((value) => (
            <label key={value} class="check">
              <input
                type="radio"
                name="retro-schedule"
                value={value}
                checked={schedule === value}
                onChange={() => setSchedule(value)}
              />
              <span>{labelOf(labels, value)}</span>
            </label>
          ))}
        </fieldset>
        <div class="grid grid-2 tight">
          <ZoneField label={t.zone} hint={t.zoneHint} name="retro-time-zone" value={zone} onInput={setZone} />
          <Field label={t.retention} hint={t.retentionHint}>
            {(id, d) => (
              <input
                id={id}
                name="retro-retention"
                aria-describedby={d}
                type="number"
                min={RETENTION.min}
                max={RETENTION.max}
                step={1}
                inputMode="numeric"
                value={retention}
                onInput={(e) => setRetention(e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
        <SaveRow busy={busy} status={status} />
      </form>
    </Section>
  );
}
