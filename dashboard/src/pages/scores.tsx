import { useState } from "preact/hooks";
import { Field } from "../components/field";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty, Notice } from "../components/states";
import { api, withQuery } from "../lib/api";
import { humanize } from "../lib/format";
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
  signed,
  Tabs,
  useAction,
  useAgentOptions,
  View,
} from "./parts/ui";

const TABS = [
  { id: "leaderboard", label: "Leaderboard" },
  { id: "ledger", label: "Ledger" },
] as const;
const SIGNS = [
  { value: "positive", label: "Rewards" },
  { value: "negative", label: "Penalties" },
];

export default function ScoresPage() {
  useTitle("Scores");
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
      <PageHeader title="Scores">
        Who earned what: the leaderboard, every ledger entry, and manual adjustments.
      </PageHeader>
      <View res={summary} label="the score summary">
        {(s) => (
          <dl class="strip strip-top">
            <div>
              <dt>Top score</dt>
              <dd>{signed(s.top_score)}</dd>
            </div>
            <div>
              <dt>Average</dt>
              <dd>{s.average_score.toFixed(1)}</dd>
            </div>
            <div>
              <dt>Positive</dt>
              <dd>{s.positive_score_agents}</dd>
            </div>
            <div>
              <dt>Zero</dt>
              <dd>{s.zero_score_agents}</dd>
            </div>
            <div>
              <dt>Negative</dt>
              <dd>{s.negative_score_agents}</dd>
            </div>
            <div>
              <dt>Agents</dt>
              <dd>{s.total_agents}</dd>
            </div>
            <div>
              <dt>Last change</dt>
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
            label="Scores view"
            tabs={TABS}
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
  const role = isOneOf(ROLES, q.role) ? q.role : "";
  const res = useApi<Page<AdminLeaderboardEntry>>(
    withQuery("/api/admin/scores/leaderboard", { role, keyword: q.q, page: pageOf(q.page), page_size: 20 }),
  );
  return (
    <>
      <Filters
        label="Filter the leaderboard"
        active={Boolean(role || q.q)}
        onReset={() => setQuery({ role: "", q: "", page: "1" })}
      >
        <SearchBox
          label="Search"
          placeholder="Agent name"
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select label="Role" value={role} options={ROLES} onChange={(v) => setQuery({ role: v, page: "1" })} />
      </Filters>
      <View
        res={res}
        label="the leaderboard"
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title="No agent matches." />}
      >
        {(d) => (
          <>
            <div class="card table-card">
              <table class="table" data-testid="leaderboard">
                <thead>
                  <tr>
                    <th scope="col" class="num">
                      Rank
                    </th>
                    <th scope="col">Agent</th>
                    <th scope="col" class="num">
                      Rewards / penalties
                    </th>
                    <th scope="col">Last change</th>
                    <th scope="col" class="num">
                      Score
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((e) => (
                    <tr key={e.agent_id}>
                      <td data-label="Rank" class="num">
                        #{e.rank}
                      </td>
                      <td class="name-cell">
                        <a href={`/agents/${e.agent_id}`}>{e.agent_name}</a>{" "}
                        {e.status !== "active" ? <Pill value={e.status} /> : null}
                        <span class="cell-sub">{humanize(e.role)}</span>
                      </td>
                      <td data-label="Rewards / penalties" class="num">
                        {e.reward_count} / {e.penalty_count}
                      </td>
                      <td data-label="Last change">
                        <RelTime value={e.last_score_at} />
                      </td>
                      <td data-label="Score" class="num">
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
              noun="agents"
              onPage={(p) => setQuery({ page: String(p) })}
            />
          </>
        )}
      </View>
    </>
  );
}

function Ledger({ q, setQuery }: ListProps) {
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
        label="Filter the ledger"
        active={Boolean(q.agent || sign || q.q)}
        onReset={() => setQuery({ agent: "", sign: "", q: "", page: "1" })}
      >
        <SearchBox
          label="Search"
          placeholder="Reason"
          value={q.q}
          onSearch={(text) => setQuery({ q: text, page: "1" })}
        />
        <Select
          label="Agent"
          value={q.agent}
          options={(agents.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
          onChange={(v) => setQuery({ agent: v, page: "1" })}
        />
        <Select label="Kind" value={sign} options={SIGNS} onChange={(v) => setQuery({ sign: v, page: "1" })} />
      </Filters>
      <View
        res={res}
        label="ledger entries"
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title="No ledger entry matches." />}
      >
        {(d) => (
          <>
            <div class="card table-card">
              <table class="table" data-testid="ledger">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Agent</th>
                    <th scope="col">Reason</th>
                    <th scope="col" class="num">
                      Change
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((r) => (
                    <tr key={r.id}>
                      <td data-label="When">
                        <RelTime value={r.created_at} />
                      </td>
                      <td class="name-cell">
                        <a href={`/agents/${r.agent_id}`}>{r.agent_name ?? r.agent_id}</a>
                      </td>
                      <td data-label="Reason" class="wrap">
                        {r.reason}
                        {r.sub_task_id ? (
                          <span class="cell-sub">
                            <a href={`/sub-tasks/${r.sub_task_id}`}>sub-task {r.sub_task_id.slice(0, 8)}</a>
                          </span>
                        ) : null}
                      </td>
                      <td data-label="Change" class="num">
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
              noun="entries"
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
  const submit = (e: Event) => {
    e.preventDefault();
    setDone(null);
    void run(async () => {
      const n = Number(delta);
      if (!agent) throw new Error("Pick the agent.");
      if (!Number.isInteger(n) || n === 0 || Math.abs(n) > 1000)
        throw new Error("The change must be a whole number between -1000 and 1000, not 0.");
      if (!reason.trim()) throw new Error("Say why: the reason goes into the ledger.");
      const r = await api<AdminAdjustment>("/api/admin/scores/adjust", {
        method: "POST",
        body: { agent_id: agent, score_delta: n, reason: reason.trim(), sub_task_id: subTask.trim() || null },
      });
      const name = agents.data?.items.find((a) => a.id === agent)?.name ?? "The agent";
      setDone(`${name}'s score is now ${signed(r.current_total_score)}.`);
      setDelta("");
      setReason("");
      setSubTask("");
      agents.reload();
      onDone();
    });
  };
  return (
    <section class="card" aria-labelledby="adjust-title">
      <h2 id="adjust-title">Adjust a score</h2>
      <p class="muted">The ledger records it as “[admin adjustment] your reason”.</p>
      <form onSubmit={submit} noValidate>
        <Select
          label="Agent"
          value={agent}
          all={agents.data ? "Choose an agent" : "Loading agents…"}
          options={(agents.data?.items ?? []).map((a) => ({
            value: a.id,
            label: `${a.name} (${signed(a.total_score)})`,
          }))}
          onChange={setAgent}
        />
        <Field label="Change" hint="A positive number rewards, a negative one penalizes (−1000 to 1000).">
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
        <Field label="Reason">
          {(id) => <textarea id={id} rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
        </Field>
        <Field label="Sub-task ID (optional)">
          {(id) => <input id={id} class="mono" value={subTask} onInput={(e) => setSubTask(e.currentTarget.value)} />}
        </Field>
        <FormActions busy={busy} error={error} submit="Adjust score" busyLabel="Saving…" />
        {done ? <Notice kind="ok">{done}</Notice> : null}
      </form>
    </section>
  );
}
