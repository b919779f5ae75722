import { useStore } from "@nanostores/preact";
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useRoute } from "preact-iso";
import { type AdminSubTaskOp, adminMayRun } from "../../../contract/sub-task-transitions";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { ErrorState, Loading } from "../components/states";
import { actionLabels, anomalyLabels, stateLabels, subTaskOpLabels, taskTypeLabels } from "../i18n/en/enums";
import { actorKindLabels, subTaskDialogs, subTaskForm, subTaskHistory, subTaskPage } from "../i18n/en/sub-task";
import { Rich } from "../i18n/rich";
import { api } from "../lib/api";
import { labelled, labelOf } from "../lib/format";
import { useApi, useTitle } from "../lib/hooks";
import { useLive } from "../live";
import { FilesCard } from "./parts/files-card";
import { SubTaskTextFields } from "./parts/sub-task-fields";
import { type AdminSubTaskDetail, PRIORITIES } from "./parts/types";
import {
  ConfirmDialog,
  Dialog,
  Facts,
  FormActions,
  Pill,
  Prose,
  ScoreStars,
  Select,
  signed,
  useAction,
  useAgentOptions,
} from "./parts/ui";

/** The dialog open, if any: one per admin action; the Worker's table (contract/) says from which states. */
type Open = null | AdminSubTaskOp;

export default function SubTaskDetailPage() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const res = useApi<AdminSubTaskDetail>(`/api/admin/sub-tasks/${encodeURIComponent(id)}`);
  useLive(["sub_tasks", "logs"], res.reload, { pollMs: 5000, enabled: res.data !== undefined });
  const [open, setOpen] = useState<Open>(null);
  const t = useStore(subTaskPage);
  const f = useStore(subTaskForm);
  const h = useStore(subTaskHistory);
  const states = useStore(stateLabels);
  const types = useStore(taskTypeLabels);
  const ops = useStore(subTaskOpLabels);
  const actions = useStore(actionLabels);
  const anomalies = useStore(anomalyLabels);
  const actors = useStore(actorKindLabels);
  useTitle(res.data?.name ?? t.fallbackTitle);

  if (res.error && !res.data) {
    return (
      <>
        <p class="crumbs">
          <a href="/tasks">← {t.tasks}</a>
        </p>
        <ErrorState title={t.loadFailed} error={res.error} onRetry={res.reload} />
      </>
    );
  }
  if (!res.data) return <Loading label={t.loading} />;
  const st = res.data;
  const close = () => setOpen(null);
  const action = (op: AdminSubTaskOp, label: string, primary = false) =>
    adminMayRun(op, st.status) ? (
      <button
        type="button"
        class={primary ? "btn btn-primary" : op === "cancel" ? "btn btn-danger" : "btn"}
        onClick={() => setOpen(op)}
      >
        {label}
      </button>
    ) : null;

  return (
    <>
      <p class="crumbs">
        <a href={`/tasks/${st.task_id}`}>← {st.task_name ?? t.task}</a>
      </p>
      <PageHeader
        title={st.name}
        actions={
          <>
            {action("reassign", t.reassign, true)}
            {action("edit", t.edit)}
            {action("block", t.block)}
            {action("cancel", t.cancelSubTask)}
          </>
        }
      >
        <Pill value={st.status} />{" "}
        <Pill value={st.priority} label={t.priorityPill({ priority: labelOf(states, st.priority) })} />{" "}
        <Rich text={t.updated} parts={{ time: <RelTime value={st.updated_at} /> }} />
      </PageHeader>

      <section class="card" aria-label={t.fields}>
        <Facts
          items={[
            [
              t.task,
              <a href={`/tasks/${st.task_id}`} data-i18n-skip>
                {st.task_name ?? st.task_id}
              </a>,
            ],
            [
              t.module,
              st.module_name ? <span data-i18n-skip>{st.module_name}</span> : <span class="muted">{t.none}</span>,
            ],
            [
              t.assignee,
              st.assigned_agent ? (
                <a href={`/agents/${st.assigned_agent}`}>{st.assigned_agent_name ?? st.assigned_agent}</a>
              ) : (
                <span class="muted">{t.unassigned}</span>
              ),
            ],
            [
              t.session,
              st.current_session_id ? (
                <code class="mono">{st.current_session_id}</code>
              ) : (
                <span class="muted">{t.none}</span>
              ),
            ],
            [f.type, labelOf(types, st.type)],
            [t.reworkRounds, st.rework_count],
            [t.created, <RelTime value={st.created_at} />],
            [t.completed, <RelTime value={st.completed_at} fallback={t.notYet} />],
            ["ID", <code class="mono">{st.id}</code>, "wide"],
          ]}
        />
      </section>
      <div class="grid grid-3 section-gap-top">
        <TextCard title={f.description} text={st.description} />
        <TextCard title={f.deliverable} text={st.deliverable} />
        <TextCard title={f.acceptance} text={st.acceptance} />
      </div>
      <div class="section-gap-top">
        <FilesCard subTaskId={st.id} />
      </div>

      <div class="grid grid-2 section-gap-top">
        <Block title={h.timeline} count={st.events.length} empty={h.timelineEmpty}>
          <ol class="timeline" data-testid="sub-task-timeline">
            {st.events.map((e) => (
              <li key={e.id}>
                <div>
                  <strong>{e.op === "create" ? h.opCreate : labelOf(ops, e.op)}</strong>{" "}
                  {e.from_status ? (
                    <>
                      <Pill value={e.from_status} /> → <Pill value={e.to_status} />
                    </>
                  ) : (
                    <Pill value={e.to_status} />
                  )}
                </div>
                <div class="when">
                  <Rich
                    text={h.by}
                    parts={{
                      actor: actorLabel(e.actor_kind, e.actor_id, e.actor_name, actors),
                      time: <RelTime value={e.created_at} />,
                    }}
                  />
                </div>
                {e.detail ? (
                  <div class="prose entry-meta" data-i18n-skip>
                    {e.detail}
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        </Block>

        <Block title={h.activityLogs} count={st.activity_logs.length} empty={h.activityLogsEmpty}>
          <ul class="entries">
            {st.activity_logs.map((l) => (
              <li key={l.id}>
                <div class="entry-head">
                  <Pill value={l.action} label={labelOf(actions, l.action)} />
                  <a href={`/agents/${l.agent_id}`}>{l.agent_name ?? l.agent_id}</a>
                  <span class="spacer" />
                  <span class="entry-meta">
                    <RelTime value={l.created_at} />
                  </span>
                </div>
                <Prose text={l.summary} />
              </li>
            ))}
          </ul>
        </Block>

        <Block title={h.reviewRounds} count={st.reviews.length} empty={h.reviewRoundsEmpty}>
          <ul class="entries">
            {st.reviews.map((r) => (
              <li key={r.id}>
                <div class="entry-head">
                  <strong>{h.round({ round: r.round })}</strong>
                  <Pill value={r.result} />
                  <ScoreStars score={r.score} />
                  <span class="spacer" />
                  <span class="entry-meta">
                    <RelTime value={r.created_at} />
                  </span>
                </div>
                <div class="entry-meta">
                  <Rich
                    text={h.reviewedBy}
                    parts={{
                      reviewer: <a href={`/agents/${r.reviewer_agent}`}>{r.reviewer_agent_name ?? r.reviewer_agent}</a>,
                    }}
                  />
                  {r.rework_agent ? (
                    <Rich
                      text={h.reworkBy}
                      parts={{
                        agent: <a href={`/agents/${r.rework_agent}`}>{r.rework_agent_name ?? r.rework_agent}</a>,
                      }}
                    />
                  ) : null}
                </div>
                {r.comment ? <Prose text={r.comment} /> : null}
                {r.issues ? (
                  <p class="prose">
                    <strong>{h.issues}</strong> <span data-i18n-skip>{r.issues}</span>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </Block>

        <Block title={h.scoreChanges} count={st.score_changes.length} empty={h.scoreChangesEmpty}>
          <ul class="entries">
            {st.score_changes.map((s) => (
              <li key={s.id}>
                <div class="entry-head">
                  <strong class={s.score_delta < 0 ? "neg" : "pos"}>{signed(s.score_delta)}</strong>
                  <a href={`/agents/${s.agent_id}`}>{s.agent_name ?? s.agent_id}</a>
                  <span class="spacer" />
                  <span class="entry-meta">
                    <RelTime value={s.created_at} />
                  </span>
                </div>
                <Prose text={s.reason} />
              </li>
            ))}
          </ul>
        </Block>

        <Block title={h.patrolRecords} count={st.patrol_records.length} empty={h.patrolRecordsEmpty}>
          <ul class="entries">
            {st.patrol_records.map((p) => (
              <li key={p.id}>
                <div class="entry-head">
                  <Pill value={p.severity} />
                  <strong>{labelOf(anomalies, p.type)}</strong>
                  <Pill value={p.status} />
                  <span class="spacer" />
                  <span class="entry-meta">
                    <RelTime value={p.created_at} />
                  </span>
                </div>
                <Prose text={p.description} />
                {p.action_taken ? <p class="entry-meta">{h.actionTaken({ action: p.action_taken })}</p> : null}
                {p.resolved_at ? (
                  <p class="entry-meta">
                    <Rich
                      text={p.resolution_note ? h.resolvedWithNote : h.resolved}
                      parts={{ time: <RelTime value={p.resolved_at} />, note: p.resolution_note }}
                    />
                  </p>
                ) : (
                  <p class="entry-meta">
                    <a href="/patrol">{h.resolveOnPatrol}</a>
                  </p>
                )}
              </li>
            ))}
          </ul>
        </Block>
      </div>

      {open === "edit" ? <EditDialog st={st} onClose={close} onSaved={res.reload} /> : null}
      {open === "reassign" ? <ReassignDialog st={st} onClose={close} onSaved={res.reload} /> : null}
      {open === "block" ? <BlockDialog st={st} onClose={close} onSaved={res.reload} /> : null}
      {open === "cancel" ? (
        <ConfirmDialog
          title={t.cancelTitle}
          action={t.cancelSubTask}
          danger
          onClose={close}
          onConfirm={async () => {
            await api(`/api/admin/sub-tasks/${st.id}/cancel`, { method: "POST" });
            res.reload();
          }}
        >
          <p>{t.cancelBody({ name: st.name })}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function actorLabel(
  kind: string,
  id: string | null,
  name: string | null,
  kinds: Readonly<Record<string, string>>,
): ComponentChildren {
  if (kind === "agent" && id) return <a href={`/agents/${id}`}>{name ?? id}</a>;
  return name ?? labelOf(kinds, kind);
}

function TextCard({ title, text }: { title: string; text: string }) {
  const t = useStore(subTaskPage);
  return (
    <section class="card" aria-label={title}>
      <h2 class="h3">{title}</h2>
      <Prose text={text} empty={t.notGiven} />
    </section>
  );
}

function Block({
  title,
  count,
  empty,
  children,
}: {
  title: string;
  count: number;
  empty: string;
  children: ComponentChildren;
}) {
  return (
    <section class="card" aria-label={title}>
      <div class="card-head">
        <h2 class="h3">
          {title} {count > 0 ? <span class="badge">{count}</span> : null}
        </h2>
      </div>
      {count === 0 ? <p class="muted">{empty}</p> : children}
    </section>
  );
}

interface DialogProps {
  st: AdminSubTaskDetail;
  onClose: () => void;
  onSaved: () => void;
}

function EditDialog({ st, onClose, onSaved }: DialogProps) {
  const [f, setF] = useState({
    name: st.name,
    description: st.description,
    deliverable: st.deliverable,
    acceptance: st.acceptance,
    priority: st.priority,
  });
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const t = useStore(subTaskForm);
  const d = useStore(subTaskDialogs);
  const states = useStore(stateLabels);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!f.name.trim()) throw new Error(t.nameEmpty);
      await api(`/api/admin/sub-tasks/${st.id}`, { method: "PUT", body: { ...f, name: f.name.trim() } });
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title={d.editTitle} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <p class="hint">{d.editHint}</p>
        <SubTaskTextFields f={f} set={set} roomy />
        <Select
          label={t.priority}
          value={f.priority}
          options={labelled(PRIORITIES, states)}
          all={null}
          onChange={set("priority")}
        />
        <FormActions busy={busy} error={error} submit={t.save} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function ReassignDialog({ st, onClose, onSaved }: DialogProps) {
  const executors = useAgentOptions("executor");
  const [agent, setAgent] = useState("");
  const d = useStore(subTaskDialogs);
  const f = useStore(subTaskForm);
  const { busy, error, run } = useAction();
  const options = (executors.data?.items ?? []).filter((a) => a.id !== st.assigned_agent);
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!agent) throw new Error(d.pickExecutor);
      await api(`/api/admin/sub-tasks/${st.id}/reassign`, { method: "POST", body: { agent_id: agent } });
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title={d.reassignTitle} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>{d.reassignBody}</p>
        {executors.error ? <ErrorState error={executors.error} onRetry={executors.reload} /> : null}
        <Select
          label={d.executor}
          value={agent}
          all={executors.data ? (options.length ? d.chooseExecutor : d.noOtherExecutor) : f.loadingExecutors}
          options={options.map((a) => ({
            value: a.id,
            label: d.executorOption({ name: a.name, online: a.online ? d.online : "", open: a.open_sub_task_count }),
          }))}
          onChange={setAgent}
        />
        <FormActions
          busy={busy}
          error={error}
          submit={d.reassign}
          busyLabel={d.reassigning}
          onCancel={onClose}
          disabled={!agent}
        />
      </form>
    </Dialog>
  );
}

function BlockDialog({ st, onClose, onSaved }: DialogProps) {
  const [reason, setReason] = useState("");
  const d = useStore(subTaskDialogs);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api(`/api/admin/sub-tasks/${st.id}/block`, { method: "POST", body: { reason: reason.trim() || null } });
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title={d.blockTitle} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>{d.blockBody}</p>
        <Field label={d.reason}>
          {(id) => (
            <textarea
              id={id}
              rows={3}
              maxLength={2000}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          )}
        </Field>
        <FormActions busy={busy} error={error} submit={d.block} busyLabel={d.blocking} onCancel={onClose} danger />
      </form>
    </Dialog>
  );
}
