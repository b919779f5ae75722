// The form that creates or edits an agent prompt (its name, role, slug, description and text).
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { Field } from "../../components/field";
import { roleLabels } from "../../i18n/en/enums";
import { editorText } from "../../i18n/en/prompts";
import { api } from "../../lib/api";
import { type AgentPrompt, type AgentPromptRef, ROLES } from "./types";
import { FormActions, Select, useAction } from "./ui";

export function PromptEditor({
  initial,
  onCancel,
  onSaved,
}: {
  initial?: AgentPrompt;
  onCancel: () => void;
  onSaved: (slug: string) => void;
}) {
  const t = useStore(editorText);
  const roles = useStore(roleLabels);
  const [f, setF] = useState({
    slug: initial?.slug ?? "",
    name: initial?.name ?? "",
    role: initial?.role ?? "executor",
    description: initial?.description ?? "",
    content: initial?.content ?? "",
    example: initial?.example ?? false,
  });
  const set =
    <K extends keyof typeof f>(k: K) =>
    (v: (typeof f)[K]) =>
      setF((x) => ({ ...x, [k]: v }));
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!f.name.trim()) throw new Error(t.needsName);
      if (!initial && !f.slug.trim()) throw new Error(t.needsSlug);
      const body = {
        name: f.name.trim(),
        role: f.role,
        description: f.description,
        content: f.content,
        example: f.example,
      };
      const saved = initial
        ? await api<AgentPromptRef>(`/api/admin/prompts/agents/${encodeURIComponent(initial.slug)}`, {
            method: "PUT",
            body,
          })
        : await api<AgentPromptRef>("/api/admin/prompts/agents", {
            method: "POST",
            body: { ...body, slug: f.slug.trim() },
          });
      onSaved(saved.slug);
    });
  };
  return (
    <section class="card" aria-labelledby="editor-title">
      <h2 id="editor-title">{initial ? t.editTitle({ name: initial.name }) : t.newTitle}</h2>
      <form onSubmit={submit} noValidate>
        <div class="grid grid-2 tight">
          <Field label={t.name}>
            {(id) => (
              <input id={id} maxLength={200} value={f.name} onInput={(e) => set("name")(e.currentTarget.value)} />
            )}
          </Field>
          <Select label={t.role} value={f.role} options={ROLES} labels={roles} all={null} onChange={set("role")} />
          {initial ? null : (
            <Field
              label={t.slug}
              hint={t.storedAs({ slug: `${f.role}-${f.slug.replace(new RegExp(`^${f.role}-`), "") || "…"}` })}
            >
              {(id, hint) => (
                <input
                  id={id}
                  aria-describedby={hint}
                  class="mono"
                  maxLength={80}
                  value={f.slug}
                  onInput={(e) => set("slug")(e.currentTarget.value)}
                />
              )}
            </Field>
          )}
          <Field label={t.description}>
            {(id) => (
              <input
                id={id}
                maxLength={2000}
                value={f.description}
                onInput={(e) => set("description")(e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
        <Field label={t.prompt} hint={t.promptHint}>
          {(id, hint) => (
            <textarea
              id={id}
              aria-describedby={hint}
              class="editor"
              rows={16}
              value={f.content}
              onInput={(e) => set("content")(e.currentTarget.value)}
            />
          )}
        </Field>
        <label class="switch">
          <input type="checkbox" checked={f.example} onChange={(e) => set("example")(e.currentTarget.checked)} />
          <span>{t.example}</span>
        </label>
        {initial && f.role !== initial.role ? <p class="banner">{t.roleRenames({ prefix: `${f.role}-` })}</p> : null}
        <FormActions busy={busy} error={error} submit={initial ? t.save : t.create} onCancel={onCancel} />
      </form>
    </section>
  );
}
