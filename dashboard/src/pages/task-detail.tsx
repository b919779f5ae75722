import { useStore } from "@nanostores/preact";
import { useMemo, useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty, ErrorState, Loading } from "../components/states";
import { stateLabels, taskTypeLabels } from "../i18n/en/enums";
import { roundsTable } from "../i18n/en/schedule";
import { taskBoard, taskPage } from "../i18n/en/task";
import { Rich } from "../i18n/rich";
import { api, withQuery } from "../lib/api";
import { labelOf } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { liveBadge, useLive } from "../live";
import { ScheduleSection } from "./parts/schedule-card";
import { type AdminModule, type AdminSubTask, type AdminTask, SUB_TASK_STATUSES } from "./parts/types";
import { ConfirmDialog, Dialog, Facts, Pill, Progress, Prose, TypedConfirm } from "./parts/ui";
import { CreateSubTaskDialog, EditTaskDialog } from "./task-dialogs";

const CLOSED = ["completed", "archived", "cancelled"];
/** The board is pushed over the live socket; only while that is down does it poll, this often. */
const BOARD_POLL_MS = 3000;
const BOARD_LIMIT = 100;

type Open = null | "edit" | "cancel" | "restart" | "delete" | "sub-task";

export default function TaskDetailPage() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const [q, setQuery] = useQueryState({ module: "", round: "" });
  const task = useApi<AdminTask>(`/api/admin/tasks/${encodeURIComponent(id)}`);
  const modules = useApi<Page<AdminModule>>(
    withQuery(`/api/admin/tasks/${encodeURIComponent(id)}/modules`, { page_size: 100, sort_order: "asc" }),
  );
  const subTasks = useApi<Page<AdminSubTask>>(
    withQuery(`/api/admin/tasks/${encodeURIComponent(id)}/sub-tasks`, {
      module_id: q.module,
      round_id: q.round,
      page_size: BOARD_LIMIT,
      sort_by: "updated_at",
      sort_order: "desc",
    }),
  );
  const live = useLive(
    ["sub_tasks", "tasks"],
    () => {
      task.reload();
      subTasks.reload();
    },
    { pollMs: BOARD_POLL_MS, minGapMs: 250, enabled: task.data !== undefined },
  );
  // Module counts follow the sub-tasks, less eagerly.
  useLive(["sub_tasks", "tasks"], modules.reload, { pollMs: 15_000, minGapMs: 2000, enabled: task.data !== undefined });
  const badge = liveBadge(live, BOARD_POLL_MS);
  const [open, setOpen] = useState<Open>(null);
  const { route } = useLocation();
  const tx = useStore(taskPage);
  const b = useStore(taskBoard);
  const types = useStore(taskTypeLabels);
  const rounds = useStore(roundsTable);
  useTitle(task.data?.name ?? tx.fallbackTitle);

  if (task.error && !task.data) {
    return (
      <>
        <p class="crumbs">
          <a href="/tasks">← {tx.tasks}</a>
        </p>
        <ErrorState title={tx.loadFailed} error={task.error} onRetry={task.reload} />
      </>
    );
  }
  if (!task.data) return <Loading label={tx.loading} />;
  const t = task.data;
  const closed = CLOSED.includes(t.status);
  const refresh = () => {
    task.reload();
    subTasks.reload();
    modules.reload();
  };

  return (
    <>
      <p class="crumbs">
        <a href="/tasks">← {tx.tasks}</a>
      </p>
      <PageHeader
        title={t.name}
        actions={
          <>
            {!closed ? (
              <button type="button" class="btn btn-primary" onClick={() => setOpen("sub-task")}>
                {tx.newSubTask}
              </button>
            ) : null}
            {!closed ? (
              <button type="button" class="btn" onClick={() => setOpen("edit")}>
                {tx.edit}
              </button>
            ) : null}
            {!closed ? (
              <button type="button" class="btn" onClick={() => setOpen("cancel")}>
                {tx.cancelTask}
              </button>
            ) : null}
            {t.status === "cancelled" ? (
              <button type="button" class="btn" onClick={() => setOpen("restart")}>
                {tx.restart}
              </button>
            ) : null}
            <button type="button" class="btn btn-danger" onClick={() => setOpen("delete")}>
              {tx.delete}
            </button>
          </>
        }
      >
        <Rich
          text={tx.summary}
          parts={{
            status: <Pill value={t.status} />,
            type: labelOf(types, t.type),
            time: <RelTime value={t.updated_at} />,
          }}
        />
      </PageHeader>

      <section class="card" aria-label={tx.about}>
        <Prose text={t.description} empty={tx.noDescription} />
        <div class="section-gap" />
        <Facts
          items={[
            [tx.progress, <Progress task={t} />],
            [tx.subTasks, t.sub_task_count],
            [tx.inProgress, t.in_progress_count + t.assigned_count],
            [tx.inReview, t.review_count],
            [tx.blocked, t.blocked_count],
            [tx.rework, t.rework_count],
            [tx.created, <RelTime value={t.created_at} />],
            [
              tx.workspace,
              t.workspace ? (
                <code class="mono" data-i18n-skip>
                  {t.workspace}
                </code>
              ) : (
                <span class="muted">{tx.noneSet}</span>
              ),
              "wide",
            ],
            ["ID", <code class="mono">{t.id}</code>, "wide"],
          ]}
        />
      </section>

      <ScheduleSection
        taskId={t.id}
        recurring={t.type === "recurring"}
        closed={closed}
        hasSubTasks={t.sub_task_count > 0}
        round={q.round}
        onRound={(round) => setQuery({ round })}
        onChanged={refresh}
      />

      <section class="section" aria-labelledby="modules-title">
        <div class="section-head">
          <h2 id="modules-title">{b.modules}</h2>
          {q.module ? (
            <button type="button" class="btn btn-ghost" onClick={() => setQuery({ module: "" })}>
              {b.showAllModules}
            </button>
          ) : null}
        </div>
        {modules.error && !modules.data ? (
          <ErrorState error={modules.error} onRetry={modules.reload} />
        ) : !modules.data ? (
          <Loading inline label={b.loadingModules} />
        ) : modules.data.items.length === 0 ? (
          <p class="muted">{b.noModules}</p>
        ) : (
          <ul class="chips" aria-label={b.filterByModule}>
            {modules.data.items.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  class="chip"
                  aria-pressed={q.module === m.id}
                  title={m.description || undefined}
                  onClick={() => setQuery({ module: q.module === m.id ? "" : m.id })}
                >
                  <span data-i18n-skip>{m.name}</span>
                  <small>{b.moduleDone({ done: m.done_count, total: m.sub_task_count - m.cancelled_count })}</small>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="section" aria-labelledby="board-title">
        <div class="section-head">
          <h2 id="board-title">{b.subTasks}</h2>
          <span
            class={subTasks.error ? "live paused" : badge.class}
            title={badge.title}
            data-testid="live-status"
            data-state={live}
          >
            {subTasks.error ? b.updatesPaused({ message: subTasks.error.message }) : badge.text}
          </span>
          <span class="topbar-spacer" />
          {q.round ? (
            <button type="button" class="btn btn-ghost" title={rounds.filtered} onClick={() => setQuery({ round: "" })}>
              {rounds.showAllRounds}
            </button>
          ) : null}
          <button type="button" class="btn" onClick={refresh}>
            {b.refresh}
          </button>
        </div>
        {subTasks.error && !subTasks.data ? (
          <ErrorState error={subTasks.error} onRetry={subTasks.reload} />
        ) : !subTasks.data ? (
          <Loading label={b.loadingSubTasks} />
        ) : subTasks.data.total === 0 ? (
          <Empty title={q.module ? b.moduleEmpty : b.noSubTasks}>{!closed ? <p>{b.noSubTasksHint}</p> : null}</Empty>
        ) : (
          <Board page={subTasks.data} />
        )}
      </section>

      {open === "edit" ? <EditTaskDialog task={t} onClose={() => setOpen(null)} onSaved={refresh} /> : null}
      {open === "cancel" ? (
        <ConfirmDialog
          title={tx.cancelTitle}
          action={tx.cancelTask}
          danger
          onClose={() => setOpen(null)}
          onConfirm={async () => {
            await api(`/api/admin/tasks/${t.id}/cancel`, { method: "POST" });
            refresh();
          }}
        >
          <p>{tx.cancelBody({ name: t.name })}</p>
        </ConfirmDialog>
      ) : null}
      {open === "restart" ? (
        <ConfirmDialog
          title={tx.restartTitle}
          action={tx.restart}
          onClose={() => setOpen(null)}
          onConfirm={async () => {
            await api(`/api/admin/tasks/${t.id}/restart`, { method: "POST" });
            refresh();
          }}
        >
          <p>{tx.restartBody}</p>
        </ConfirmDialog>
      ) : null}
      {open === "delete" ? (
        <Dialog title={tx.deleteTitle} onClose={() => setOpen(null)}>
          <TypedConfirm
            name={t.name}
            action={tx.deleteTask}
            onCancel={() => setOpen(null)}
            onConfirm={async () => {
              await api(`/api/admin/tasks/${t.id}`, { method: "DELETE", body: { confirm_name: t.name } });
              route("/tasks");
            }}
          >
            <p>{tx.deleteBody({ modules: t.module_count, subTasks: t.sub_task_count })}</p>
          </TypedConfirm>
        </Dialog>
      ) : null}
      {open === "sub-task" ? (
        <CreateSubTaskDialog
          taskId={t.id}
          modules={modules.data?.items ?? []}
          defaultModule={q.module}
          onClose={() => setOpen(null)}
          onSaved={refresh}
        />
      ) : null}
    </>
  );
}

function Board({ page }: { page: Page<AdminSubTask> }) {
  const b = useStore(taskBoard);
  const states = useStore(stateLabels);
  const columns = useMemo(() => {
    const by = new Map<string, AdminSubTask[]>(SUB_TASK_STATUSES.map((s) => [s, []]));
    for (const st of page.items) by.get(st.status)?.push(st);
    return by;
  }, [page]);
  return (
    <>
      {page.total > page.items.length ? (
        <p class="banner">{b.showingRecent({ shown: page.items.length, total: page.total })}</p>
      ) : null}
      <div class="board" data-testid="task-board">
        {SUB_TASK_STATUSES.map((status) => {
          const items = columns.get(status) ?? [];
          return (
            <section
              key={status}
              class="board-col"
              data-status={status}
              aria-label={b.column({ status: labelOf(states, status), n: items.length })}
            >
              <h3>
                <span>{labelOf(states, status)}</span>
                <span class="badge">{items.length}</span>
              </h3>
              {items.length === 0 ? (
                <p class="board-none">{b.none}</p>
              ) : (
                <ul>
                  {items.map((st) => (
                    <li key={st.id} class="board-card">
                      <a href={`/sub-tasks/${st.id}`} data-i18n-skip>
                        {st.name}
                      </a>
                      <div class="meta">
                        <Pill value={st.priority} />
                        <span>{st.assigned_agent_name ?? b.unassigned}</span>
                        {st.module_name ? <span data-i18n-skip>{st.module_name}</span> : null}
                        {st.rework_count > 0 ? <span>{b.rework({ n: st.rework_count })}</span> : null}
                        <RelTime value={st.updated_at} />
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
    </>
  );
}
