// A recurring task's rounds, newest first: number, planned slot, state, sub-tasks done, why a slot was
// skipped or started late, when it finished; each round's button filters the task's board to it.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { RelTime } from "../../components/rel-time";
import { Notice } from "../../components/states";
import { roundSkipReasonLabels } from "../../i18n/en/enums";
import { roundsTable } from "../../i18n/en/schedule";
import { api, withQuery } from "../../lib/api";
import { labelOf } from "../../lib/format";
import { useApi } from "../../lib/hooks";
import type { Page } from "../../lib/types";
import { useLive } from "../../live";
import { formatInZone } from "./schedule-words";
import type { TaskRound, TaskSchedule } from "./types";
import { Pager, Pill, useAction, View } from "./ui";

const PAGE_SIZE = 10;

export function RoundsTable({
  taskId,
  schedule,
  round,
  onRound,
  onStarted,
}: {
  taskId: string;
  schedule: TaskSchedule;
  round: string;
  onRound: (roundId: string) => void;
  onStarted: () => void;
}) {
  const t = useStore(roundsTable);
  const skips = useStore(roundSkipReasonLabels);
  const [page, setPage] = useState(1);
  const path = `/api/tasks/${encodeURIComponent(taskId)}/rounds`;
  const rounds = useApi<Page<TaskRound>>(withQuery(path, { page, page_size: PAGE_SIZE }));
  useLive(["tasks", "sub_tasks"], rounds.reload, {
    pollMs: 15_000,
    minGapMs: 1000,
    enabled: rounds.data !== undefined,
  });
  const { busy, error, run } = useAction();
  const [started, setStarted] = useState<string | null>(null);
  const tz = schedule.recurring_config.schedule.tz;

  const start = () =>
    void run(async () => {
      const r = await api<TaskRound>(path, { method: "POST" });
      setStarted(r.status === "skipped" ? labelOf(skips, r.skip_reason ?? "") : t.started({ n: r.round_no ?? 0 }));
      setPage(1);
      rounds.reload();
      onStarted();
    });

  return (
    <section class="section" aria-labelledby="rounds-title">
      <div class="section-head">
        <h2 id="rounds-title">{t.title}</h2>
        <span class="topbar-spacer" />
        {schedule.status !== "ended" ? (
          <button type="button" class="btn" disabled={busy} onClick={start}>
            {busy ? t.starting : t.startNow}
          </button>
        ) : null}
      </div>
      {error ? <Notice kind="error">{error}</Notice> : started ? <Notice kind="ok">{started}</Notice> : null}
      <View res={rounds} loading={t.loading} isEmpty={(d) => d.total === 0} empty={<p class="muted">{t.none}</p>}>
        {(d) => (
          <>
            <div class="card table-card">
              <table class="table" data-testid="rounds-table">
                <thead>
                  <tr>
                    <th scope="col">{t.round}</th>
                    <th scope="col">{t.slot}</th>
                    <th scope="col">{t.status}</th>
                    <th scope="col">{t.done}</th>
                    <th scope="col">{t.note}</th>
                    <th scope="col">{t.completed}</th>
                    <th scope="col">
                      <span class="sr-only">{t.showSubTasks}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((r) => (
                    <tr key={r.id} data-round-id={r.id} data-status={r.status}>
                      <td data-label={t.round}>
                        {r.round_no === null ? <span class="muted">{t.skipped}</span> : t.roundNo({ n: r.round_no })}
                      </td>
                      <td data-label={t.slot}>{formatInZone(r.scheduled_for, tz)}</td>
                      <td data-label={t.status}>
                        <Pill value={r.status} />
                      </td>
                      <td data-label={t.done}>
                        {r.status === "skipped"
                          ? "—"
                          : t.subTasksDone({ done: r.sub_tasks.done, total: r.sub_tasks.total })}
                      </td>
                      <td data-label={t.note}>
                        {r.skip_reason ? labelOf(skips, r.skip_reason) : r.missed > 0 ? t.missed : null}
                      </td>
                      <td data-label={t.completed}>{r.completed_at ? <RelTime value={r.completed_at} /> : "—"}</td>
                      <td>
                        {r.round_no !== null ? (
                          <button
                            type="button"
                            class="btn btn-ghost"
                            aria-pressed={round === r.id}
                            aria-label={t.showSubTasksOf({ n: r.round_no })}
                            onClick={() => onRound(round === r.id ? "" : r.id)}
                          >
                            {t.showSubTasks}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={d.page}
              totalPages={d.total_pages}
              total={d.total}
              count={t.total}
              noun={t.pagerNoun}
              onPage={setPage}
            />
          </>
        )}
      </View>
    </section>
  );
}
