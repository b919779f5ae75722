// The role templates tab: the four roles, and the editor of the chosen role's template.
import { useStore } from "@nanostores/preact";
import { useEffect, useState } from "preact/hooks";
import { Field } from "../../components/field";
import { RelTime } from "../../components/rel-time";
import { Notice } from "../../components/states";
import { roleLabels } from "../../i18n/en/enums";
import { templatesText } from "../../i18n/en/prompts";
import { Rich } from "../../i18n/rich";
import { api } from "../../lib/api";
import { labelOf } from "../../lib/format";
import { useApi } from "../../lib/hooks";
import { isOneOf, type PromptTemplate, ROLES } from "./types";
import { FormActions, useAction, View } from "./ui";

/** The role templates tab: `role` is the one chosen in the URL (planner when none or unknown). */
export function Templates({ role: chosen, onRole }: { role: string; onRole: (role: string) => void }) {
  const t = useStore(templatesText);
  const roles = useStore(roleLabels);
  const templates = useApi<PromptTemplate[]>("/api/admin/prompts/templates");
  const role = isOneOf(ROLES, chosen) ? chosen : "planner";
  return (
    <div class="grid-side">
      <section aria-labelledby="roles-title">
        <h2 id="roles-title" class="h3">
          {t.roles}
        </h2>
        <ul class="list-buttons">
          {ROLES.map((r) => {
            const stored = templates.data?.find((x) => x.role === r);
            return (
              <li key={r}>
                <button type="button" class="btn" aria-pressed={role === r} onClick={() => onRole(r)}>
                  <span>
                    {roles[r]}
                    <span class="cell-sub">
                      {templates.data ? stored ? <span data-i18n-skip>{stored.filename}</span> : t.noTemplate : "…"}
                    </span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      <View res={templates} label={t.listLabel}>
        {(list) => (
          <TemplateEditor
            key={role}
            role={role}
            template={list.find((x) => x.role === role)}
            onSaved={templates.reload}
          />
        )}
      </View>
    </div>
  );
}

function TemplateEditor({
  role,
  template,
  onSaved,
}: {
  role: string;
  template: PromptTemplate | undefined;
  onSaved: () => void;
}) {
  const t = useStore(templatesText);
  const roles = useStore(roleLabels);
  const [content, setContent] = useState(template?.content ?? "");
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  useEffect(() => setSaved(false), [content]);
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!content.trim()) throw new Error(t.blank);
      await api(`/api/admin/prompts/templates/${role}`, { method: "PUT", body: { content } });
      onSaved();
      setSaved(true);
    });
  };
  return (
    <section class="card" aria-labelledby="template-title">
      <h2 id="template-title">{t.title({ role: labelOf(roles, role) })}</h2>
      <p class="muted">
        {t.base({ role: labelOf(roles, role) })}{" "}
        {template ? <Rich text={t.updated} parts={{ time: <RelTime value={template.updated_at} /> }} /> : t.noneStored}
      </p>
      <form onSubmit={submit} noValidate>
        <Field label={t.template} hint={t.templateHint}>
          {(id, hint) => (
            <textarea
              id={id}
              aria-describedby={hint}
              class="editor"
              rows={22}
              value={content}
              onInput={(e) => setContent(e.currentTarget.value)}
            />
          )}
        </Field>
        <FormActions busy={busy} error={error} submit={t.save} />
        {saved ? <Notice kind="ok">{t.saved}</Notice> : null}
      </form>
    </section>
  );
}
