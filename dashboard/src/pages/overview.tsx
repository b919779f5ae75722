import { useStore } from "@nanostores/preact";
import type { ComponentChildren } from "preact";
import { useMemo } from "preact/hooks";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty, ErrorState, Loading } from "../components/states";
import { type Series, TrendChart } from "../components/trend-chart";
import { roleLabels, stateLabels } from "../i18n/en/enums";
import { cards, charts, overviewPage, panels } from "../i18n/en/overview";
import { Rich } from "../i18n/rich";
import { withQuery } from "../lib/api";
import { formatNumber, formatPercent, formatSigned, labelOf } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Counts, Highlights, Overview, Trends } from "../lib/types";
import { liveBadge, useLive } from "../live";
import "./parts/pages.css";

const RANGES = ["7", "30"] as const;
/** Pushed over the live socket; while that is down the overview refreshes this often. */
const OVERVIEW_POLL_MS = 30_000;

export default function OverviewPage() {
  const t = useStore(overviewPage);
  const states = useStore(stateLabels);
  const roles = useStore(roleLabels);
  useTitle(t.title);
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
        title={t.title}
        actions={
          <button type="button" class="btn" onClick={refresh} aria-busy={busy}>
            {t.refresh}
          </button>
        }
      >
        {overview.data ? (
          <>
            <Rich text={t.updated} parts={{ time: <RelTime value={overview.data.generated_at} /> }} />
            <span class={badge.class} title={badge.title} data-testid="live-status" data-state={live}>
              {badge.text}
            </span>
          </>
        ) : (
          t.intro
        )}
      </PageHeader>

      <section aria-labelledby="now-title">
        <h2 id="now-title" class="sr-only">
          {t.rightNow}
        </h2>
        {overview.error && !overview.data ? (
          <ErrorState error={overview.error} onRetry={overview.reload} />
        ) : !overview.data ? (
          <Loading label={t.loadingCounts} />
        ) : (
          <Cards data={overview.data} />
        )}
      </section>

      <section aria-labelledby="trends-title" class="section">
        <div class="section-head">
          <h2 id="trends-title">{t.trends}</h2>
          {trends.data ? (
            <span class="muted">
              {trends.data.start_date} – {trends.data.end_date}
            </span>
          ) : null}
          <span class="topbar-spacer" />
          {/* biome-ignore lint/a11y/useSemanticElements: a fieldset's default border and sizing break the segmented control; role=group is its ARIA equivalent. */}
          <div class="segmented" role="group" aria-label={t.trendRange}>
            {RANGES.map((r) => (
              <button type="button" key={r} aria-pressed={range === r} onClick={() => setQuery({ days: r })}>
                {t.days(Number(r))}
              </button>
            ))}
          </div>
        </div>
        {trends.error && !trends.data ? (
          <ErrorState error={trends.error} onRetry={trends.reload} />
        ) : !trends.data ? (
          <Loading label={t.loadingTrends} />
        ) : (
          <TrendCharts data={trends.data} />
        )}
      </section>

      {overview.data ? (
        <section aria-labelledby="dist-title" class="section">
          <h2 id="dist-title">{t.breakdown}</h2>
          <div class="grid grid-3">
            <Distribution
              title={t.subTasksByStatus}
              counts={overview.data.distributions.sub_task_status_distribution}
              labels={states}
            />
            <Distribution
              title={t.tasksByStatus}
              counts={overview.data.distributions.task_status_distribution}
              labels={states}
            />
            <Distribution
              title={t.agentsByRole}
              counts={overview.data.distributions.agent_role_distribution}
              labels={roles}
            />
          </div>
        </section>
      ) : null}

      <section aria-labelledby="attention-title" class="section">
        <h2 id="attention-title">{t.needsAttention}</h2>
        {highlights.error && !highlights.data ? (
          <ErrorState error={highlights.error} onRetry={highlights.reload} />
        ) : !highlights.data ? (
          <Loading label={t.loadingHighlights} />
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
  const t = useStore(cards);
  const c = data.core_cards;
  const s = data.secondary_cards;
  return (
    <>
      <div class="grid grid-stats" data-testid="overview-cards">
        <Stat label={t.openTasks} value={formatNumber(c.open_task_count)} />
        <Stat label={t.activeSubTasks} value={formatNumber(c.active_sub_task_count)} />
        <Stat
          label={t.waitingForReview}
          value={formatNumber(c.review_queue_count)}
          tone={c.review_queue_count > 0 ? "warn" : undefined}
        />
        <Stat
          label={t.blockedSubTasks}
          value={formatNumber(c.blocked_sub_task_count)}
          tone={c.blocked_sub_task_count > 0 ? "bad" : undefined}
        />
        <Stat label={t.activeAgents} value={formatNumber(c.active_agent_count)} />
        <Stat
          label={t.completedToday}
          value={formatNumber(c.today_completed_sub_task_count)}
          tone={c.today_completed_sub_task_count > 0 ? "good" : undefined}
        />
        {data.patrol ? (
          <Stat
            label={t.openAnomalies}
            value={formatNumber(data.patrol.open_record_count)}
            tone={data.patrol.open_record_count > 0 ? "warn" : undefined}
          />
        ) : null}
      </div>
      <dl class="strip">
        <div>
          <dt>{t.disabledAgents}</dt>
          <dd>{formatNumber(s.disabled_agent_count)}</dd>
        </div>
        <div>
          <dt>{t.reviewsToday}</dt>
          <dd>{formatNumber(s.today_review_count)}</dd>
        </div>
        <div>
          <dt>{t.rejectedToday}</dt>
          <dd>{formatNumber(s.today_rejected_review_count)}</dd>
        </div>
        <div>
          <dt>{t.rejectionRate}</dt>
          <dd>{formatPercent(s.today_reject_rate)}</dd>
        </div>
        <div>
          <dt>{t.netScoreToday}</dt>
          <dd class={s.today_net_score_delta < 0 ? "neg" : s.today_net_score_delta > 0 ? "pos" : undefined}>
            {formatSigned(s.today_net_score_delta)}
          </dd>
        </div>
      </dl>
    </>
  );
}

function TrendCharts({ data }: { data: Trends }) {
  const t = useStore(charts);
  const drawn = useMemo(() => {
    const days = data.sub_task_created_trend.map((p) => p.date);
    const byDay = <T extends { date: string }>(points: T[], pick: (p: T) => number) => {
      const map = new Map(points.map((p) => [p.date, pick(p)]));
      return days.map((d) => map.get(d) ?? 0);
    };
    const chart = (title: string, series: Series[]) => ({ title, series });
    return {
      days,
      list: [
        chart(t.subTasks, [
          { label: t.created, values: byDay(data.sub_task_created_trend, (p) => p.count), color: "--chart-1" },
          { label: t.completed, values: byDay(data.sub_task_completed_trend, (p) => p.count), color: "--chart-2" },
        ]),
        chart(t.reviews, [
          { label: t.approved, values: byDay(data.review_trend, (p) => p.approved), color: "--chart-2" },
          { label: t.rejected, values: byDay(data.review_trend, (p) => p.rejected), color: "--chart-4" },
        ]),
        chart(t.scoreChange, [
          { label: t.net, values: byDay(data.score_delta_trend, (p) => p.net_score_delta), color: "--chart-3" },
        ]),
        chart(t.agentTraffic, [
          { label: t.apiRequests, values: byDay(data.request_trend, (p) => p.count), color: "--chart-1" },
          { label: t.activityLogs, values: byDay(data.activity_trend, (p) => p.count), color: "--chart-5" },
        ]),
      ],
    };
  }, [data, t]);
  if (drawn.days.length === 0) return <Empty title={t.noDays} />;
  return (
    <div class="grid grid-2">
      {drawn.list.map((c) => (
        <TrendChart key={c.title} title={c.title} days={drawn.days} series={c.series} />
      ))}
    </div>
  );
}

function Distribution({
  title,
  counts,
  labels,
}: {
  title: string;
  counts: Counts;
  /** The enum's labels for the counted values (states or roles). */
  labels: Readonly<Record<string, string>>;
}) {
  const t = useStore(overviewPage);
  const entries = Object.entries(counts);
  const total = entries.reduce((a, [, n]) => a + n, 0);
  return (
    <div class="card dist">
      <h3>{title}</h3>
      {total === 0 ? (
        <p class="muted">{t.noneYet}</p>
      ) : (
        <ul>
          {entries.map(([key, n]) => (
            <li key={key}>
              <span class="dist-label">{labelOf(labels, key)}</span>
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
  const t = useStore(panels);
  const roles = useStore(roleLabels);
  const states = useStore(stateLabels);
  return (
    <div class="grid grid-2">
      <Panel title={t.blocked} empty={t.blockedEmpty} count={data.blocked_sub_tasks.length}>
        {data.blocked_sub_tasks.map((st) => (
          <li key={st.id}>
            <span class="row-main" data-i18n-skip>
              {st.name}
            </span>
            <span class="row-meta">
              {st.task_name ?? "—"} · {st.assigned_agent_name ?? t.unassigned} · <RelTime value={st.updated_at} />
            </span>
          </li>
        ))}
      </Panel>
      <Panel title={t.waiting} empty={t.waitingEmpty} count={data.pending_review_sub_tasks.length}>
        {data.pending_review_sub_tasks.map((st) => (
          <li key={st.id}>
            <span class="row-main" data-i18n-skip>
              {st.name}
            </span>
            <span class="row-meta">
              {st.task_name ?? "—"} · {st.assigned_agent_name ?? t.unassigned}
              {st.rework_count > 0 ? ` · ${t.rework({ n: st.rework_count })}` : ""} · <RelTime value={st.updated_at} />
            </span>
          </li>
        ))}
      </Panel>
      <Panel title={t.busiest} empty={t.busiestEmpty} count={data.busy_agents.length}>
        {data.busy_agents.map((a) => (
          <li key={a.id}>
            <span class="row-main" data-i18n-skip>
              {a.name}
            </span>
            <span class="row-meta">
              {labelOf(roles, a.role)} · {t.openWork({ n: a.open_sub_task_count })} ·{" "}
              {t.score({ score: formatSigned(a.total_score) })}
            </span>
          </li>
        ))}
      </Panel>
      <Panel
        title={t.quiet({ hours: data.inactive_hours })}
        empty={t.quietEmpty}
        count={data.low_activity_agents.length}
      >
        {data.low_activity_agents.map((a) => (
          <li key={a.id}>
            <span class="row-main" data-i18n-skip>
              {a.name}
            </span>
            <span class="row-meta">
              {labelOf(roles, a.role)} ·{" "}
              <Rich
                text={t.lastSeen}
                parts={{ time: <RelTime value={latest(a.last_request_at, a.last_activity_at)} /> }}
              />
            </span>
          </li>
        ))}
      </Panel>
      <Panel title={t.recentReviews} empty={t.recentReviewsEmpty} count={data.recent_reviews.length}>
        {data.recent_reviews.map((r) => (
          <li key={r.id}>
            <span class="row-main">
              <span class={r.result === "approved" ? "pill pill-good" : "pill pill-bad"}>
                {labelOf(states, r.result)}
              </span>{" "}
              <span data-i18n-skip>{r.sub_task_name ?? r.sub_task_id}</span>
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
  const t = useStore(panels);
  if (score === null) return <span class="muted">{t.noScore}</span>;
  const n = Math.max(0, Math.min(5, Math.round(score)));
  return (
    <>
      <span class="stars" aria-hidden="true">
        {"★".repeat(n)}
        {"☆".repeat(5 - n)}
      </span>
      <span class="sr-only">{t.stars({ score })}</span>
    </>
  );
}

function latest(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
