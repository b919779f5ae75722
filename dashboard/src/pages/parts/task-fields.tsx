// The text fields a task's creation (tasks page) and its edit (task page) share: name, description
// and the shared workspace.
import { useStore } from "@nanostores/preact";
import { Field } from "../../components/field";
import { taskForm } from "../../i18n/en/tasks";

export interface TaskText {
  name: string;
  description: string;
  workspace: string;
}

export function TaskTextFields({
  f,
  set,
  descriptionRows,
}: {
  f: TaskText;
  set: (key: keyof TaskText) => (value: string) => void;
  descriptionRows: number;
}) {
  const t = useStore(taskForm);
  return (
    <>
      <Field label={t.name}>
        {(id) => (
          <input id={id} required maxLength={200} value={f.name} onInput={(e) => set("name")(e.currentTarget.value)} />
        )}
      </Field>
      <Field label={t.description}>
        {(id) => (
          <textarea
            id={id}
            rows={descriptionRows}
            value={f.description}
            onInput={(e) => set("description")(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label={t.workspace} hint={t.workspaceHint}>
        {(id, hintId) => (
          <input
            id={id}
            maxLength={1000}
            aria-describedby={hintId}
            value={f.workspace}
            onInput={(e) => set("workspace")(e.currentTarget.value)}
          />
        )}
      </Field>
    </>
  );
}
