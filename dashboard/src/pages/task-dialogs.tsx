// The task page's dialogs: editing the task and adding a sub-task to it.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { Field } from "../components/field";
import { stateLabels, taskTypeLabels } from "../i18n/en/enums";
import { subTaskForm } from "../i18n/en/sub-task";
import { taskDialogs } from "../i18n/en/task";
import { taskForm } from "../i18n/en/tasks";
import { api } from "../lib/api";
import { labelled } from "../lib/format";
import { type AdminModule, type AdminTask, PRIORITIES, TASK_TYPES } from "./parts/types";
import { Dialog, FormActions, Select, useAction, useAgentOptions } from "./parts/ui";

export function EditTaskDialog({
  task,
  onClose,
  onSaved,
}: {
  task: AdminTask;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(task.name);
  const [description, setDescription] = useState(task.description);
  const [workspace, setWorkspace] = useState(task.workspace);
  const t = useStore(taskForm);
  const d = useStore(taskDialogs);
  const sf = useStore(subTaskForm);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!name.trim()) throw new Error(sf.nameEmpty);
      await api(`/api/admin/tasks/${task.id}`, {
        method: "PUT",
        body: { name: name.trim(), description, workspace: workspace.trim() },
      });
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title={d.editTitle} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label={t.name}>
          {(id) => (
            <input id={id} required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <Field label={t.description}>
          {(id) => (
            <textarea id={id} rows={6} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          )}
        </Field>
        <Field label={t.workspace} hint={t.workspaceHint}>
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
        <FormActions busy={busy} error={error} submit={sf.save} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

export function CreateSubTaskDialog({
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
  const t = useStore(subTaskForm);
  const d = useStore(taskDialogs);
  const states = useStore(stateLabels);
  const types = useStore(taskTypeLabels);
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
      if (!f.name.trim()) throw new Error(d.needName);
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
    <Dialog title={d.newSubTask} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <Field label={t.name}>
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
        <Field label={t.description}>
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
          <Field label={t.deliverable}>
            {(id) => (
              <textarea
                id={id}
                rows={2}
                value={f.deliverable}
                onInput={(e) => set("deliverable")(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label={t.acceptance}>
            {(id) => (
              <textarea
                id={id}
                rows={2}
                value={f.acceptance}
                onInput={(e) => set("acceptance")(e.currentTarget.value)}
              />
            )}
          </Field>
          <Select
            label={t.priority}
            value={f.priority}
            options={labelled(PRIORITIES, states)}
            all={null}
            onChange={set("priority")}
          />
          <Select
            label={t.type}
            value={f.type}
            options={labelled(TASK_TYPES, types)}
            all={null}
            onChange={set("type")}
          />
          <Select
            label={d.module}
            value={f.module_id}
            all={d.noModule}
            options={modules.map((m) => ({ value: m.id, label: m.name }))}
            onChange={set("module_id")}
          />
          <Select
            label={d.assignTo}
            value={f.assigned_agent}
            all={executors.data ? d.nobody : t.loadingExecutors}
            options={(executors.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
            onChange={set("assigned_agent")}
          />
        </div>
        <FormActions busy={busy} error={error} submit={d.createSubTask} busyLabel={d.creating} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
