import type { ComponentChildren } from "preact";
import { useMemo } from "preact/hooks";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty, ErrorState, Loading } from "../components/states";
import { type Series, TrendChart } from "../components/trend-chart";
import { withQuery } from "../lib/api";
import { formatNumber, formatSigned, humanize } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Counts, Highlights, Overview, Trends } from "../lib/types";
import { liveBadge, useLive } from "../live";
import "./parts/pages.css";

const RANGES = ["7", "30"] as const;
/** Pushed over the live socket; while that is down the overview refreshes this often. */
const OVERVIEW_POLL_MS = 30_000;

export default function OverviewPage() {
  useTitle("Overview");
  const [{ days }, setQuery] = useQueryState({ days: "7" });
  const range = RANGES.find((r) => r === days) ?? "7";
  const overview = useApi<Overview>("/api/admin/dashboard/overview");
  const highlights = useApi<Highlights>(withQuery("/api/admin/dashboard/highlights", { limit: 5 }));
  const trends = useApi<Trends>(withQuery("/api/admin/dashboard/trends", { days: range }));
  const refresh = () => {
    overview.reload();
    highlights.reload();
    trends.reload();
  };
  const busy = overview.loading || highlights.loading || trends.loading;
  // Everything the cards, charts and panels count; not every agent call (`requests`), which under
  // load would refetch the whole page continuously. Connects once the first load proved the session.
  const live = useLive(["tasks", "sub_tasks", "scores", "patrol", "agents", "logs", "settings"], refresh, {
    pollMs: OVERVIEW_POLL_MS,
    minGapMs: 2000,
    enabled: overview.data !== undefined,
  });
  const badge = liveBadge(live, OVERVIEW_POLL_MS);

  return (
    <>
      <PageHeader
        title="Overview"
        actions={
          <button type="button" class="btn" onClick={refresh} aria-busy={busy}>
            Refresh
          </button>
        }
      >
        {overview.data ? (
          <>
            Updated <RelTime value={overview.data.generated_at} />
            <span class={badge.class} title={badge.title} data-testid="live-status" data-state={live}>
              {badge.text}
            </span>
          </>
        ) : (
          "Counts, trends and what needs attention."
        )}
      </PageHeader>

      <section aria-labelledby="now-title">
        <h2 id="now-title" class="sr-only">
          Right now
        </h2>
        {overview.error && !overview.data ? (
          <ErrorState error={overview.error} onRetry={overview.reload} />
        ) : !overview.data ? (
          <Loading label="Loading counts…" />
        ) : (
          <Cards data={overview.data} />
        )}
      </section>

      <section aria-labelledby="trends-title" class="section">
        <div class="section-head">
          <h2 id="trends-title">Trends</h2>
          {trends.data ? (
            <span class="muted">
              {trends.data.start_date} – {trends.data.end_date}
            </span>
          ) : null}
          <span class="topbar-spacer" />
          {/* biome-ignore lint/a11y/useSemanticElements: a fieldset's default border and sizing break the segmented control; role=group is its ARIA equivalent. */}
          <div class="segmented" role="group" aria-label="Trend range">
            {RANGES.map((r) => (
              <button type="button" key={r} aria-pressed={range === r} onClick={() => setQuery({ days: r })}>
                {r} days
              </button>
            ))}
          </div>
        </div>
        {trends.error && !trends.data ? (
          <ErrorState error={trends.error} onRetry={trends.reload} />
        ) : !trends.data ? (
          <Loading label="Loading trends…" />
        ) : (
          <TrendCharts data={trends.data} />
        )}
      </section>

      {overview.data ? (
        <section aria-labelledby="dist-title" class="section">
          <h2 id="dist-title">Breakdown</h2>
          <div class="grid grid-3">
            <Distribution
              title="Sub-tasks by status"
              counts={overview.data.distributions.sub_task_status_distribution}
            />
            <Distribution title="Tasks by status" counts={overview.data.distributions.task_status_distribution} />
            <Distribution title="Agents by role" counts={overview.data.distributions.agent_role_distribution} />
          </div>
        </section>
      ) : null}

      <section aria-labelledby="attention-title" class="section">
        <h2 id="attention-title">Needs attention</h2>
        {highlights.error && !highlights.data ? (
          <ErrorState error={highlights.error} onRetry={highlights.reload} />
        ) : !highlights.data ? (
          <Loading label="Loading highlights…" />
        ) : (
          <HighlightPanels data={highlights.data} />
        )}
      </section>
    </>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: "warn" | "good" | "bad" }) {
  return (
    <div class={tone ? `stat card stat-${tone}` : "stat card"}>
      <span class="stat-value">{value}</span>
      <span class="stat-label">{label}</span>
    </div>
  );
}

function Cards({ data }: { data: Overview }) {
  const c = data.core_cards;
  const s = data.secondary_cards;
  return (
    <>
      <div class="grid grid-stats" data-testid="overview-cards">
        <Stat label="Open tasks" value={formatNumber(c.open_task_count)} />
        <Stat label="Active sub-tasks" value={formatNumber(c.active_sub_task_count)} />
        <Stat
          label="Waiting for review"
          value={formatNumber(c.review_queue_count)}
          tone={c.review_queue_count > 0 ? "warn" : undefined}
        />
        <Stat
          label="Blocked sub-tasks"
          value={formatNumber(c.blocked_sub_task_count)}
          tone={c.blocked_sub_task_count > 0 ? "bad" : undefined}
        />
        <Stat label="Active agents" value={formatNumber(c.active_agent_count)} />
        <Stat
          label="Completed today"
          value={formatNumber(c.today_completed_sub_task_count)}
          tone={c.today_completed_sub_task_count > 0 ? "good" : undefined}
        />
        {data.patrol ? (
          <Stat
            label="Open anomalies"
            value={formatNumber(data.patrol.open_record_count)}
            tone={data.patrol.open_record_count > 0 ? "warn" : undefined}
          />
        ) : null}
      </div>
      <dl class="strip">
        <div>
          <dt>Disabled agents</dt>
          <dd>{formatNumber(s.disabled_agent_count)}</dd>
        </div>
        <div>
          <dt>Reviews today</dt>
          <dd>{formatNumber(s.today_review_count)}</dd>
        </div>
        <div>
          <dt>Rejected today</dt>
          <dd>{formatNumber(s.today_rejected_review_count)}</dd>
        </div>
        <div>
          <dt>Rejection rate</dt>
          <dd>{s.today_reject_rate.toFixed(1)} %</dd>
        </div>
        <div>
          <dt>Net score today</dt>
          <dd class={s.today_net_score_delta < 0 ? "neg" : s.today_net_score_delta > 0 ? "pos" : undefined}>
            {formatSigned(s.today_net_score_delta)}
          </dd>
        </div>
      </dl>
    </>
  );
}

function TrendCharts({ data }: { data: Trends }) {
  const charts = useMemo(() => {
    const days = data.sub_task_created_trend.map((p) => p.date);
    const byDay = <T extends { date: string }>(points: T[], pick: (p: T) => number) => {
      const map = new Map(points.map((p) => [p.date, pick(p)]));
      return days.map((d) => map.get(d) ?? 0);
    };
    const chart = (title: string, series: Series[]) => ({ title, series });
    return {
      days,
      list: [
        chart("Sub-tasks", [
          { label: "Created", values: byDay(data.sub_task_created_trend, (p) => p.count), color: "--chart-1" },
          { label: "Completed", values: byDay(data.sub_task_completed_trend, (p) => p.count), color: "--chart-2" },
        ]),
        chart("Reviews", [
          { label: "Approved", values: byDay(data.review_trend, (p) => p.approved), color: "--chart-2" },
          { label: "Rejected", values: byDay(data.review_trend, (p) => p.rejected), color: "--chart-4" },
        ]),
        chart("Score change", [
          { label: "Net", values: byDay(data.score_delta_trend, (p) => p.net_score_delta), color: "--chart-3" },
        ]),
        chart("Agent traffic", [
          { label: "API requests", values: byDay(data.request_trend, (p) => p.count), color: "--chart-1" },
          { label: "Activity logs", values: byDay(data.activity_trend, (p) => p.count), color: "--chart-5" },
        ]),
      ],
    };
  }, [data]);
  if (charts.days.length === 0) return <Empty title="No days in this range." />;
  return (
    <div class="grid grid-2">
      {charts.list.map((c) => (
        <TrendChart key={c.title} title={c.title} days={charts.days} series={c.series} />
      ))}
    </div>
  );
}

function Distribution({ title, counts }: { title: string; counts: Counts }) {
  const entries = Object.entries(counts);
  const total = entries.reduce((a, [, n]) => a + n, 0);
  return (
    <div class="card dist">
      <h3>{title}</h3>
      {total === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <ul>
          {entries.map(([key, n]) => (
            <li key={key}>
              <span class="dist-label">{humanize(key)}</span>
              <span class="dist-bar" aria-hidden="true">
                <span style={{ width: `${(n / total) * 100}%` }} />
              </span>
              <span class="dist-count">{formatNumber(n)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Panel({
  title,
  empty,
  children,
  count,
}: {
  title: string;
  empty: string;
  count: number;
  children: ComponentChildren;
}) {
  return (
    <div class="card panel">
      <h3>
        {title} {count > 0 ? <span class="badge">{count}</span> : null}
      </h3>
      {count === 0 ? <p class="muted">{empty}</p> : <ul class="rows">{children}</ul>}
    </div>
  );
}

function HighlightPanels({ data }: { data: Highlights }) {
  return (
    <div class="grid grid-2">
      <Panel title="Blocked sub-tasks" empty="Nothing is blocked." count={data.blocked_sub_tasks.length}>
        {data.blocked_sub_tasks.map((t) => (
          <li key={t.id}>
            <span class="row-main">{t.name}</span>
            <span class="row-meta">
              {t.task_name ?? "—"} · {t.assigned_agent_name ?? "unassigned"} · <RelTime value={t.updated_at} />
            </span>
          </li>
        ))}
      </Panel>
      <Panel title="Waiting for review" empty="The review queue is empty." count={data.pending_review_sub_tasks.length}>
        {data.pending_review_sub_tasks.map((t) => (
          <li key={t.id}>
            <span class="row-main">{t.name}</span>
            <span class="row-meta">
              {t.task_name ?? "—"} · {t.assigned_agent_name ?? "unassigned"}
              {t.rework_count > 0 ? ` · rework ${t.rework_count}` : ""} · <RelTime value={t.updated_at} />
            </span>
          </li>
        ))}
      </Panel>
      <Panel title="Busiest agents" empty="No agent has open work." count={data.busy_agents.length}>
        {data.busy_agents.map((a) => (
          <li key={a.id}>
            <span class="row-main">{a.name}</span>
            <span class="row-meta">
              {humanize(a.role)} · {a.open_sub_task_count} open · score {formatSigned(a.total_score)}
            </span>
          </li>
        ))}
      </Panel>
      <Panel
        title={`Quiet agents (${data.inactive_hours} h)`}
        empty="Every agent was active recently."
        count={data.low_activity_agents.length}
      >
        {data.low_activity_agents.map((a) => (
          <li key={a.id}>
            <span class="row-main">{a.name}</span>
            <span class="row-meta">
              {humanize(a.role)} · last seen <RelTime value={latest(a.last_request_at, a.last_activity_at)} />
            </span>
          </li>
        ))}
      </Panel>
      <Panel title="Recent reviews" empty="No reviews yet." count={data.recent_reviews.length}>
        {data.recent_reviews.map((r) => (
          <li key={r.id}>
            <span class="row-main">
              <span class={r.result === "approved" ? "pill pill-good" : "pill pill-bad"}>{humanize(r.result)}</span>{" "}
              {r.sub_task_name ?? r.sub_task_id}
            </span>
            <span class="row-meta">
              <Stars score={r.score} /> · {r.reviewer_agent_name ?? r.reviewer_agent} · <RelTime value={r.created_at} />
            </span>
          </li>
        ))}
      </Panel>
    </div>
  );
}

function Stars({ score }: { score: number | null }) {
  if (score === null) return <span class="muted">no score</span>;
  const n = Math.max(0, Math.min(5, Math.round(score)));
  return (
    <>
      <span class="stars" aria-hidden="true">
        {"★".repeat(n)}
        {"☆".repeat(5 - n)}
      </span>
      <span class="sr-only">{score} of 5</span>
    </>
  );
}

function latest(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
