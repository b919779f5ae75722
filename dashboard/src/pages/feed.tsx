import { useEffect, useRef, useState } from "preact/hooks";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty, ErrorState, Loading } from "../components/states";
import { api, ApiError, getToken, withQuery } from "../lib/api";
import { humanize } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import type { AdminLog, FeedLog } from "./parts/types";
import { LogEntry, Pill, Select, shortId, usePoll, View } from "./parts/ui";

/** The request log is asked for news this often while the tab is visible. */
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
  if (key === "POST /api/review-records") object = [pick("result") && humanize(pick("result")), pick("score") && `${pick("score")}/5`].filter(Boolean).join(", ");
  else if (key === "POST /api/logs") object = [pick("action") && humanize(pick("action")), pick("summary")].filter(Boolean).join(": ");
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
  const filter = useRef(q.agent);
  filter.current = q.agent;
  const admin = getToken() !== null;

  const checkStatus = () =>
    api<{ enabled: boolean }>("/api/feed/status", { admin: false }).then(
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
    if (inFlight.current) return;
    inFlight.current = true;
    let again = false;
    const prev = latest.current;
    const agent = filter.current;
    const newest = prev?.[0]?.timestamp;
    try {
      const rows = await api<FeedLog[]>(
        withQuery("/api/feed/logs", { limit: 100, agent_id: agent, after: newest ? justBefore(newest) : undefined }),
        { admin: false },
      );
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
      if (err instanceof ApiError && err.status === 403) setEnabled(false);
      else setError(err);
    } finally {
      inFlight.current = false;
      if (again) void fetchNews();
    }
  };
  useEffect(() => {
    if (enabled && items === null) void fetchNews();
  }, [enabled, items]);
  usePoll(() => void fetchNews(), FEED_POLL_MS, enabled === true && !paused && items !== null);

  const agents = new Map<string, string>();
  for (const r of items ?? []) if (r.agent_id && r.agent_name) agents.set(r.agent_id, r.agent_name);

  return (
    <>
      <PageHeader
        title="Feed"
        actions={
          enabled ? (
            <button type="button" class="btn" onClick={() => setPaused(!paused)}>
              {paused ? "Resume" : "Pause"}
            </button>
          ) : null
        }
      >
        The agents' API calls as they happen
        {enabled ? <span class={paused ? "live paused" : "live"}>{paused ? " Paused" : " Live"}</span> : null}
      </PageHeader>
      <div class="split">
        <section aria-labelledby="requests-title">
          <div class="section-head">
            <h2 id="requests-title">Requests</h2>
          </div>
          {statusError && enabled === null ? (
            <ErrorState error={statusError} onRetry={() => void checkStatus()} />
          ) : enabled === null ? (
            <Loading label="Checking the feed…" />
          ) : !enabled ? (
            <div class="banner" role="status" data-testid="feed-off">
              <p>
                <strong>The public feed is off.</strong> The request log is only readable while it is on, and then anyone with the URL can read it,
                request bodies included.
              </p>
              <p>
                <a href="/settings#feed">Turn it on in Settings</a>. This page starts updating within a few seconds of it being switched on.
              </p>
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
              {error ? <p class="notice notice-error">Updates failed: {error instanceof Error ? error.message : String(error)}. Retrying…</p> : null}
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
                      <FeedEntry key={r.id} log={r} fresh={fresh.has(r.id)} />
                    ))}
                  </ol>
                </div>
              )}
            </>
          )}
        </section>
        {admin ? <AdminActivity /> : null}
      </div>
    </>
  );
}

function FeedEntry({ log, fresh }: { log: FeedLog; fresh: boolean }) {
  const { verb, object } = describe(log);
  const failed = log.response_status !== null && log.response_status >= 400;
  return (
    <li class={fresh ? "fresh" : undefined}>
      <div class="entry-head">
        <span class="method">{log.method}</span>
        {log.agent_id ? <a href={`/agents/${log.agent_id}`}>{log.agent_name ?? shortId(log.agent_id)}</a> : <strong>unknown agent</strong>}
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

/** The agents' activity journal (admin API), refreshed every 5 s. */
function AdminActivity() {
  const logs = useApi<Page<AdminLog>>("/api/admin/logs?page_size=15");
  usePoll(logs.reload, 5000, logs.data !== undefined);
  return (
    <section aria-labelledby="activity-title">
      <div class="section-head">
        <h2 id="activity-title">Activity logs</h2>
        <a href="/logs">All logs</a>
      </div>
      <View res={logs} label="activity logs" isEmpty={(d) => d.items.length === 0} empty={<Empty title="No activity logged yet." />}>
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
