// Finding → task rule: the dialog opens with the task the problem was seen most on and a suggested rule
// in the admin's language, both editable; one POST makes the rule and marks the finding (409 on repeat).
import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { Field } from "../../components/field";
import { retroWords, ruleDialog } from "../../i18n/en/retros";
import { api, withQuery } from "../../lib/api";
import { useApi } from "../../lib/hooks";
import type { Page } from "../../lib/types";
import { periodName } from "./retro-parts";
import type { AdminTask, FindingRuleResult, RetroPattern } from "./types";
import { Dialog, FormActions, shortId, useAction } from "./ui";

/** The longest rule the dialog sends; the API bounds rule content too. */
const RULE_MAX = 4000;

export function RuleDialog({
  retroId,
  findingId,
  pattern,
  periodKey,
  onClose,
  onSaved,
}: {
  retroId: string;
  findingId: string;
  pattern: RetroPattern;
  periodKey: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useStore(ruleDialog);
  const w = useStore(retroWords);
  const tasks = useApi<Page<AdminTask>>(
    withQuery("/api/admin/tasks", { page_size: 100, sort_by: "updated_at", sort_order: "desc" }),
  );
  const [taskId, setTaskId] = useState(pattern.top_task_id);
  const suggest = pattern.kind === "issue" ? t.suggestion : t.typeSuggestion;
  const [content, setContent] = useState(() =>
    suggest({ n: pattern.count, period: periodName(periodKey, w), sample: pattern.sample }),
  );
  const { busy, error, run } = useAction();
  const options = tasks.data?.items ?? [];
  // The pattern's task may be past the first page, or gone: keep it choosable by id.
  const listed = options.some((task) => task.id === pattern.top_task_id);

  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!content.trim()) throw new Error(t.empty);
      await api<FindingRuleResult>(
        `/api/retrospectives/${encodeURIComponent(retroId)}/findings/${encodeURIComponent(findingId)}/rule`,
        { method: "POST", body: { task_id: taskId, content: content.trim() } },
      );
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title={t.title} onClose={onClose} wide>
      <form onSubmit={submit} noValidate data-testid="rule-form">
        <p class="muted">{t.intro}</p>
        <Field label={t.task}>
          {(id) => (
            <select id={id} name="task_id" value={taskId} onChange={(e) => setTaskId(e.currentTarget.value)}>
              {listed ? null : <option value={pattern.top_task_id}>{shortId(pattern.top_task_id)}</option>}
              {options.map((task) => (
                <option key={task.id} value={task.id} data-i18n-skip>
                  {task.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.content} hint={t.contentHint}>
          {(id, d) => (
            <textarea
              id={id}
              name="content"
              aria-describedby={d}
              rows={4}
              maxLength={RULE_MAX}
              value={content}
              onInput={(e) => setContent(e.currentTarget.value)}
            />
          )}
        </Field>
        <FormActions busy={busy} error={error} submit={t.submit} busyLabel={t.busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
