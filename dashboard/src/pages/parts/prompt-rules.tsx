// The rules tab: the global rule, and the task and sub-task rules with their editors.
import { useStore } from "@nanostores/preact";
import { useEffect, useState } from "preact/hooks";
import { Field } from "../../components/field";
import { RelTime } from "../../components/rel-time";
import { Notice } from "../../components/states";
import { ruleScopeLabels } from "../../i18n/en/enums";
import { rulesText } from "../../i18n/en/prompts";
import { Rich } from "../../i18n/rich";
import { api, withQuery } from "../../lib/api";
import { labelOf } from "../../lib/format";
import { useApi } from "../../lib/hooks";
import type { Page } from "../../lib/types";
import type { AdminTask, Rule } from "./types";
import { ConfirmDialog, FormActions, Select, useAction, View } from "./ui";

export function Rules() {
  const t = useStore(rulesText);
  const scopes = useStore(ruleScopeLabels);
  const rules = useApi<Rule[]>("/api/rules/list");
  const tasks = useApi<Page<AdminTask>>(
    withQuery("/api/admin/tasks", { page_size: 100, sort_by: "updated_at", sort_order: "desc" }),
  );
  const taskName = new Map((tasks.data?.items ?? []).map((x) => [x.id, x.name]));
  const [adding, setAdding] = useState(false);
  return (
    <View res={rules} label={t.listLabel}>
      {(list) => {
        const global = list.find((r) => r.scope === "global");
        const others = list.filter((r) => r.scope !== "global");
        return (
          <div class="stack">
            <p class="muted">{t.intro}</p>
            <section class="card" aria-labelledby="global-rule-title">
              <h2 id="global-rule-title" class="h3">
                {t.global}
              </h2>
              {global ? (
                <RuleEditor rule={global} onChanged={rules.reload} />
              ) : (
                <NewRule scope="global" tasks={[]} onCreated={rules.reload} />
              )}
            </section>
            <section class="card" aria-labelledby="scoped-rules-title">
              <div class="card-head">
                <h2 id="scoped-rules-title" class="h3">
                  {t.scoped}
                </h2>
                {!adding ? (
                  <button type="button" class="btn" onClick={() => setAdding(true)}>
                    {t.add}
                  </button>
                ) : null}
              </div>
              {adding ? (
                <NewRule
                  scope="task"
                  tasks={tasks.data?.items ?? []}
                  onCancel={() => setAdding(false)}
                  onCreated={() => {
                    setAdding(false);
                    rules.reload();
                  }}
                />
              ) : null}
              {others.length === 0 ? (
                <p class="muted">{t.none}</p>
              ) : (
                <ul class="entries">
                  {others.map((r) => (
                    <li key={r.id}>
                      <p class="entry-head">
                        <strong>{labelOf(scopes, r.scope)}</strong>
                        {r.scope === "task" && r.task_id ? (
                          <a href={`/tasks/${r.task_id}`} data-i18n-skip>
                            {taskName.get(r.task_id) ?? r.task_id}
                          </a>
                        ) : null}
                        {r.scope === "sub_task" && r.sub_task_id ? (
                          <a href={`/sub-tasks/${r.sub_task_id}`}>{r.sub_task_id}</a>
                        ) : null}
                      </p>
                      <RuleEditor rule={r} onChanged={rules.reload} />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        );
      }}
    </View>
  );
}

function RuleEditor({ rule, onChanged }: { rule: Rule; onChanged: () => void }) {
  const t = useStore(rulesText);
  const [content, setContent] = useState(rule.content);
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const { busy, error, run } = useAction();
  useEffect(() => setContent(rule.content), [rule.content]);
  useEffect(() => setSaved(false), [content]);
  const label = rule.scope === "global" ? t.globalText : t.ruleText({ id: rule.id.slice(0, 8) });
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!content.trim()) throw new Error(t.empty);
      await api(`/api/rules/${rule.id}`, { method: "PUT", body: { content } });
      setSaved(true);
      onChanged();
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Field
        label={label}
        hint={
          <>
            <Rich text={t.updated} parts={{ time: <RelTime value={rule.updated_at} /> }} /> {t.markdown}
          </>
        }
      >
        {(id, hint) => (
          <textarea
            id={id}
            aria-describedby={hint}
            class="editor"
            rows={rule.scope === "global" ? 18 : 6}
            value={content}
            onInput={(e) => setContent(e.currentTarget.value)}
          />
        )}
      </Field>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy || content === rule.content}>
          {busy ? t.saving : t.save}
        </button>
        <button type="button" class="btn btn-danger" onClick={() => setDeleting(true)}>
          {t.delete}
        </button>
        {saved ? <Notice kind="ok">{t.saved}</Notice> : null}
      </div>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {deleting ? (
        <ConfirmDialog
          title={t.deleteTitle}
          action={t.delete}
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await api(`/api/rules/${rule.id}`, { method: "DELETE" });
            onChanged();
          }}
        >
          <p>{t.deleteText}</p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}

function NewRule({
  scope: initialScope,
  tasks,
  onCreated,
  onCancel,
}: {
  scope: "global" | "task";
  tasks: AdminTask[];
  onCreated: () => void;
  onCancel?: () => void;
}) {
  const t = useStore(rulesText);
  const [scope, setScope] = useState<string>(initialScope);
  const [taskId, setTaskId] = useState("");
  const [subTaskId, setSubTaskId] = useState("");
  const [content, setContent] = useState("");
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!content.trim()) throw new Error(t.writeFirst);
      if (scope === "task" && !taskId) throw new Error(t.pickTask);
      if (scope === "sub_task" && !subTaskId.trim()) throw new Error(t.giveSubTask);
      await api("/api/rules", {
        method: "POST",
        body: {
          scope,
          content,
          task_id: scope === "task" ? taskId : null,
          sub_task_id: scope === "sub_task" ? subTaskId.trim() : null,
        },
      });
      onCreated();
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      {initialScope === "global" ? (
        <p class="muted">{t.noGlobal}</p>
      ) : (
        <div class="grid grid-2 tight">
          <Select
            label={t.appliesTo}
            value={scope}
            all={null}
            options={[
              { value: "task", label: t.aTask },
              { value: "sub_task", label: t.aSubTask },
            ]}
            onChange={setScope}
          />
          {scope === "task" ? (
            <Select
              label={t.task}
              value={taskId}
              all={t.chooseTask}
              options={tasks.map((x) => ({ value: x.id, label: x.name }))}
              onChange={setTaskId}
            />
          ) : (
            <Field label={t.subTaskId}>
              {(id) => (
                <input id={id} class="mono" value={subTaskId} onInput={(e) => setSubTaskId(e.currentTarget.value)} />
              )}
            </Field>
          )}
        </div>
      )}
      <Field label={initialScope === "global" ? t.globalText : t.newText}>
        {(id) => (
          <textarea
            id={id}
            class="editor"
            rows={8}
            value={content}
            onInput={(e) => setContent(e.currentTarget.value)}
          />
        )}
      </Field>
      <FormActions busy={busy} error={error} submit={t.create} busyLabel={t.creating} onCancel={onCancel} />
    </form>
  );
}
