// The "make recurring" / "change schedule" dialog: cron or every-N, zone, policy. The template is the
// task's current sub-tasks (from_sub_tasks) when the task gets its first schedule or when the admin
// asks; otherwise a change keeps the template the schedule has.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { Field } from "../../components/field";
import { scheduleForm } from "../../i18n/en/schedule";
import { api } from "../../lib/api";
import { viewerZone } from "./schedule-words";
import type { RecurringConfig, RecurringSchedule, TaskSchedule } from "./types";
import { Dialog, FormActions, useAction } from "./ui";
import { ZoneField } from "./zone-field";

type Unit = "minutes" | "hours" | "days";

/** An ISO time as a datetime-local value in the viewer's zone ("2026-12-05T09:00"). */
function localInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
const isoOf = (local: string): string | null => (local ? new Date(local).toISOString() : null);

export function ScheduleDialog({
  taskId,
  current,
  hasSubTasks,
  onClose,
  onSaved,
}: {
  taskId: string;
  current: TaskSchedule | null;
  hasSubTasks: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useStore(scheduleForm);
  const was = current?.recurring_config;
  const s = was?.schedule;
  const [kind, setKind] = useState<"cron" | "every">(s?.kind ?? "cron");
  const [expr, setExpr] = useState(s?.kind === "cron" ? s.expr : "0 9 * * *");
  const [every, setEvery] = useState(s?.kind === "every" ? String(s.every) : "1");
  const [unit, setUnit] = useState<Unit>(s?.kind === "every" ? s.unit : "days");
  const [startAt, setStartAt] = useState(localInput(s?.kind === "every" ? s.start_at : null));
  const [zone, setZone] = useState(s?.tz ?? viewerZone());
  const [policy, setPolicy] = useState(was?.policy.when_unfinished ?? "skip");
  const [maxOpen, setMaxOpen] = useState(String(was?.policy.max_open_rounds ?? 3));
  const [endsAt, setEndsAt] = useState(localInput(was?.policy.ends_at));
  const [maxRounds, setMaxRounds] = useState(was?.policy.max_rounds ? String(was.policy.max_rounds) : "");
  // A first schedule always takes the current sub-tasks; a change keeps its template unless asked.
  const [retemplate, setRetemplate] = useState(current === null);
  const { busy, error, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const tz = zone.trim();
      let schedule: RecurringSchedule;
      if (kind === "cron") {
        if (expr.trim().split(/\s+/).length !== 5) throw new Error(t.exprInvalid);
        schedule = { kind, expr: expr.trim(), tz };
      } else {
        const n = Number(every);
        if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(t.everyInvalid);
        const start = isoOf(startAt);
        schedule = { kind, every: n, unit, tz, ...(start ? { start_at: start } : {}) };
      }
      const open = Number(maxOpen);
      if (policy === "stack" && (!Number.isInteger(open) || open < 1 || open > 10)) throw new Error(t.maxOpenInvalid);
      const limit = maxRounds.trim() === "" ? null : Number(maxRounds);
      if (limit !== null && (!Number.isInteger(limit) || limit < 1)) throw new Error(t.maxRoundsInvalid);
      const newPolicy: RecurringConfig["policy"] = {
        when_unfinished: policy,
        max_open_rounds: policy === "stack" ? open : (was?.policy.max_open_rounds ?? 3),
        ends_at: isoOf(endsAt),
        max_rounds: limit,
      };
      const body =
        retemplate || !was
          ? { schedule, policy: newPolicy, from_sub_tasks: true }
          : { ...was, schedule, policy: newPolicy };
      await api(`/api/tasks/${encodeURIComponent(taskId)}/schedule`, { method: "PUT", body });
      onSaved();
      onClose();
    });
  };

  const cannotTemplate = retemplate && !hasSubTasks;
  return (
    <Dialog title={current ? t.editTitle : t.createTitle} onClose={onClose} wide>
      <form onSubmit={submit} noValidate data-testid="schedule-form">
        <p class="muted">{t.intro}</p>
        <fieldset class="checks">
          <legend>{t.kind}</legend>
          <label class="check">
            <input type="radio" name="kind" checked={kind === "cron"} onChange={() => setKind("cron")} />
            <span>{t.kindCron}</span>
          </label>
          <label class="check">
            <input type="radio" name="kind" checked={kind === "every"} onChange={() => setKind("every")} />
            <span>{t.kindEvery}</span>
          </label>
        </fieldset>
        {kind === "cron" ? (
          <Field label={t.expr} hint={t.exprHint}>
            {(id, d) => (
              <input
                id={id}
                name="expr"
                aria-describedby={d}
                class="mono"
                maxLength={100}
                value={expr}
                onInput={(e) => setExpr(e.currentTarget.value)}
              />
            )}
          </Field>
        ) : (
          <div class="grid grid-2 tight">
            <Field label={t.every}>
              {(id) => (
                <input
                  id={id}
                  name="every"
                  type="number"
                  min={1}
                  max={1000}
                  step={1}
                  inputMode="numeric"
                  value={every}
                  onInput={(e) => setEvery(e.currentTarget.value)}
                />
              )}
            </Field>
            <Field label={t.unit}>
              {(id) => (
                <select id={id} name="unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value as Unit)}>
                  <option value="minutes">{t.minutes}</option>
                  <option value="hours">{t.hours}</option>
                  <option value="days">{t.days}</option>
                </select>
              )}
            </Field>
            <Field label={t.startAt} hint={t.startAtHint}>
              {(id, d) => (
                <input
                  id={id}
                  aria-describedby={d}
                  type="datetime-local"
                  value={startAt}
                  onInput={(e) => setStartAt(e.currentTarget.value)}
                />
              )}
            </Field>
          </div>
        )}
        <ZoneField label={t.zone} hint={t.zoneHint} name="tz" value={zone} onInput={setZone} />
        <div class="grid grid-2 tight">
          <Field label={t.whenUnfinished}>
            {(id) => (
              <select
                id={id}
                name="when_unfinished"
                value={policy}
                onChange={(e) => setPolicy(e.currentTarget.value === "stack" ? "stack" : "skip")}
              >
                <option value="skip">{t.skip}</option>
                <option value="stack">{t.stack}</option>
              </select>
            )}
          </Field>
          {policy === "stack" ? (
            <Field label={t.maxOpen}>
              {(id) => (
                <input
                  id={id}
                  name="max_open_rounds"
                  type="number"
                  min={1}
                  max={10}
                  value={maxOpen}
                  onInput={(e) => setMaxOpen(e.currentTarget.value)}
                />
              )}
            </Field>
          ) : null}
          <Field label={t.endsAt}>
            {(id) => (
              <input id={id} type="datetime-local" value={endsAt} onInput={(e) => setEndsAt(e.currentTarget.value)} />
            )}
          </Field>
          <Field label={t.maxRounds}>
            {(id) => (
              <input
                id={id}
                name="max_rounds"
                type="number"
                min={1}
                value={maxRounds}
                onInput={(e) => setMaxRounds(e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
        {current ? (
          <label class="switch">
            <input type="checkbox" checked={retemplate} onChange={(e) => setRetemplate(e.currentTarget.checked)} />
            <span>{t.retemplate}</span>
          </label>
        ) : null}
        {current && !retemplate ? <p class="hint">{t.retemplateHint}</p> : null}
        {cannotTemplate ? <p class="notice">{t.noSubTasks}</p> : null}
        <FormActions
          busy={busy}
          error={error}
          submit={t.save}
          busyLabel={t.saving}
          onCancel={onClose}
          disabled={cannotTemplate}
        />
      </form>
    </Dialog>
  );
}
