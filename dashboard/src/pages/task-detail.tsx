import { useMemo, useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty, ErrorState, Loading } from "../components/states";
import { api, withQuery } from "../lib/api";
import { humanize } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { liveBadge, useLive } from "../live";
import {
  type AdminModule,
  type AdminSubTask,
  type AdminTask,
  PRIORITIES,
  SUB_TASK_STATUSES,
  TASK_TYPES,
} from "./parts/types";
import {
  ConfirmDialog,
  Dialog,
  Facts,
  FormActions,
  Pill,
  Progress,
  Prose,
  Select,
  TypedConfirm,
  useAction,
  useAgentOptions,
} from "./parts/ui";

const CLOSED = ["completed", "archived", "cancelled"];
/** The board is pushed over the live socket; only while that is down does it poll, this often. */
const BOARD_POLL_MS = 3000;
const BOARD_LIMIT = 100;

type Open = null | "edit" | "cancel" | "restart" | "delete" | "sub-task";

export default function TaskDetailPage() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const [q, setQuery] = useQueryState({ module: "" });
  const task = useApi<AdminTask>(`/api/admin/tasks/${encodeURIComponent(id)}`);
  const modules = useApi<Page<AdminModule>>(
    withQuery(`/api/admin/tasks/${encodeURIComponent(id)}/modules`, { page_size: 100, sort_order: "asc" }),
  );
  const subTasks = useApi<Page<AdminSubTask>>(
    withQuery(`/api/admin/tasks/${encodeURIComponent(id)}/sub-tasks`, {
      module_id: q.module,
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
  useTitle(task.data?.name ?? "Task");

  if (task.error && !task.data) {
    return (
      <>
        <p class="crumbs">
          <a href="/tasks">← Tasks</a>
        </p>
        <ErrorState title="This task could not be loaded" error={task.error} onRetry={task.reload} />
      </>
    );
  }
  if (!task.data) return <Loading label="Loading the task…" />;
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
        <a href="/tasks">← Tasks</a>
      </p>
      <PageHeader
        title={t.name}
        actions={
          <>
            {!closed ? (
              <button type="button" class="btn btn-primary" onClick={() => setOpen("sub-task")}>
                New sub-task
              </button>
            ) : null}
            {!closed ? (
              <button type="button" class="btn" onClick={() => setOpen("edit")}>
                Edit
              </button>
            ) : null}
            {!closed ? (
              <button type="button" class="btn" onClick={() => setOpen("cancel")}>
                Cancel task
              </button>
            ) : null}
            {t.status === "cancelled" ? (
              <button type="button" class="btn" onClick={() => setOpen("restart")}>
                Restart
              </button>
            ) : null}
            <button type="button" class="btn btn-danger" onClick={() => setOpen("delete")}>
              Delete
            </button>
          </>
        }
      >
        <Pill value={t.status} /> {humanize(t.type)} task · updated <RelTime value={t.updated_at} />
      </PageHeader>

      <section class="card" aria-label="About this task">
        <Prose text={t.description} empty="No description." />
        <div class="section-gap" />
        <Facts
          items={[
            ["Progress", <Progress task={t} />],
            ["Sub-tasks", t.sub_task_count],
            ["In progress", t.in_progress_count + t.assigned_count],
            ["In review", t.review_count],
            ["Blocked", t.blocked_count],
            ["Rework", t.rework_count],
            ["Created", <RelTime value={t.created_at} />],
            [
              "Workspace",
              t.workspace ? <code class="mono">{t.workspace}</code> : <span class="muted">none set</span>,
              "wide",
            ],
            ["ID", <code class="mono">{t.id}</code>, "wide"],
          ]}
        />
      </section>

      <section class="section" aria-labelledby="modules-title">
        <div class="section-head">
          <h2 id="modules-title">Modules</h2>
          {q.module ? (
            <button type="button" class="btn btn-ghost" onClick={() => setQuery({ module: "" })}>
              Show all modules
            </button>
          ) : null}
        </div>
        {modules.error && !modules.data ? (
          <ErrorState error={modules.error} onRetry={modules.reload} />
        ) : !modules.data ? (
          <Loading inline label="Loading modules…" />
        ) : modules.data.items.length === 0 ? (
          <p class="muted">No modules: the sub-tasks are not grouped.</p>
        ) : (
          <ul class="chips" aria-label="Filter the board by module">
            {modules.data.items.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  class="chip"
                  aria-pressed={q.module === m.id}
                  title={m.description || undefined}
                  onClick={() => setQuery({ module: q.module === m.id ? "" : m.id })}
                >
                  <span>{m.name}</span>
                  <small>
                    {m.done_count}/{m.sub_task_count - m.cancelled_count} done
                  </small>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="section" aria-labelledby="board-title">
        <div class="section-head">
          <h2 id="board-title">Sub-tasks</h2>
          <span
            class={subTasks.error ? "live paused" : badge.class}
            title={badge.title}
            data-testid="live-status"
            data-state={live}
          >
            {subTasks.error ? `Updates paused: ${subTasks.error.message}` : badge.text}
          </span>
          <span class="topbar-spacer" />
          <button type="button" class="btn" onClick={refresh}>
            Refresh
          </button>
        </div>
        {subTasks.error && !subTasks.data ? (
          <ErrorState error={subTasks.error} onRetry={subTasks.reload} />
        ) : !subTasks.data ? (
          <Loading label="Loading sub-tasks…" />
        ) : subTasks.data.total === 0 ? (
          <Empty title={q.module ? "This module has no sub-tasks." : "No sub-tasks yet."}>
            {!closed ? <p>Planners add them over the agent API, or use “New sub-task”.</p> : null}
          </Empty>
        ) : (
          <Board page={subTasks.data} />
        )}
      </section>

      {open === "edit" ? <EditTaskDialog task={t} onClose={() => setOpen(null)} onSaved={refresh} /> : null}
      {open === "cancel" ? (
        <ConfirmDialog
          title="Cancel this task?"
          action="Cancel task"
          danger
          onClose={() => setOpen(null)}
          onConfirm={async () => {
            await api(`/api/admin/tasks/${t.id}/cancel`, { method: "POST" });
            refresh();
          }}
        >
          <p>
            Every open sub-task of “{t.name}” is cancelled with it. A cancelled task can be restarted; its cancelled
            sub-tasks stay cancelled.
          </p>
        </ConfirmDialog>
      ) : null}
      {open === "restart" ? (
        <ConfirmDialog
          title="Restart this task?"
          action="Restart"
          onClose={() => setOpen(null)}
          onConfirm={async () => {
            await api(`/api/admin/tasks/${t.id}/restart`, { method: "POST" });
            refresh();
          }}
        >
          <p>The task becomes active again. Its cancelled sub-tasks stay cancelled; add new ones as needed.</p>
        </ConfirmDialog>
      ) : null}
      {open === "delete" ? (
        <Dialog title="Delete this task?" onClose={() => setOpen(null)}>
          <TypedConfirm
            name={t.name}
            action="Delete task"
            onCancel={() => setOpen(null)}
            onConfirm={async () => {
              await api(`/api/admin/tasks/${t.id}`, { method: "DELETE", body: { confirm_name: t.name } });
              route("/tasks");
            }}
          >
            <p>
              This removes the task, its {t.module_count} modules and {t.sub_task_count} sub-tasks with their history,
              reviews, rules and patrol records. Scores earned on it are reversed. It is refused while agents hold its
              sub-tasks: cancel the task first.
            </p>
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
  const columns = useMemo(() => {
    const by = new Map<string, AdminSubTask[]>(SUB_TASK_STATUSES.map((s) => [s, []]));
    for (const st of page.items) by.get(st.status)?.push(st);
    return by;
  }, [page]);
  return (
    <>
      {page.total > page.items.length ? (
        <p class="banner">
          Showing the {page.items.length} most recently updated of {page.total} sub-tasks. Pick a module above to narrow
          the board.
        </p>
      ) : null}
      <div class="board" data-testid="task-board">
        {SUB_TASK_STATUSES.map((status) => {
          const items = columns.get(status) ?? [];
          return (
            <section
              key={status}
              class="board-col"
              data-status={status}
              aria-label={`${humanize(status)}: ${items.length}`}
            >
              <h3>
                <span>{humanize(status)}</span>
                <span class="badge">{items.length}</span>
              </h3>
              {items.length === 0 ? (
                <p class="board-none">None</p>
              ) : (
                <ul>
                  {items.map((st) => (
                    <li key={st.id} class="board-card">
                      <a href={`/sub-tasks/${st.id}`}>{st.name}</a>
                      <div class="meta">
                        <Pill value={st.priority} />
                        <span>{st.assigned_agent_name ?? "unassigned"}</span>
                        {st.module_name ? <span>{st.module_name}</span> : null}
                        {st.rework_count > 0 ? <span>rework {st.rework_count}</span> : null}
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

function EditTaskDialog({ task, onClose, onSaved }: { task: AdminTask; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(task.name);
  const [description, setDescription] = useState(task.description);
  const [workspace, setWorkspace] = useState(task.workspace);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!name.trim()) throw new Error("The name cannot be empty.");
      await api(`/api/admin/tasks/${task.id}`, {
        method: "PUT",
        body: { name: name.trim(), description, workspace: workspace.trim() },
      });
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title="Edit task" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Name">
          {(id) => (
            <input id={id} required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Description">
          {(id) => (
            <textarea id={id} rows={6} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          )}
        </Field>
        <Field
          label="Workspace"
          hint="Where work that spans sub-tasks lives: a folder or repository URL. Empty: agents use the workspace root and the task name."
        >
          {(id, hintId) => (
            <input
              id={id}
              maxLength={1000}
              aria-describedby={hintId}
              value={workspace}
              onInput={(e) => setWorkspace(e.currentTarget.value)}
            />
          )}
        </Field>
        <FormActions busy={busy} error={error} submit="Save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function CreateSubTaskDialog({
  taskId,
  modules,
  defaultModule,
  onClose,
  onSaved,
}: {
  taskId: string;
  modules: AdminModule[];
  defaultModule: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const executors = useAgentOptions("executor");
  const [f, setF] = useState({
    name: "",
    description: "",
    deliverable: "",
    acceptance: "",
    priority: "medium",
    type: "once",
    module_id: defaultModule,
    assigned_agent: "",
  });
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!f.name.trim()) throw new Error("Give the sub-task a name.");
      await api("/api/admin/sub-tasks", {
        method: "POST",
        body: {
          ...f,
          task_id: taskId,
          name: f.name.trim(),
          module_id: f.module_id || null,
          assigned_agent: f.assigned_agent || null,
        },
      });
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title="New sub-task" onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <Field label="Name">
          {(id) => (
            <input
              id={id}
              required
              maxLength={200}
              value={f.name}
              onInput={(e) => set("name")(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Description">
          {(id) => (
            <textarea
              id={id}
              rows={3}
              value={f.description}
              onInput={(e) => set("description")(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="grid grid-2 tight">
          <Field label="Deliverable">
            {(id) => (
              <textarea
                id={id}
                rows={2}
                value={f.deliverable}
                onInput={(e) => set("deliverable")(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Acceptance criteria">
            {(id) => (
              <textarea
                id={id}
                rows={2}
                value={f.acceptance}
                onInput={(e) => set("acceptance")(e.currentTarget.value)}
              />
            )}
          </Field>
          <Select label="Priority" value={f.priority} options={PRIORITIES} all={null} onChange={set("priority")} />
          <Select label="Type" value={f.type} options={TASK_TYPES} all={null} onChange={set("type")} />
          <Select
            label="Module"
            value={f.module_id}
            all="No module"
            options={modules.map((m) => ({ value: m.id, label: m.name }))}
            onChange={set("module_id")}
          />
          <Select
            label="Assign to"
            value={f.assigned_agent}
            all={executors.data ? "Nobody (pending, any executor may claim it)" : "Loading executors…"}
            options={(executors.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
            onChange={set("assigned_agent")}
          />
        </div>
        <FormActions busy={busy} error={error} submit="Create sub-task" busyLabel="Creating…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
