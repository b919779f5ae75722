// The text fields a sub-task's creation and its edit share: name, description, deliverable and
// acceptance criteria (each dialog adds its own selects after them).
import { useStore } from "@nanostores/preact";
import { Field } from "../../components/field";
import { subTaskForm } from "../../i18n/en/sub-task";

export interface SubTaskText {
  name: string;
  description: string;
  deliverable: string;
  acceptance: string;
}

export function SubTaskTextFields<F extends SubTaskText>({
  f,
  set,
  roomy = false,
}: {
  f: F;
  set: (key: keyof SubTaskText) => (value: string) => void;
  /** Taller text areas: the edit dialog shows texts already written. */
  roomy?: boolean;
}) {
  const t = useStore(subTaskForm);
  const area = (key: "description" | "deliverable" | "acceptance", label: string, rows: number) => (
    <Field label={label}>
      {(id) => <textarea id={id} rows={rows} value={f[key]} onInput={(e) => set(key)(e.currentTarget.value)} />}
    </Field>
  );
  return (
    <>
      <Field label={t.name}>
        {(id) => (
          <input id={id} required maxLength={200} value={f.name} onInput={(e) => set("name")(e.currentTarget.value)} />
        )}
      </Field>
      {area("description", t.description, roomy ? 4 : 3)}
      <div class="grid grid-2 tight">
        {area("deliverable", t.deliverable, roomy ? 3 : 2)}
        {area("acceptance", t.acceptance, roomy ? 3 : 2)}
      </div>
    </>
  );
}
