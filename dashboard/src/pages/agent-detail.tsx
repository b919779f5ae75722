import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import { CopyButton } from "../components/copy-button";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { ErrorState, Loading } from "../components/states";
import { agentDetail, agentDialogs } from "../i18n/en/agent-detail";
import { actionLabels, roleLabels, stateLabels } from "../i18n/en/enums";
import { shell } from "../i18n/en/shell";
import { Rich } from "../i18n/rich";
import { api, withQuery } from "../lib/api";
import { formatAbsolute, formatNumber, labelOf } from "../lib/format";
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
  const t = useStore(agentDetail);
  const dialogs = useStore(agentDialogs);
  const roles = useStore(roleLabels);
  const states = useStore(stateLabels);
  useTitle(agent.data?.name ?? t.titleFallback);

  if (agent.error && !agent.data) {
    return (
      <>
        <p class="crumbs">
          <a href="/agents">{t.backToAgents}</a>
        </p>
        <ErrorState title={t.loadFailed} error={agent.error} onRetry={agent.reload} />
      </>
    );
  }
  if (!agent.data) return <Loading label={t.loading} />;
  const a = agent.data;
  const close = () => setOpen(null);
  const disabled = a.status === "disabled";

  return (
    <>
      <p class="crumbs">
        <a href="/agents">{t.backToAgents}</a>
      </p>
      <PageHeader
        title={a.name}
        actions={
          <>
            <button type="button" class="btn btn-primary" onClick={() => setOpen("onboarding")}>
              {t.onboardingPrompt}
            </button>
            <button type="button" class="btn" onClick={() => setOpen("edit")}>
              {t.edit}
            </button>
            <button type="button" class="btn" onClick={() => setOpen("status")}>
              {disabled ? t.enable : t.disable}
            </button>
            <button type="button" class="btn" onClick={() => setOpen("reset")}>
              {t.resetKey}
            </button>
            <button type="button" class="btn btn-danger" onClick={() => setOpen("delete")}>
              {t.delete}
            </button>
          </>
        }
      >
        <OnlineDot online={a.online} /> {a.online ? t.online : t.offline} · {labelOf(roles, a.role)} ·{" "}
        <Pill value={a.status} />
      </PageHeader>

      <div class="grid grid-stats">
        <Stat label={t.rankOf({ total: formatNumber(a.total_agents) })} value={`#${a.rank}`} />
        <Stat label={t.score} value={signed(a.total_score)} />
        <Stat label={t.rewards} value={formatNumber(a.reward_count)} />
        <Stat label={t.penalties} value={formatNumber(a.penalty_count)} />
        <Stat label={t.openSubTasks} value={formatNumber(a.open_sub_task_count)} />
        <Stat label={t.done} value={formatNumber(a.done_count)} />
      </div>

      <section class="card section-gap-top" aria-label={t.details}>
        <Prose text={a.description} empty={t.noDescription} />
        <div class="section-gap" />
        <Facts
          items={[
            [labelOf(states, "assigned"), a.assigned_count],
            [labelOf(states, "in_progress"), a.in_progress_count],
            [labelOf(states, "review"), a.review_count],
            [labelOf(states, "rework"), a.rework_count],
            [labelOf(states, "blocked"), a.blocked_count],
            [labelOf(states, "cancelled"), a.cancelled_count],
            [t.lastRequest, <When value={a.last_request_at} />],
            [t.lastActivity, <When value={a.last_activity_at} />],
            [t.created, <When value={a.created_at} />],
            [t.id, <code class="mono">{a.id}</code>, "wide"],
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
          {t.connectMcp}
        </h2>
        <McpConfig />
      </section>

      {open === "edit" ? <EditAgentDialog agent={a} onClose={close} onSaved={agent.reload} /> : null}
      {open === "status" ? (
        <ConfirmDialog
          title={disabled ? dialogs.enableTitle : dialogs.disableTitle}
          action={disabled ? dialogs.enable : dialogs.disable}
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
          <p>{disabled ? dialogs.enableBody({ name: a.name }) : dialogs.disableBody({ name: a.name })}</p>
        </ConfirmDialog>
      ) : null}
      {open === "reset" ? <ResetKeyDialog agent={a} onClose={close} /> : null}
      {open === "delete" ? <DeleteAgentDialog agent={a} onClose={close} /> : null}
      {open === "onboarding" ? <OnboardingDialog role={a.role} onClose={close} /> : null}
    </>
  );
}

function When({ value }: { value: string | null }) {
  const t = useStore(shell);
  return value ? (
    <>
      <RelTime value={value} />
      <span class="cell-sub">{formatAbsolute(value)}</span>
    </>
  ) : (
    <span class="muted">{t.never}</span>
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
  const t = useStore(agentDetail);
  return (
    <section class="card" aria-labelledby="work-title">
      <h2 id="work-title" class="h3">
        {t.workTitle}
      </h2>
      <View
        res={res}
        loading={t.workLoading}
        isEmpty={(d) => d.items.length === 0}
        empty={<p class="muted">{t.workEmpty}</p>}
      >
        {(d) => (
          <ul class="entries">
            {d.items.map((st) => (
              <li key={st.id}>
                <div class="entry-head">
                  <a href={`/sub-tasks/${st.id}`} data-i18n-skip>
                    {st.name}
                  </a>
                  <Pill value={st.status} />
                  <span class="spacer" />
                  <span class="entry-meta">
                    <RelTime value={st.updated_at} />
                  </span>
                </div>
                <div class="entry-meta" data-i18n-skip>
                  {st.task_name}
                </div>
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
  const t = useStore(agentDetail);
  return (
    <section class="card" aria-labelledby="scores-title">
      <div class="card-head">
        <h2 id="scores-title" class="h3">
          {t.scoresTitle}
        </h2>
        <a href={`/scores?tab=ledger&agent=${agentId}`}>{t.allEntries}</a>
      </div>
      <View
        res={res}
        loading={t.scoresLoading}
        isEmpty={(d) => d.items.length === 0}
        empty={<p class="muted">{t.scoresEmpty}</p>}
      >
        {(d) => (
          <ul class="entries">
            {d.items.map((r) => (
              <li key={r.id}>
                <div class="entry-head">
                  <strong class={r.score_delta < 0 ? "neg" : "pos"}>{signed(r.score_delta)}</strong>
                  <span class="wrap" data-i18n-skip>
                    {r.reason}
                  </span>
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
  const t = useStore(agentDetail);
  const actions = useStore(actionLabels);
  return (
    <section class="card" aria-labelledby="activity-title">
      <div class="card-head">
        <h2 id="activity-title" class="h3">
          {t.activityTitle}
        </h2>
        <a href={`/logs?agent=${agentId}`}>{t.allLogs}</a>
      </div>
      <View
        res={res}
        loading={t.activityLoading}
        isEmpty={(d) => d.items.length === 0}
        empty={<p class="muted">{t.activityEmpty}</p>}
      >
        {(d) => (
          <ul class="entries">
            {d.items.map((l) => (
              <li key={l.id}>
                <div class="entry-head">
                  <Pill value={l.action} label={labelOf(actions, l.action)} />
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
  const t = useStore(agentDialogs);
  const roles = useStore(roleLabels);
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (!name.trim()) throw new Error(t.nameEmpty);
      await api(`/api/admin/agents/${agent.id}`, {
        method: "PUT",
        body: { name: name.trim(), description, ...(role !== agent.role ? { role } : {}) },
      });
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog title={t.editTitle} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label={t.name}>
          {(id) => <input id={id} maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Select
          label={t.role}
          value={role}
          options={ROLES.map((r) => ({ value: r, label: labelOf(roles, r) }))}
          all={null}
          onChange={setRole}
        />
        <Field label={t.description}>
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
        <p class="hint">{t.keyStays}</p>
        <FormActions busy={busy} error={error} submit={t.save} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function ResetKeyDialog({ agent, onClose }: { agent: AdminAgentDetail; onClose: () => void }) {
  const [key, setKey] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const t = useStore(agentDialogs);
  if (key) {
    return (
      <Dialog title={t.newKeyTitle} onClose={onClose} wide>
        <SecretOnce label={t.keyOf({ name: agent.name })} value={key} />
        <h3 class="h3">{t.connectMcp}</h3>
        <McpConfig apiKey={key} />
        <div class="form-actions">
          <button type="button" class="btn btn-primary" onClick={onClose}>
            {t.done}
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title={t.resetTitle} onClose={onClose}>
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
        <p>{t.resetBody({ name: agent.name })}</p>
        <FormActions
          busy={busy}
          error={error}
          submit={t.resetSubmit}
          busyLabel={t.resetting}
          onCancel={onClose}
          cancelLabel={t.back}
          danger
        />
      </form>
    </Dialog>
  );
}

function DeleteAgentDialog({ agent, onClose }: { agent: AdminAgentDetail; onClose: () => void }) {
  const counts = useApi<AgentRelatedCounts>(`/api/admin/agents/${agent.id}/related-counts`);
  const { route } = useLocation();
  const t = useStore(agentDialogs);
  return (
    <Dialog title={t.deleteTitle} onClose={onClose}>
      <View res={counts} loading={t.deleteLoading}>
        {(c) => (
          <TypedConfirm
            name={agent.name}
            action={t.deleteAction}
            onCancel={onClose}
            onConfirm={async () => {
              await api(`/api/admin/agents/${agent.id}`, { method: "DELETE", body: { confirm_name: agent.name } });
              route("/agents");
            }}
          >
            {c.open_sub_task_count > 0 ? (
              <p class="notice notice-error" role="alert">
                <Rich text={t.holdsOpen(c.open_sub_task_count)} parts={{ name: agent.name }} />
              </p>
            ) : null}
            <p>
              {t.deleteBody({
                requests: formatNumber(c.request_count),
                subTasks: formatNumber(c.sub_task_count),
                reviews: formatNumber(c.review_count),
                scores: formatNumber(c.reward_count),
                logs: formatNumber(c.activity_count),
                patrol: formatNumber(c.patrol_count),
              })}
            </p>
          </TypedConfirm>
        )}
      </View>
    </Dialog>
  );
}

function OnboardingDialog({ role, onClose }: { role: string; onClose: () => void }) {
  const res = useApi<Onboarding>(`/api/admin/prompts/onboarding/${encodeURIComponent(role)}`);
  const t = useStore(agentDialogs);
  const roles = useStore(roleLabels);
  return (
    // English writes the role in lower case mid-sentence ("for a planner"); Chinese has no case.
    <Dialog title={t.onboardingTitle({ role: labelOf(roles, role).toLowerCase() })} onClose={onClose} wide>
      <View res={res} loading={t.onboardingLoading}>
        {(d) => (
          <>
            <p>{t.onboardingBody}</p>
            <pre class="pre" data-testid="onboarding-prompt" data-i18n-skip>
              {d.standing_prompt}
            </pre>
            <div class="form-actions">
              <CopyButton text={d.standing_prompt} label={t.copyPrompt} />
              <button type="button" class="btn" onClick={onClose}>
                {t.close}
              </button>
            </div>
          </>
        )}
      </View>
    </Dialog>
  );
}
