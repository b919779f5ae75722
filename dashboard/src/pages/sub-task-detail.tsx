import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useRoute } from "preact-iso";
import { type AdminSubTaskOp, adminMayRun } from "../../../contract/sub-task-transitions";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { ErrorState, Loading } from "../components/states";
import { api } from "../lib/api";
import { humanize } from "../lib/format";
import { useApi, useTitle } from "../lib/hooks";
import { useLive } from "../live";
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
  useTitle(res.data?.name ?? "Sub-task");

  if (res.error && !res.data) {
    return (
      <>
        <p class="crumbs">
          <a href="/tasks">← Tasks</a>
        </p>
        <ErrorState title="This sub-task could not be loaded" error={res.error} onRetry={res.reload} />
      </>
    );
  }
  if (!res.data) return <Loading label="Loading the sub-task…" />;
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
        <a href={`/tasks/${st.task_id}`}>← {st.task_name ?? "Task"}</a>
      </p>
      <PageHeader
        title={st.name}
        actions={
          <>
            {action("reassign", "Reassign", true)}
            {action("edit", "Edit")}
            {action("block", "Block")}
            {action("cancel", "Cancel sub-task")}
          </>
        }
      >
        <Pill value={st.status} /> <Pill value={st.priority} label={`${humanize(st.priority)} priority`} /> · updated{" "}
        <RelTime value={st.updated_at} />
      </PageHeader>

      <section class="card" aria-label="Fields">
        <Facts
          items={[
            ["Task", <a href={`/tasks/${st.task_id}`}>{st.task_name ?? st.task_id}</a>],
            ["Module", st.module_name ?? <span class="muted">none</span>],
            [
              "Assignee",
              st.assigned_agent ? (
                <a href={`/agents/${st.assigned_agent}`}>{st.assigned_agent_name ?? st.assigned_agent}</a>
              ) : (
                <span class="muted">unassigned</span>
              ),
            ],
            [
              "Session",
              st.current_session_id ? (
                <code class="mono">{st.current_session_id}</code>
              ) : (
                <span class="muted">none</span>
              ),
            ],
            ["Type", humanize(st.type)],
            ["Rework rounds", st.rework_count],
            ["Created", <RelTime value={st.created_at} />],
            ["Completed", <RelTime value={st.completed_at} fallback="not yet" />],
            ["ID", <code class="mono">{st.id}</code>, "wide"],
          ]}
        />
      </section>
      <div class="grid grid-3 section-gap-top">
        <TextCard title="Description" text={st.description} />
        <TextCard title="Deliverable" text={st.deliverable} />
        <TextCard title="Acceptance criteria" text={st.acceptance} />
      </div>

      <div class="grid grid-2 section-gap-top">
        <Block title="Timeline" count={st.events.length} empty="No state changes yet.">
          <ol class="timeline" data-testid="sub-task-timeline">
            {st.events.map((e) => (
              <li key={e.id}>
                <div>
                  <strong>{humanize(e.op)}</strong>{" "}
                  {e.from_status ? (
                    <>
                      <Pill value={e.from_status} /> → <Pill value={e.to_status} />
                    </>
                  ) : (
                    <Pill value={e.to_status} />
                  )}
                </div>
                <div class="when">
                  by {actorLabel(e.actor_kind, e.actor_id, e.actor_name)} · <RelTime value={e.created_at} />
                </div>
                {e.detail ? <div class="prose entry-meta">{e.detail}</div> : null}
              </li>
            ))}
          </ol>
        </Block>

        <Block title="Activity logs" count={st.activity_logs.length} empty="The agents wrote no log for this sub-task.">
          <ul class="entries">
            {st.activity_logs.map((l) => (
              <li key={l.id}>
                <div class="entry-head">
                  <Pill value={l.action} />
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

        <Block title="Review rounds" count={st.reviews.length} empty="Not reviewed yet.">
          <ul class="entries">
            {st.reviews.map((r) => (
              <li key={r.id}>
                <div class="entry-head">
                  <strong>Round {r.round}</strong>
                  <Pill value={r.result} />
                  <ScoreStars score={r.score} />
                  <span class="spacer" />
                  <span class="entry-meta">
                    <RelTime value={r.created_at} />
                  </span>
                </div>
                <div class="entry-meta">
                  by <a href={`/agents/${r.reviewer_agent}`}>{r.reviewer_agent_name ?? r.reviewer_agent}</a>
                  {r.rework_agent ? (
                    <>
                      {" "}
                      · rework by <a href={`/agents/${r.rework_agent}`}>{r.rework_agent_name ?? r.rework_agent}</a>
                    </>
                  ) : null}
                </div>
                {r.comment ? <Prose text={r.comment} /> : null}
                {r.issues ? (
                  <p class="prose">
                    <strong>Issues:</strong> {r.issues}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </Block>

        <Block title="Score changes" count={st.score_changes.length} empty="No score changed for this sub-task.">
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

        <Block title="Patrol records" count={st.patrol_records.length} empty="The patrol found nothing here.">
          <ul class="entries">
            {st.patrol_records.map((p) => (
              <li key={p.id}>
                <div class="entry-head">
                  <Pill value={p.severity} />
                  <strong>{humanize(p.type)}</strong>
                  <Pill value={p.status} />
                  <span class="spacer" />
                  <span class="entry-meta">
                    <RelTime value={p.created_at} />
                  </span>
                </div>
                <Prose text={p.description} />
                {p.action_taken ? <p class="entry-meta">Action taken: {p.action_taken}</p> : null}
                {p.resolved_at ? (
                  <p class="entry-meta">
                    Resolved <RelTime value={p.resolved_at} />
                    {p.resolution_note ? `: ${p.resolution_note}` : ""}
                  </p>
                ) : (
                  <p class="entry-meta">
                    <a href="/patrol">Resolve on the patrol page</a>
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
          title="Cancel this sub-task?"
          action="Cancel sub-task"
          danger
          onClose={close}
          onConfirm={async () => {
            await api(`/api/admin/sub-tasks/${st.id}/cancel`, { method: "POST" });
            res.reload();
          }}
        >
          <p>“{st.name}” stops here; its agent is released. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function actorLabel(kind: string, id: string | null, name: string | null): ComponentChildren {
  if (kind === "agent" && id) return <a href={`/agents/${id}`}>{name ?? id}</a>;
  return name ?? kind;
}

function TextCard({ title, text }: { title: string; text: string }) {
  return (
    <section class="card" aria-label={title}>
      <h2 class="h3">{title}</h2>
      <Prose text={text} empty="Not given." />
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
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!f.name.trim()) throw new Error("The name cannot be empty.");
      await api(`/api/admin/sub-tasks/${st.id}`, { method: "PUT", body: { ...f, name: f.name.trim() } });
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title="Edit sub-task" onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <p class="hint">Only pending or assigned sub-tasks can be edited.</p>
        <Field label="Name">
          {(id) => <input id={id} maxLength={200} value={f.name} onInput={(e) => set("name")(e.currentTarget.value)} />}
        </Field>
        <Field label="Description">
          {(id) => (
            <textarea
              id={id}
              rows={4}
              value={f.description}
              onInput={(e) => set("description")(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="grid grid-2 tight">
          <Field label="Deliverable">
            {(id) => (
              <textarea
                id={id}
                rows={3}
                value={f.deliverable}
                onInput={(e) => set("deliverable")(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Acceptance criteria">
            {(id) => (
              <textarea
                id={id}
                rows={3}
                value={f.acceptance}
                onInput={(e) => set("acceptance")(e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
        <Select label="Priority" value={f.priority} options={PRIORITIES} all={null} onChange={set("priority")} />
        <FormActions busy={busy} error={error} submit="Save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function ReassignDialog({ st, onClose, onSaved }: DialogProps) {
  const executors = useAgentOptions("executor");
  const [agent, setAgent] = useState("");
  const { busy, error, run } = useAction();
  const options = (executors.data?.items ?? []).filter((a) => a.id !== st.assigned_agent);
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!agent) throw new Error("Pick the executor to hand it to.");
      await api(`/api/admin/sub-tasks/${st.id}/reassign`, { method: "POST", body: { agent_id: agent } });
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title="Reassign sub-task" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>The blocked sub-task goes back to “assigned” with the executor you pick.</p>
        {executors.error ? <ErrorState error={executors.error} onRetry={executors.reload} /> : null}
        <Select
          label="Executor"
          value={agent}
          all={
            executors.data ? (options.length ? "Choose an executor" : "No other active executor") : "Loading executors…"
          }
          options={options.map((a) => ({
            value: a.id,
            label: `${a.name}${a.online ? " (online)" : ""} · ${a.open_sub_task_count} open`,
          }))}
          onChange={setAgent}
        />
        <FormActions
          busy={busy}
          error={error}
          submit="Reassign"
          busyLabel="Reassigning…"
          onCancel={onClose}
          disabled={!agent}
        />
      </form>
    </Dialog>
  );
}

function BlockDialog({ st, onClose, onSaved }: DialogProps) {
  const [reason, setReason] = useState("");
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
    <Dialog title="Block sub-task" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>Its agent stops working on it; a planner or you can then reassign it.</p>
        <Field label="Reason (optional)">
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
        <FormActions busy={busy} error={error} submit="Block" busyLabel="Blocking…" onCancel={onClose} danger />
      </form>
    </Dialog>
  );
}
