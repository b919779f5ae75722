import { useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import { CopyButton } from "../components/copy-button";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { ErrorState, Loading } from "../components/states";
import { api, withQuery } from "../lib/api";
import { formatAbsolute, humanize } from "../lib/format";
import { useApi, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { McpConfig } from "./parts/mcp-config";
import {
  type AdminAgentDetail,
  type AdminLog,
  type AdminSubTask,
  type AgentKeyReset,
  type AgentRelatedCounts,
  type Onboarding,
  type RewardLog,
  ROLES,
} from "./parts/types";
import {
  ConfirmDialog,
  Dialog,
  Facts,
  FormActions,
  OnlineDot,
  Pill,
  Prose,
  SecretOnce,
  Select,
  signed,
  TypedConfirm,
  useAction,
  View,
} from "./parts/ui";

type Open = null | "edit" | "status" | "reset" | "delete" | "onboarding";

export default function AgentDetailPage() {
  const { params } = useRoute();
  const id = encodeURIComponent(params.id ?? "");
  const agent = useApi<AdminAgentDetail>(`/api/admin/agents/${id}`);
  const [open, setOpen] = useState<Open>(null);
  useTitle(agent.data?.name ?? "Agent");

  if (agent.error && !agent.data) {
    return (
      <>
        <p class="crumbs">
          <a href="/agents">← Agents</a>
        </p>
        <ErrorState title="This agent could not be loaded" error={agent.error} onRetry={agent.reload} />
      </>
    );
  }
  if (!agent.data) return <Loading label="Loading the agent…" />;
  const a = agent.data;
  const close = () => setOpen(null);
  const disabled = a.status === "disabled";

  return (
    <>
      <p class="crumbs">
        <a href="/agents">← Agents</a>
      </p>
      <PageHeader
        title={a.name}
        actions={
          <>
            <button type="button" class="btn btn-primary" onClick={() => setOpen("onboarding")}>
              Onboarding prompt
            </button>
            <button type="button" class="btn" onClick={() => setOpen("edit")}>
              Edit
            </button>
            <button type="button" class="btn" onClick={() => setOpen("status")}>
              {disabled ? "Enable" : "Disable"}
            </button>
            <button type="button" class="btn" onClick={() => setOpen("reset")}>
              Reset key
            </button>
            <button type="button" class="btn btn-danger" onClick={() => setOpen("delete")}>
              Delete
            </button>
          </>
        }
      >
        <OnlineDot online={a.online} /> {a.online ? "Online" : "Offline"} · {humanize(a.role)} ·{" "}
        <Pill value={a.status} />
      </PageHeader>

      <div class="grid grid-stats">
        <Stat label={`Rank of ${a.total_agents}`} value={`#${a.rank}`} />
        <Stat label="Score" value={signed(a.total_score)} />
        <Stat label="Rewards" value={String(a.reward_count)} />
        <Stat label="Penalties" value={String(a.penalty_count)} />
        <Stat label="Open sub-tasks" value={String(a.open_sub_task_count)} />
        <Stat label="Done" value={String(a.done_count)} />
      </div>

      <section class="card section-gap-top" aria-label="Details">
        <Prose text={a.description} empty="No description." />
        <div class="section-gap" />
        <Facts
          items={[
            ["Assigned", a.assigned_count],
            ["In progress", a.in_progress_count],
            ["In review", a.review_count],
            ["Rework", a.rework_count],
            ["Blocked", a.blocked_count],
            ["Cancelled", a.cancelled_count],
            ["Last request", <When value={a.last_request_at} />],
            ["Last activity log", <When value={a.last_activity_at} />],
            ["Created", <When value={a.created_at} />],
            ["ID", <code class="mono">{a.id}</code>, "wide"],
          ]}
        />
      </section>

      <div class="grid grid-2 section-gap-top">
        <OpenWork agentId={a.id} />
        <RecentScores agentId={a.id} />
        <RecentActivity agentId={a.id} />
      </div>

      <section class="card section-gap-top" aria-labelledby="mcp-title">
        <h2 id="mcp-title" class="h3">
          Connect over MCP
        </h2>
        <McpConfig />
      </section>

      {open === "edit" ? <EditAgentDialog agent={a} onClose={close} onSaved={agent.reload} /> : null}
      {open === "status" ? (
        <ConfirmDialog
          title={disabled ? "Enable this agent?" : "Disable this agent?"}
          action={disabled ? "Enable" : "Disable"}
          danger={!disabled}
          onClose={close}
          onConfirm={async () => {
            await api(`/api/admin/agents/${a.id}/status`, {
              method: "PUT",
              body: { status: disabled ? "active" : "disabled" },
            });
            agent.reload();
          }}
        >
          <p>
            {disabled
              ? `${a.name} can call the API again with its key.`
              : `${a.name}'s key stops working until you enable it again. Its open sub-tasks stay with it; the patrol reports them as orphans.`}
          </p>
        </ConfirmDialog>
      ) : null}
      {open === "reset" ? <ResetKeyDialog agent={a} onClose={close} /> : null}
      {open === "delete" ? <DeleteAgentDialog agent={a} onClose={close} /> : null}
      {open === "onboarding" ? <OnboardingDialog role={a.role} onClose={close} /> : null}
    </>
  );
}

function When({ value }: { value: string | null }) {
  return value ? (
    <>
      <RelTime value={value} />
      <span class="cell-sub">{formatAbsolute(value)}</span>
    </>
  ) : (
    <span class="muted">never</span>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div class="stat card">
      <span class="stat-value">{value}</span>
      <span class="stat-label">{label}</span>
    </div>
  );
}

function OpenWork({ agentId }: { agentId: string }) {
  const res = useApi<Page<AdminSubTask>>(
    withQuery("/api/admin/sub-tasks", {
      assigned_agent: agentId,
      page_size: 20,
      sort_by: "updated_at",
      sort_order: "desc",
    }),
  );
  return (
    <section class="card" aria-labelledby="work-title">
      <h2 id="work-title" class="h3">
        Its sub-tasks
      </h2>
      <View
        res={res}
        label="sub-tasks"
        isEmpty={(d) => d.items.length === 0}
        empty={<p class="muted">No sub-task is assigned to it.</p>}
      >
        {(d) => (
          <ul class="entries">
            {d.items.map((st) => (
              <li key={st.id}>
                <div class="entry-head">
                  <a href={`/sub-tasks/${st.id}`}>{st.name}</a>
                  <Pill value={st.status} />
                  <span class="spacer" />
                  <span class="entry-meta">
                    <RelTime value={st.updated_at} />
                  </span>
                </div>
                <div class="entry-meta">{st.task_name}</div>
              </li>
            ))}
          </ul>
        )}
      </View>
    </section>
  );
}

function RecentScores({ agentId }: { agentId: string }) {
  const res = useApi<Page<RewardLog>>(withQuery(`/api/admin/agents/${agentId}/score-logs`, { page_size: 10 }));
  return (
    <section class="card" aria-labelledby="scores-title">
      <div class="card-head">
        <h2 id="scores-title" class="h3">
          Score ledger
        </h2>
        <a href={`/scores?tab=ledger&agent=${agentId}`}>All entries</a>
      </div>
      <View
        res={res}
        label="score entries"
        isEmpty={(d) => d.items.length === 0}
        empty={<p class="muted">No score entries yet.</p>}
      >
        {(d) => (
          <ul class="entries">
            {d.items.map((r) => (
              <li key={r.id}>
                <div class="entry-head">
                  <strong class={r.score_delta < 0 ? "neg" : "pos"}>{signed(r.score_delta)}</strong>
                  <span class="wrap">{r.reason}</span>
                  <span class="spacer" />
                  <span class="entry-meta">
                    <RelTime value={r.created_at} />
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </View>
    </section>
  );
}

function RecentActivity({ agentId }: { agentId: string }) {
  const res = useApi<Page<AdminLog>>(withQuery(`/api/admin/agents/${agentId}/activity-logs`, { page_size: 10 }));
  return (
    <section class="card" aria-labelledby="activity-title">
      <div class="card-head">
        <h2 id="activity-title" class="h3">
          Activity
        </h2>
        <a href={`/logs?agent=${agentId}`}>All logs</a>
      </div>
      <View
        res={res}
        label="activity"
        isEmpty={(d) => d.items.length === 0}
        empty={<p class="muted">It wrote no activity log yet.</p>}
      >
        {(d) => (
          <ul class="entries">
            {d.items.map((l) => (
              <li key={l.id}>
                <div class="entry-head">
                  <Pill value={l.action} />
                  <span class="spacer" />
                  <span class="entry-meta">
                    <RelTime value={l.created_at} />
                  </span>
                </div>
                <Prose text={l.summary} />
              </li>
            ))}
          </ul>
        )}
      </View>
    </section>
  );
}

function EditAgentDialog({
  agent,
  onClose,
  onSaved,
}: {
  agent: AdminAgentDetail;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(agent.name);
  const [role, setRole] = useState(agent.role);
  const [description, setDescription] = useState(agent.description);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!name.trim()) throw new Error("The name cannot be empty.");
      await api(`/api/admin/agents/${agent.id}`, {
        method: "PUT",
        body: { name: name.trim(), description, ...(role !== agent.role ? { role } : {}) },
      });
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title="Edit agent" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Name">
          {(id) => <input id={id} maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Select label="Role" value={role} options={ROLES} all={null} onChange={setRole} />
        <Field label="Description">
          {(id) => (
            <textarea
              id={id}
              rows={4}
              maxLength={2000}
              value={description}
              onInput={(e) => setDescription(e.currentTarget.value)}
            />
          )}
        </Field>
        <p class="hint">The API key stays the same.</p>
        <FormActions busy={busy} error={error} submit="Save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function ResetKeyDialog({ agent, onClose }: { agent: AdminAgentDetail; onClose: () => void }) {
  const [key, setKey] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  if (key) {
    return (
      <Dialog title="New API key" onClose={onClose} wide>
        <SecretOnce label={`API key of ${agent.name}`} value={key} />
        <h3 class="h3">Connect over MCP</h3>
        <McpConfig apiKey={key} />
        <div class="form-actions">
          <button type="button" class="btn btn-primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title="Reset the API key?" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () =>
            setKey(
              (await api<AgentKeyReset>(`/api/admin/agents/${agent.id}/reset-key`, { method: "POST" })).new_api_key,
            ),
          );
        }}
      >
        <p>{agent.name}'s current key stops working at once; the new one is shown here once.</p>
        <FormActions
          busy={busy}
          error={error}
          submit="Reset key"
          busyLabel="Resetting…"
          onCancel={onClose}
          cancelLabel="Back"
          danger
        />
      </form>
    </Dialog>
  );
}

function DeleteAgentDialog({ agent, onClose }: { agent: AdminAgentDetail; onClose: () => void }) {
  const counts = useApi<AgentRelatedCounts>(`/api/admin/agents/${agent.id}/related-counts`);
  const { route } = useLocation();
  return (
    <Dialog title="Delete this agent?" onClose={onClose}>
      <View res={counts} label="what it owns">
        {(c) => (
          <TypedConfirm
            name={agent.name}
            action="Delete agent"
            onCancel={onClose}
            onConfirm={async () => {
              await api(`/api/admin/agents/${agent.id}`, { method: "DELETE", body: { confirm_name: agent.name } });
              route("/agents");
            }}
          >
            {c.open_sub_task_count > 0 ? (
              <p class="notice notice-error" role="alert">
                {agent.name} holds {c.open_sub_task_count} open sub-task{c.open_sub_task_count === 1 ? "" : "s"}: the
                delete will be refused until they are reassigned or cancelled.
              </p>
            ) : null}
            <p>
              Its key stops working and its {c.request_count} logged requests are removed. Its history stays:{" "}
              {c.sub_task_count} sub-tasks, {c.review_count} reviews, {c.reward_count} score entries, {c.activity_count}{" "}
              activity logs and {c.patrol_count} patrol records.
            </p>
          </TypedConfirm>
        )}
      </View>
    </Dialog>
  );
}

function OnboardingDialog({ role, onClose }: { role: string; onClose: () => void }) {
  const res = useApi<Onboarding>(`/api/admin/prompts/onboarding/${encodeURIComponent(role)}`);
  return (
    <Dialog title={`Onboarding prompt for a ${role}`} onClose={onClose} wide>
      <View res={res} label="the onboarding prompt">
        {(d) => (
          <>
            <p>
              This agent is registered already: give it its key (the skill bundle holds it) and this standing prompt as
              its permanent instructions. It holds no secret. To add a new agent, use an agent prompt's one-time
              enrollment prompt (Prompts).
            </p>
            <pre class="pre" data-testid="onboarding-prompt">
              {d.standing_prompt}
            </pre>
            <div class="form-actions">
              <CopyButton text={d.standing_prompt} label="Copy standing prompt" />
              <button type="button" class="btn" onClick={onClose}>
                Close
              </button>
            </div>
          </>
        )}
      </View>
    </Dialog>
  );
}
