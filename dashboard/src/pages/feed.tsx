import { useEffect, useRef, useState } from "preact/hooks";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty, ErrorState, Loading } from "../components/states";
import { ApiError, api, getToken, withQuery } from "../lib/api";
import { humanize } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { liveBadge, useLive } from "../live";
import type { AdminLog, AgentSummary, FeedLog, FeedStatus } from "./parts/types";
import { LogEntry, Pill, Select, shortId, usePoll, View } from "./parts/ui";

/** New calls are pushed over the live socket; only while that is down is the request log polled, this often. */
const FEED_POLL_MS = 2000;
const KEEP = 300;

// What an agent's call did, in words: first match wins; anything else is "called <path>".
const VERBS: [RegExp, string][] = [
  [/^POST \/api\/tasks$/, "created a task"],
  [/^POST \/api\/tasks\/[^/]+\/modules$/, "created a module"],
  [/^POST \/api\/tasks\/[^/]+\/cancel$/, "cancelled a task"],
  [/^PUT \/api\/tasks\/[^/]+\/status$/, "changed a task's status"],
  [/^PUT \/api\/tasks\/[^/]+$/, "edited a task"],
  [/^POST \/api\/sub-tasks$/, "created a sub-task"],
  [/^POST \/api\/sub-tasks\/[^/]+\/claim$/, "claimed a sub-task"],
  [/^POST \/api\/sub-tasks\/[^/]+\/start$/, "started a sub-task"],
  [/^POST \/api\/sub-tasks\/[^/]+\/submit$/, "submitted a sub-task for review"],
  [/^POST \/api\/sub-tasks\/[^/]+\/complete$/, "completed a sub-task"],
  [/^POST \/api\/sub-tasks\/[^/]+\/rework$/, "sent a sub-task back for rework"],
  [/^POST \/api\/sub-tasks\/[^/]+\/block$/, "blocked a sub-task"],
  [/^POST \/api\/sub-tasks\/[^/]+\/reassign$/, "reassigned a sub-task"],
  [/^POST \/api\/sub-tasks\/[^/]+\/cancel$/, "cancelled a sub-task"],
  [/^POST \/api\/sub-tasks\/[^/]+\/session$/, "updated its session"],
  [/^PUT \/api\/sub-tasks\/[^/]+$/, "edited a sub-task"],
  [/^POST \/api\/review-records$/, "reviewed a sub-task"],
  [/^POST \/api\/logs$/, "wrote an activity log"],
  [/^POST \/api\/scores\/adjust$/, "adjusted a score"],
  [/^POST \/api\/patrol\/records$/, "filed a patrol record"],
  [/^POST \/api\/patrol\/records\/[^/]+\/resolve$/, "resolved a patrol record"],
  [/^GET \/api\/sub-tasks\/available/, "looked for work"],
  [/^GET \/api\/sub-tasks\/mine/, "checked its sub-tasks"],
  [/^GET \/api\/rules/, "read the rules"],
  [/^GET \/api\/patrol\/check/, "ran a patrol check"],
  [/^GET /, "looked at"],
];

function describe(log: FeedLog): { verb: string; object: string } {
  const key = `${log.method} ${log.path.split("?")[0]}`;
  const verb = VERBS.find(([re]) => re.test(key))?.[1] ?? "called";
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = log.request_body ? JSON.parse(log.request_body) : {};
    if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: the raw body is still shown under the entry
  }
  const pick = (k: string) => (typeof body[k] === "string" || typeof body[k] === "number" ? String(body[k]) : "");
  let object = pick("name");
  if (key === "POST /api/review-records")
    object = [pick("result") && humanize(pick("result")), pick("score") && `${pick("score")}/5`]
      .filter(Boolean)
      .join(", ");
  else if (key === "POST /api/logs")
    object = [pick("action") && humanize(pick("action")), pick("summary")].filter(Boolean).join(": ");
  else if (key === "POST /api/scores/adjust") object = [pick("score_delta"), pick("reason")].filter(Boolean).join(" ");
  else if (key === "POST /api/patrol/records") object = pick("description");
  else if (verb === "looked at" || verb === "called") object = log.path;
  return { verb, object: object.length > 140 ? `${object.slice(0, 140)}…` : object };
}

const justBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();

export default function FeedPage() {
  useTitle("Feed");
  const [q, setQuery] = useQueryState({ agent: "" });
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [statusError, setStatusError] = useState<unknown>(null);
  const [items, setItems] = useState<FeedLog[] | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [paused, setPaused] = useState(false);
  const latest = useRef<FeedLog[] | null>(null);
  latest.current = items;
  const inFlight = useRef(false);
  /** A push that arrived while a fetch was running: fetch again right after it. */
  const rerun = useRef(false);
  const filter = useRef(q.agent);
  filter.current = q.agent;
  // An admin reads the request log through the admin API, whether or not the public feed is on;
  // a visitor without a session reads the public feed, which answers 403 while it is off.
  const admin = getToken() !== null;
  const live = admin || enabled === true;

  const checkStatus = () =>
    api<FeedStatus>("/api/feed/status", { admin: false }).then(
      (s) => {
        setStatusError(null);
        setEnabled(s.enabled);
      },
      (err: unknown) => setStatusError(err),
    );
  useEffect(() => {
    void checkStatus();
  }, []);
  // While the feed is off, notice when it is turned on (the status call never fails with 403).
  usePoll(() => void checkStatus(), 10_000, enabled === false);

  // A new agent filter starts a new list.
  useEffect(() => {
    setItems(null);
    setFresh(new Set());
  }, [q.agent]);

  const fetchNews = async () => {
    if (inFlight.current) {
      rerun.current = true;
      return;
    }
    inFlight.current = true;
    let again = false;
    const prev = latest.current;
    const agent = filter.current;
    const newest = prev?.[0]?.timestamp;
    try {
      // Asks from just before the newest row (rows sharing its millisecond are not lost); known ids are dropped.
      const query = {
        limit: prev === null ? 100 : 50,
        agent_id: agent,
        after: newest ? justBefore(newest) : undefined,
      };
      const rows = await api<FeedLog[]>(withQuery(admin ? "/api/admin/request-logs" : "/api/feed/logs", query), {
        admin,
      });
      setError(null);
      // The filter changed meanwhile: this answer belongs to the old list.
      if (agent !== filter.current || prev !== latest.current) {
        again = latest.current === null;
        return;
      }
      if (prev === null) {
        setItems(rows);
        return;
      }
      const known = new Set(prev.map((r) => r.id));
      const added = rows.filter((r) => !known.has(r.id));
      if (added.length === 0) return;
      setFresh(new Set(added.map((r) => r.id)));
      setItems([...added, ...prev].slice(0, KEEP));
    } catch (err) {
      if (!admin && err instanceof ApiError && err.status === 403) setEnabled(false);
      else setError(err);
    } finally {
      inFlight.current = false;
      if (again || rerun.current) {
        rerun.current = false;
        void fetchNews();
      }
    }
  };
  useEffect(() => {
    if (live && items === null) void fetchNews();
  }, [live, items]);
  const socket = useLive(["requests"], () => void fetchNews(), {
    pollMs: FEED_POLL_MS,
    minGapMs: 250,
    enabled: live && !paused && items !== null,
  });
  const badge = liveBadge(socket, FEED_POLL_MS);

  const agents = new Map<string, string>();
  for (const r of items ?? []) if (r.agent_id && r.agent_name) agents.set(r.agent_id, r.agent_name);

  return (
    <>
      <PageHeader
        title="Feed"
        actions={
          live ? (
            <button
              type="button"
              class="btn"
              onClick={() => {
                // Resuming catches up at once (pushes that came while paused were not fetched).
                if (paused) void fetchNews();
                setPaused(!paused);
              }}
            >
              {paused ? "Resume" : "Pause"}
            </button>
          ) : null
        }
      >
        The agents' API calls as they happen
        {live ? (
          <span
            class={paused ? "live paused" : badge.class}
            title={paused ? undefined : badge.title}
            data-testid="live-status"
            data-state={socket}
          >
            {paused ? " Paused" : ` ${badge.text}`}
          </span>
        ) : null}
      </PageHeader>
      {admin && enabled !== null ? <PublicFeedNote enabled={enabled} /> : null}
      <div class="split">
        <section aria-labelledby="requests-title">
          <div class="section-head">
            <h2 id="requests-title">Requests</h2>
          </div>
          {!admin && statusError && enabled === null ? (
            <ErrorState error={statusError} onRetry={() => void checkStatus()} />
          ) : !live && enabled === null ? (
            <Loading label="Checking the feed…" />
          ) : !live ? (
            <div class="banner" role="status" data-testid="feed-off">
              <p>
                <strong>The public feed is off.</strong> The project's admin has not made the agents' activity public.
              </p>
              <p>This page starts updating within a few seconds of it being switched on.</p>
            </div>
          ) : (
            <>
              <Select
                label="Agent"
                value={q.agent}
                options={[...agents].map(([id, name]) => ({ value: id, label: name }))}
                all="All agents"
                onChange={(v) => setQuery({ agent: v })}
              />
              {error ? (
                <p class="notice notice-error">
                  Updates failed: {error instanceof Error ? error.message : String(error)}. Retrying…
                </p>
              ) : null}
              {items === null ? (
                <Loading label="Loading the feed…" />
              ) : items.length === 0 ? (
                <Empty title="No agent activity yet.">
                  <p>Calls appear here within seconds of an agent making them.</p>
                </Empty>
              ) : (
                <div class="card">
                  <ol class="entries" data-testid="feed" aria-live="polite" aria-relevant="additions">
                    {items.map((r) => (
                      <FeedEntry key={r.id} log={r} fresh={fresh.has(r.id)} admin={admin} />
                    ))}
                  </ol>
                </div>
              )}
            </>
          )}
        </section>
        {admin ? <AdminActivity /> : enabled ? <AgentSummaries /> : null}
      </div>
    </>
  );
}

/** For the admin: whether visitors without a session can watch this page too. */
function PublicFeedNote({ enabled }: { enabled: boolean }) {
  return (
    <p class="banner feed-note" role="status" data-testid="feed-public-status">
      {enabled ? (
        <>
          <strong>The public feed is on:</strong> anyone with this page's URL can watch it, request bodies included.{" "}
        </>
      ) : (
        <>
          <strong>The public feed is off:</strong> only logged-in admins see this page.{" "}
        </>
      )}
      <a href="/settings#feed">{enabled ? "Turn it off in Settings" : "Turn it on in Settings"}</a>
    </p>
  );
}

function FeedEntry({ log, fresh, admin }: { log: FeedLog; fresh: boolean; admin: boolean }) {
  const { verb, object } = describe(log);
  const failed = log.response_status !== null && log.response_status >= 400;
  return (
    <li class={fresh ? "fresh" : undefined}>
      <div class="entry-head">
        <span class="method">{log.method}</span>
        {!log.agent_id ? (
          <strong>unknown agent</strong>
        ) : admin ? (
          <a href={`/agents/${log.agent_id}`}>{log.agent_name ?? shortId(log.agent_id)}</a>
        ) : (
          <strong>{log.agent_name ?? shortId(log.agent_id)}</strong>
        )}
        {log.agent_role ? <span class="entry-meta">{humanize(log.agent_role)}</span> : null}
        <span>{verb}</span>
        {failed ? <Pill value="rejected" label={`HTTP ${log.response_status}`} /> : null}
        <span class="spacer" />
        <span class="entry-meta">
          <RelTime value={log.timestamp} />
        </span>
      </div>
      {object ? <div class="prose">{object}</div> : null}
      {log.request_body && log.request_body !== "{}" ? (
        <details class="raw">
          <summary>
            Request body <span class="mono">{log.path}</span>
          </summary>
          <pre class="pre">{prettyJson(log.request_body)}</pre>
        </details>
      ) : null}
    </li>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The agents' activity journal (admin API), refreshed on push (every 5 s while the live socket is down). */
function AdminActivity() {
  const logs = useApi<Page<AdminLog>>("/api/admin/logs?page_size=15");
  useLive(["logs"], logs.reload, { pollMs: 5000, minGapMs: 1000, enabled: logs.data !== undefined });
  return (
    <section aria-labelledby="activity-title">
      <div class="section-head">
        <h2 id="activity-title">Activity logs</h2>
        <a href="/logs">All logs</a>
      </div>
      <View
        res={logs}
        label="activity logs"
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title="No activity logged yet." />}
      >
        {(d) => (
          <div class="card">
            <ul class="entries" data-testid="feed-activity">
              {d.items.map((l) => (
                <li key={l.id}>
                  <LogEntry log={l} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </View>
    </section>
  );
}

/** For visitors of the public feed: each agent's day so far (public API), refreshed on push (every 10 s while the socket is down). */
function AgentSummaries() {
  const [data, setData] = useState<AgentSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () =>
    api<AgentSummary[]>("/api/feed/agent-summary", { admin: false }).then(
      (rows) => {
        setError(null);
        setData(rows);
      },
      (err: unknown) => setError(err),
    );
  useEffect(() => {
    void load();
  }, []);
  useLive(["agents", "scores", "sub_tasks", "requests"], () => void load(), {
    pollMs: 10_000,
    minGapMs: 2000,
    enabled: data !== null,
  });
  return (
    <section aria-labelledby="agents-title">
      <div class="section-head">
        <h2 id="agents-title">Agents today</h2>
      </div>
      {error && data === null ? (
        <ErrorState error={error} onRetry={() => void load()} />
      ) : data === null ? (
        <Loading label="Loading the agents…" />
      ) : data.length === 0 ? (
        <Empty title="No agents yet." />
      ) : (
        <div class="card">
          <ul class="entries" data-testid="feed-agents">
            {data.map((a) => (
              <li key={a.id}>
                <div class="entry-head">
                  <strong>{a.name}</strong>
                  <span class="entry-meta">{humanize(a.role)}</span>
                  <span class="spacer" />
                  <span class="entry-meta">{a.total_score} points</span>
                </div>
                <div class="entry-meta">
                  {a.today_request_count} {a.today_request_count === 1 ? "call" : "calls"}, {a.today_submit_count}{" "}
                  submitted, {a.today_review_count} reviewed today
                </div>
                {a.current_sub_task ? (
                  <div class="prose">
                    Working on {a.current_sub_task.name}
                    {a.current_sub_task.module_name ? ` (${a.current_sub_task.module_name})` : ""}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
