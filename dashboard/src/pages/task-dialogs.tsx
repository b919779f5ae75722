// The task page's dialogs: editing the task and adding a sub-task to it.
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { stateLabels, taskTypeLabels } from "../i18n/en/enums";
import { subTaskForm } from "../i18n/en/sub-task";
import { taskDialogs } from "../i18n/en/task";
import { api } from "../lib/api";
import { labelled } from "../lib/format";
import { SubTaskTextFields } from "./parts/sub-task-fields";
import { type TaskText, TaskTextFields } from "./parts/task-fields";
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
  const [f, setF] = useState<TaskText>({ name: task.name, description: task.description, workspace: task.workspace });
  const set = (k: keyof TaskText) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const d = useStore(taskDialogs);
  const sf = useStore(subTaskForm);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!f.name.trim()) throw new Error(sf.nameEmpty);
      await api(`/api/admin/tasks/${task.id}`, {
        method: "PUT",
        body: { name: f.name.trim(), description: f.description, workspace: f.workspace.trim() },
      });
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title={d.editTitle} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TaskTextFields f={f} set={set} descriptionRows={6} />
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
        <SubTaskTextFields f={f} set={set} />
        <div class="grid grid-2 tight">
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
