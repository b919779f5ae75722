import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty } from "../components/states";
import { api, withQuery } from "../lib/api";
import { humanize } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { type AdminTask, isOneOf, TASK_STATUSES, TASK_TYPES, type Task } from "./parts/types";
import {
  Dialog,
  Filters,
  FormActions,
  Pager,
  Pill,
  Progress,
  pageOf,
  SearchBox,
  Select,
  useAction,
  View,
} from "./parts/ui";

export default function TasksPage() {
  useTitle("Tasks");
  const [q, setQuery] = useQueryState({ status: "", type: "", q: "", page: "1" });
  const status = isOneOf(TASK_STATUSES, q.status) ? q.status : "";
  const type = isOneOf(TASK_TYPES, q.type) ? q.type : "";
  const page = pageOf(q.page);
  const tasks = useApi<Page<AdminTask>>(
    withQuery("/api/admin/tasks", {
      status,
      type,
      keyword: q.q,
      page,
      page_size: 20,
      sort_by: "updated_at",
      sort_order: "desc",
    }),
  );
  const [creating, setCreating] = useState(false);
  const filtered = Boolean(status || type || q.q);

  return (
    <>
      <PageHeader
        title="Tasks"
        actions={
          <>
            <button type="button" class="btn" onClick={tasks.reload}>
              Refresh
            </button>
            <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
              New task
            </button>
          </>
        }
      >
        Every task with its progress; open one for its modules and a board of its sub-tasks.
      </PageHeader>
      <Filters
        label="Filter tasks"
        active={filtered}
        onReset={() => setQuery({ status: "", type: "", q: "", page: "1" })}
      >
        <SearchBox
          label="Search"
          placeholder="Name or description"
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select
          label="Status"
          value={status}
          options={TASK_STATUSES}
          onChange={(v) => setQuery({ status: v, page: "1" })}
        />
        <Select label="Type" value={type} options={TASK_TYPES} onChange={(v) => setQuery({ type: v, page: "1" })} />
      </Filters>
      <View
        res={tasks}
        label="tasks"
        isEmpty={(d) => d.items.length === 0}
        empty={
          filtered ? (
            <Empty title="No task matches these filters." />
          ) : (
            <Empty title="No tasks yet.">
              <p>Planners create tasks over the agent API, or create one here.</p>
            </Empty>
          )
        }
      >
        {(d) => (
          <>
            <div class="card table-card">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Task</th>
                    <th scope="col">Status</th>
                    <th scope="col">Type</th>
                    <th scope="col">Progress</th>
                    <th scope="col" class="num">
                      Modules
                    </th>
                    <th scope="col" class="num">
                      Open
                    </th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((t) => {
                    const open = t.sub_task_count - t.done_count - t.cancelled_count;
                    return (
                      <tr key={t.id}>
                        <td class="name-cell">
                          <a href={`/tasks/${t.id}`}>{t.name}</a>
                          {t.description ? (
                            <span class="cell-sub">
                              {t.description.length > 120 ? `${t.description.slice(0, 120)}…` : t.description}
                            </span>
                          ) : null}
                        </td>
                        <td data-label="Status">
                          <Pill value={t.status} />
                        </td>
                        <td data-label="Type">{humanize(t.type)}</td>
                        <td data-label="Progress">
                          <Progress task={t} />
                        </td>
                        <td data-label="Modules" class="num">
                          {t.module_count}
                        </td>
                        <td data-label="Open sub-tasks" class="num">
                          {open}
                          {t.blocked_count > 0 ? <span class="cell-sub">{t.blocked_count} blocked</span> : null}
                        </td>
                        <td data-label="Updated">
                          <RelTime value={t.updated_at} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pager
              page={d.page}
              totalPages={d.total_pages}
              total={d.total}
              noun="tasks"
              onPage={(p) => setQuery({ page: String(p) })}
            />
          </>
        )}
      </View>
      {creating ? <CreateTaskDialog onClose={() => setCreating(false)} /> : null}
    </>
  );
}

function CreateTaskDialog({ onClose }: { onClose: () => void }) {
  const { route } = useLocation();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [workspace, setWorkspace] = useState("");
  const [type, setType] = useState("once");
  const [active, setActive] = useState(true);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!name.trim()) throw new Error("Give the task a name.");
      const task = await api<Task>("/api/admin/tasks", {
        method: "POST",
        body: {
          name: name.trim(),
          description,
          type,
          status: active ? "active" : "planning",
          workspace: workspace.trim(),
        },
      });
      route(`/tasks/${task.id}`);
    });
  };
  return (
    <Dialog title="New task" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Name">
          {(id) => (
            <input id={id} required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Description">
          {(id) => (
            <textarea id={id} rows={4} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
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
        <Select label="Type" value={type} options={TASK_TYPES} all={null} onChange={setType} />
        <label class="switch">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          <span>Start as active (off: the task starts in planning)</span>
        </label>
        <FormActions busy={busy} error={error} submit="Create task" busyLabel="Creating…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
