import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty } from "../components/states";
import { stateLabels, taskTypeLabels } from "../i18n/en/enums";
import { taskForm, tasksPage } from "../i18n/en/tasks";
import { api, withQuery } from "../lib/api";
import { labelled, labelOf } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { type TaskText, TaskTextFields } from "./parts/task-fields";
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
  const tx = useStore(tasksPage);
  const states = useStore(stateLabels);
  const types = useStore(taskTypeLabels);
  useTitle(tx.title);
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
        title={tx.title}
        actions={
          <>
            <button type="button" class="btn" onClick={tasks.reload}>
              {tx.refresh}
            </button>
            <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
              {tx.newTask}
            </button>
          </>
        }
      >
        {tx.intro}
      </PageHeader>
      <Filters
        label={tx.filterTasks}
        active={filtered}
        onReset={() => setQuery({ status: "", type: "", q: "", page: "1" })}
      >
        <SearchBox
          label={tx.search}
          placeholder={tx.searchPlaceholder}
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select
          label={tx.status}
          value={status}
          options={labelled(TASK_STATUSES, states)}
          onChange={(v) => setQuery({ status: v, page: "1" })}
        />
        <Select
          label={tx.type}
          value={type}
          options={labelled(TASK_TYPES, types)}
          onChange={(v) => setQuery({ type: v, page: "1" })}
        />
      </Filters>
      <View
        res={tasks}
        loading={tx.loading}
        isEmpty={(d) => d.items.length === 0}
        empty={
          filtered ? (
            <Empty title={tx.noMatch} />
          ) : (
            <Empty title={tx.noTasks}>
              <p>{tx.noTasksHint}</p>
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
                    <th scope="col">{tx.colTask}</th>
                    <th scope="col">{tx.status}</th>
                    <th scope="col">{tx.type}</th>
                    <th scope="col">{tx.colProgress}</th>
                    <th scope="col" class="num">
                      {tx.colModules}
                    </th>
                    <th scope="col" class="num">
                      {tx.colOpen}
                    </th>
                    <th scope="col">{tx.colUpdated}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((t) => {
                    const open = t.sub_task_count - t.done_count - t.cancelled_count;
                    return (
                      <tr key={t.id}>
                        <td class="name-cell" data-i18n-skip>
                          <a href={`/tasks/${t.id}`}>{t.name}</a>
                          {t.description ? (
                            <span class="cell-sub">
                              {t.description.length > 120 ? `${t.description.slice(0, 120)}…` : t.description}
                            </span>
                          ) : null}
                        </td>
                        <td data-label={tx.status}>
                          <Pill value={t.status} />
                        </td>
                        <td data-label={tx.type}>{labelOf(types, t.type)}</td>
                        <td data-label={tx.colProgress}>
                          <Progress task={t} />
                        </td>
                        <td data-label={tx.colModules} class="num">
                          {t.module_count}
                        </td>
                        <td data-label={tx.colOpenSubTasks} class="num">
                          {open}
                          {t.blocked_count > 0 ? (
                            <span class="cell-sub">{tx.blocked({ n: t.blocked_count })}</span>
                          ) : null}
                        </td>
                        <td data-label={tx.colUpdated}>
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
              noun={tx.noun}
              count={tx.count}
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
  const tx = useStore(tasksPage);
  const f = useStore(taskForm);
  const types = useStore(taskTypeLabels);
  const { route } = useLocation();
  const [text, setText] = useState<TaskText>({ name: "", description: "", workspace: "" });
  const set = (k: keyof TaskText) => (v: string) => setText((x) => ({ ...x, [k]: v }));
  const [type, setType] = useState("once");
  const [active, setActive] = useState(true);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!text.name.trim()) throw new Error(f.needName);
      const task = await api<Task>("/api/admin/tasks", {
        method: "POST",
        body: {
          name: text.name.trim(),
          description: text.description,
          type,
          status: active ? "active" : "planning",
          workspace: text.workspace.trim(),
        },
      });
      route(`/tasks/${task.id}`);
    });
  };
  return (
    <Dialog title={tx.newTask} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TaskTextFields f={text} set={set} descriptionRows={4} />
        <Select label={f.type} value={type} options={labelled(TASK_TYPES, types)} all={null} onChange={setType} />
        <label class="switch">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          <span>{f.startActive}</span>
        </label>
        <FormActions busy={busy} error={error} submit={f.create} busyLabel={f.creating} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
