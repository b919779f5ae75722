import { useStore } from "@nanostores/preact";
import { useState } from "preact/hooks";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty, Notice } from "../components/states";
import { roleLabels } from "../i18n/en/enums";
import { adjustScore, scoreLists, scoresPage } from "../i18n/en/scores";
import { api, withQuery } from "../lib/api";
import { formatNumber, labelOf } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import {
  type AdminAdjustment,
  type AdminLeaderboardEntry,
  type AdminRewardLog,
  type AdminScoreSummary,
  isOneOf,
  ROLES,
} from "./parts/types";
import {
  Filters,
  FormActions,
  Pager,
  Pill,
  pageOf,
  SearchBox,
  Select,
  shortId,
  signed,
  Tabs,
  useAction,
  useAgentOptions,
  View,
} from "./parts/ui";

export default function ScoresPage() {
  const t = useStore(scoresPage);
  useTitle(t.title);
  const [q, setQuery] = useQueryState({ tab: "leaderboard", role: "", q: "", agent: "", sign: "", page: "1" });
  const tab = q.tab === "ledger" ? "ledger" : "leaderboard";
  const summary = useApi<AdminScoreSummary>("/api/admin/scores/summary");
  const [nonce, setNonce] = useState(0);
  const afterAdjust = () => {
    summary.reload();
    setNonce((n) => n + 1);
  };

  return (
    <>
      <PageHeader title={t.title}>{t.intro}</PageHeader>
      <View res={summary} loading={t.summaryLoading}>
        {(s) => (
          <dl class="strip strip-top">
            <div>
              <dt>{t.topScore}</dt>
              <dd>{signed(s.top_score)}</dd>
            </div>
            <div>
              <dt>{t.average}</dt>
              <dd>{s.average_score.toFixed(1)}</dd>
            </div>
            <div>
              <dt>{t.positive}</dt>
              <dd>{formatNumber(s.positive_score_agents)}</dd>
            </div>
            <div>
              <dt>{t.zero}</dt>
              <dd>{formatNumber(s.zero_score_agents)}</dd>
            </div>
            <div>
              <dt>{t.negative}</dt>
              <dd>{formatNumber(s.negative_score_agents)}</dd>
            </div>
            <div>
              <dt>{t.agents}</dt>
              <dd>{formatNumber(s.total_agents)}</dd>
            </div>
            <div>
              <dt>{t.lastChange}</dt>
              <dd>
                <RelTime value={s.last_score_at} />
              </dd>
            </div>
          </dl>
        )}
      </View>

      <div class="split split-aside section-gap-top">
        <div>
          <Tabs
            label={t.tabsLabel}
            tabs={[
              { id: "leaderboard", label: t.leaderboard },
              { id: "ledger", label: t.ledger },
            ]}
            current={tab}
            onSelect={(id) => setQuery({ tab: id, role: "", q: "", agent: "", sign: "", page: "1" })}
          />
          {tab === "leaderboard" ? (
            <Leaderboard key={`l${nonce}`} q={q} setQuery={setQuery} />
          ) : (
            <Ledger key={`g${nonce}`} q={q} setQuery={setQuery} />
          )}
        </div>
        <AdjustForm defaultAgent={q.agent} onDone={afterAdjust} />
      </div>
    </>
  );
}

type Query = { tab: string; role: string; q: string; agent: string; sign: string; page: string };
type ListProps = { q: Query; setQuery: (patch: Partial<Query>) => void };

function Leaderboard({ q, setQuery }: ListProps) {
  const t = useStore(scoreLists);
  const roles = useStore(roleLabels);
  const role = isOneOf(ROLES, q.role) ? q.role : "";
  const res = useApi<Page<AdminLeaderboardEntry>>(
    withQuery("/api/admin/scores/leaderboard", { role, keyword: q.q, page: pageOf(q.page), page_size: 20 }),
  );
  return (
    <>
      <Filters
        label={t.filterLeaderboard}
        active={Boolean(role || q.q)}
        onReset={() => setQuery({ role: "", q: "", page: "1" })}
      >
        <SearchBox
          label={t.search}
          placeholder={t.agentNamePlaceholder}
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select
          label={t.role}
          value={role}
          options={ROLES}
          labels={roles}
          onChange={(v) => setQuery({ role: v, page: "1" })}
        />
      </Filters>
      <View
        res={res}
        loading={t.leaderboardLoading}
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title={t.noAgent} />}
      >
        {(d) => (
          <>
            <div class="card table-card">
              <table class="table" data-testid="leaderboard">
                <thead>
                  <tr>
                    <th scope="col" class="num">
                      {t.colRank}
                    </th>
                    <th scope="col">{t.colAgent}</th>
                    <th scope="col" class="num">
                      {t.colRewardsPenalties}
                    </th>
                    <th scope="col">{t.colLastChange}</th>
                    <th scope="col" class="num">
                      {t.colScore}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((e) => (
                    <tr key={e.agent_id}>
                      <td data-label={t.colRank} class="num">
                        #{e.rank}
                      </td>
                      <td class="name-cell">
                        <a href={`/agents/${e.agent_id}`} data-i18n-skip>
                          {e.agent_name}
                        </a>{" "}
                        {e.status !== "active" ? <Pill value={e.status} /> : null}
                        <span class="cell-sub">{labelOf(roles, e.role)}</span>
                      </td>
                      <td data-label={t.colRewardsPenalties} class="num">
                        {e.reward_count} / {e.penalty_count}
                      </td>
                      <td data-label={t.colLastChange}>
                        <RelTime value={e.last_score_at} />
                      </td>
                      <td data-label={t.colScore} class="num">
                        <strong class={e.total_score < 0 ? "neg" : undefined}>{signed(e.total_score)}</strong>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={d.page}
              totalPages={d.total_pages}
              total={d.total}
              count={t.agentsTotal}
              noun={t.agentsNoun}
              onPage={(p) => setQuery({ page: String(p) })}
            />
          </>
        )}
      </View>
    </>
  );
}

function Ledger({ q, setQuery }: ListProps) {
  const t = useStore(scoreLists);
  const agents = useAgentOptions(undefined, undefined);
  const sign = q.sign === "positive" || q.sign === "negative" ? q.sign : "";
  const res = useApi<Page<AdminRewardLog>>(
    withQuery("/api/admin/scores/logs", {
      agent_id: q.agent,
      score_sign: sign,
      keyword: q.q,
      page: pageOf(q.page),
      page_size: 20,
    }),
  );
  return (
    <>
      <Filters
        label={t.filterLedger}
        active={Boolean(q.agent || sign || q.q)}
        onReset={() => setQuery({ agent: "", sign: "", q: "", page: "1" })}
      >
        <SearchBox
          label={t.search}
          placeholder={t.reasonPlaceholder}
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select
          label={t.agent}
          value={q.agent}
          options={(agents.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
          onChange={(v) => setQuery({ agent: v, page: "1" })}
        />
        <Select
          label={t.kind}
          value={sign}
          options={[
            { value: "positive", label: t.rewards },
            { value: "negative", label: t.penalties },
          ]}
          onChange={(v) => setQuery({ sign: v, page: "1" })}
        />
      </Filters>
      <View
        res={res}
        loading={t.ledgerLoading}
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title={t.noEntry} />}
      >
        {(d) => (
          <>
            <div class="card table-card">
              <table class="table" data-testid="ledger">
                <thead>
                  <tr>
                    <th scope="col">{t.colWhen}</th>
                    <th scope="col">{t.colAgent}</th>
                    <th scope="col">{t.colReason}</th>
                    <th scope="col" class="num">
                      {t.colChange}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((r) => (
                    <tr key={r.id}>
                      <td data-label={t.colWhen}>
                        <RelTime value={r.created_at} />
                      </td>
                      <td class="name-cell">
                        <a href={`/agents/${r.agent_id}`} data-i18n-skip>
                          {r.agent_name ?? r.agent_id}
                        </a>
                      </td>
                      <td data-label={t.colReason} class="wrap">
                        <span data-i18n-skip>{r.reason}</span>
                        {r.sub_task_id ? (
                          <span class="cell-sub">
                            <a href={`/sub-tasks/${r.sub_task_id}`}>{t.subTaskLink({ id: shortId(r.sub_task_id) })}</a>
                          </span>
                        ) : null}
                      </td>
                      <td data-label={t.colChange} class="num">
                        <strong class={r.score_delta < 0 ? "neg" : "pos"}>{signed(r.score_delta)}</strong>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={d.page}
              totalPages={d.total_pages}
              total={d.total}
              count={t.entriesTotal}
              noun={t.entriesNoun}
              onPage={(p) => setQuery({ page: String(p) })}
            />
          </>
        )}
      </View>
    </>
  );
}

function AdjustForm({ defaultAgent, onDone }: { defaultAgent: string; onDone: () => void }) {
  const agents = useAgentOptions(undefined, undefined);
  const [agent, setAgent] = useState(defaultAgent);
  const [delta, setDelta] = useState("");
  const [reason, setReason] = useState("");
  const [subTask, setSubTask] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const t = useStore(adjustScore);
  const submit = (e: Event) => {
    e.preventDefault();
    setDone(null);
    void run(async () => {
      const n = Number(delta);
      if (!agent) throw new Error(t.pickAgent);
      if (!Number.isInteger(n) || n === 0 || Math.abs(n) > 1000) throw new Error(t.wholeNumber);
      if (!reason.trim()) throw new Error(t.sayWhy);
      const r = await api<AdminAdjustment>("/api/admin/scores/adjust", {
        method: "POST",
        body: { agent_id: agent, score_delta: n, reason: reason.trim(), sub_task_id: subTask.trim() || null },
      });
      const name = agents.data?.items.find((a) => a.id === agent)?.name ?? t.theAgent;
      setDone(t.scoreNow({ name, score: signed(r.current_total_score) }));
      setDelta("");
      setReason("");
      setSubTask("");
      agents.reload();
      onDone();
    });
  };
  return (
    <section class="card" aria-labelledby="adjust-title">
      <h2 id="adjust-title">{t.title}</h2>
      <p class="muted">{t.recordedAs}</p>
      <form onSubmit={submit} noValidate>
        <Select
          label={t.agent}
          value={agent}
          all={agents.data ? t.chooseAgent : t.loadingAgents}
          options={(agents.data?.items ?? []).map((a) => ({
            value: a.id,
            label: t.agentOption({ name: a.name, score: signed(a.total_score) }),
          }))}
          onChange={setAgent}
        />
        <Field label={t.change} hint={t.changeHint}>
          {(id, hint) => (
            <input
              id={id}
              aria-describedby={hint}
              type="number"
              step={1}
              inputMode="numeric"
              value={delta}
              onInput={(e) => setDelta(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t.reason}>
          {(id) => <textarea id={id} rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
        </Field>
        <Field label={t.subTaskId}>
          {(id) => <input id={id} class="mono" value={subTask} onInput={(e) => setSubTask(e.currentTarget.value)} />}
        </Field>
        <FormActions busy={busy} error={error} submit={t.submit} busyLabel={t.saving} />
        {done ? <Notice kind="ok">{done}</Notice> : null}
      </form>
    </section>
  );
}
