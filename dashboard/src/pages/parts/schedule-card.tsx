// A task's schedule on its detail page: when it runs (in words, in the task's zone and the viewer's),
// its state and policy, and pause/resume/end behind a confirmation; "make recurring" when it has none.
// Its rounds follow (rounds-table.tsx) once a schedule exists.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { RelTime } from "../../components/rel-time";
import { ErrorState, Loading } from "../../components/states";
import { scheduleEndReasonLabels } from "../../i18n/en/enums";
import { scheduleCard, scheduleWords } from "../../i18n/en/schedule";
import { ApiError, api } from "../../lib/api";
import { labelOf } from "../../lib/format";
import { useApi } from "../../lib/hooks";
import { useLive } from "../../live";
import { RoundsTable } from "./rounds-table";
import { ScheduleDialog } from "./schedule-form";
import { formatInZone, scheduleInWords, viewerZone } from "./schedule-words";
import type { TaskSchedule } from "./types";
import { ConfirmDialog, Facts, Pill } from "./ui";

type Open = null | "form" | "pause" | "resume" | "end";

export function ScheduleSection({
  taskId,
  recurring,
  closed,
  hasSubTasks,
  round,
  onRound,
  onChanged,
}: {
  taskId: string;
  /**
   * The task's type is recurring: only then can it have a schedule, so a plain task costs no request
   * (and no 404 in the console).
   */
  recurring: boolean;
  /** A completed, archived or cancelled task cannot be made recurring. */
  closed: boolean;
  hasSubTasks: boolean;
  /** The round whose sub-tasks the board shows ("" for all). */
  round: string;
  onRound: (roundId: string) => void;
  onChanged: () => void;
}) {
  const t = useStore(scheduleCard);
  const path = `/api/tasks/${encodeURIComponent(taskId)}/schedule`;
  const res = useApi<TaskSchedule>(recurring ? path : null);
  // A round starting or ending moves the counts: follow the board's topics, less eagerly.
  useLive(["tasks", "sub_tasks"], res.reload, { pollMs: 30_000, minGapMs: 2000, enabled: res.data !== undefined });
  const [open, setOpen] = useState<Open>(null);
  // A legacy recurring task (type set by hand, no schedule) answers 404: offer to make one.
  const missing = !recurring || (res.error instanceof ApiError && res.error.status === 404);
  const schedule = missing ? null : res.data;
  const changed = () => {
    res.reload();
    onChanged();
  };
  const act = (op: "pause" | "resume") => api(`${path}/${op}`, { method: "POST" }).then(changed);

  if (res.error && !missing && !res.data) return <ErrorState error={res.error} onRetry={res.reload} />;
  if (!missing && !res.data) return <Loading inline label={t.loading} />;
  if (!schedule && closed) return null;

  return (
    <>
      <section class="section" aria-labelledby="schedule-title" data-testid="schedule-card">
        <div class="section-head">
          <h2 id="schedule-title">{t.title}</h2>
          {schedule ? <Pill value={schedule.status} /> : null}
          <span class="topbar-spacer" />
          {!schedule ? (
            <button type="button" class="btn" onClick={() => setOpen("form")}>
              {t.makeRecurring}
            </button>
          ) : null}
          {schedule && schedule.status !== "ended" ? (
            <>
              <button type="button" class="btn" onClick={() => setOpen("form")}>
                {t.edit}
              </button>
              <button
                type="button"
                class="btn"
                onClick={() => setOpen(schedule.status === "active" ? "pause" : "resume")}
              >
                {schedule.status === "active" ? t.pause : t.resume}
              </button>
              <button type="button" class="btn btn-danger" onClick={() => setOpen("end")}>
                {t.end}
              </button>
            </>
          ) : null}
        </div>
        {schedule ? <ScheduleFacts schedule={schedule} /> : <p class="muted">{t.notRecurring}</p>}
      </section>
      {schedule ? (
        <RoundsTable taskId={taskId} schedule={schedule} round={round} onRound={onRound} onStarted={changed} />
      ) : null}

      {open === "form" ? (
        <ScheduleDialog
          taskId={taskId}
          current={schedule ?? null}
          hasSubTasks={hasSubTasks}
          onClose={() => setOpen(null)}
          onSaved={changed}
        />
      ) : null}
      {open === "pause" || open === "resume" ? (
        <ConfirmDialog
          title={open === "pause" ? t.pauseTitle : t.resumeTitle}
          action={open === "pause" ? t.pause : t.resume}
          onClose={() => setOpen(null)}
          onConfirm={() => act(open)}
        >
          <p>{open === "pause" ? t.pauseBody : t.resumeBody}</p>
        </ConfirmDialog>
      ) : null}
      {open === "end" ? (
        <ConfirmDialog
          title={t.endTitle}
          action={t.end}
          danger
          onClose={() => setOpen(null)}
          onConfirm={() => api(path, { method: "DELETE" }).then(changed)}
        >
          <p>{t.endBody}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function ScheduleFacts({ schedule: s }: { schedule: TaskSchedule }) {
  const t = useStore(scheduleCard);
  const w = useStore(scheduleWords);
  const ends = useStore(scheduleEndReasonLabels);
  const config = s.recurring_config;
  const tz = config.schedule.tz;
  const here = viewerZone();
  const policy = config.policy;
  return (
    <div class="card">
      <Facts
        items={[
          [
            t.runs,
            <>
              <span>{scheduleInWords(config.schedule, w)}</span>
              {config.schedule.kind === "cron" ? (
                <>
                  {" "}
                  <code class="mono" title={w.cron}>
                    {config.schedule.expr}
                  </code>
                </>
              ) : null}
            </>,
          ],
          [t.zone, <code class="mono">{tz}</code>],
          [
            t.nextRun,
            s.next_run_at ? (
              <span data-testid="schedule-next-run">
                {formatInZone(s.next_run_at, tz)}
                {here !== tz ? <span class="muted"> · {t.yourTime({ time: formatInZone(s.next_run_at) })}</span> : null}
              </span>
            ) : (
              <span class="muted">{t.nextRunNone}</span>
            ),
          ],
          [t.rounds, s.rounds_created],
          [t.openRounds, s.open_rounds],
          [t.lastRound, s.last_round_at ? <RelTime value={s.last_round_at} /> : <span class="muted">{t.never}</span>],
          [
            t.whenUnfinished,
            policy.when_unfinished === "stack" ? t.stackPolicy({ n: policy.max_open_rounds }) : t.skipPolicy,
          ],
          [t.endsAt, policy.ends_at ? formatInZone(policy.ends_at, tz) : t.endsNever],
          [t.maxRounds, policy.max_rounds ?? t.noLimit],
          [t.template, t.templateCount(config.template.sub_tasks.length)],
          ...(s.ended_reason ? [[t.endedBecause, labelOf(ends, s.ended_reason)] as [string, string]] : []),
        ]}
      />
    </div>
  );
}
