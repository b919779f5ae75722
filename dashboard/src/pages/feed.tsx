import { useStore } from "@nanostores/preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { PageHeader } from "../components/layout";
import { RelTime } from "../components/rel-time";
import { Empty, ErrorState, Loading } from "../components/states";
import { actionLabels, roleLabels, stateLabels } from "../i18n/en/enums";
import { feedPage, feedVerbs } from "../i18n/en/feed";
import { Rich } from "../i18n/rich";
import { ApiError, api, getToken, withQuery } from "../lib/api";
import { labelOf } from "../lib/format";
import { useApi, useQueryState, useTitle } from "../lib/hooks";
import type { Page } from "../lib/types";
import { liveBadge, useLive } from "../live";
import type { AdminLog, AgentSummary, FeedLog, FeedStatus } from "./parts/types";
import { LogEntry, Pill, Select, shortId, usePoll, View } from "./parts/ui";

/** New calls are pushed over the live socket; only while that is down is the request log polled, this often. */
const FEED_POLL_MS = 2000;
const KEEP = 300;

type Verb = keyof ReturnType<typeof feedVerbs.get>;

// What an agent's call did, as a sentence key of feedVerbs: first match wins; anything else "called".
const VERBS: [RegExp, Verb][] = [
  [/^POST \/api\/tasks$/, "createdTask"],
  [/^POST \/api\/tasks\/[^/]+\/modules$/, "createdModule"],
  [/^POST \/api\/tasks\/[^/]+\/cancel$/, "cancelledTask"],
  [/^PUT \/api\/tasks\/[^/]+\/status$/, "changedTaskStatus"],
  [/^PUT \/api\/tasks\/[^/]+$/, "editedTask"],
  [/^POST \/api\/sub-tasks$/, "createdSubTask"],
  [/^POST \/api\/sub-tasks\/[^/]+\/claim$/, "claimedSubTask"],
  [/^POST \/api\/sub-tasks\/[^/]+\/start$/, "startedSubTask"],
  [/^POST \/api\/sub-tasks\/[^/]+\/submit$/, "submittedSubTask"],
  [/^POST \/api\/sub-tasks\/[^/]+\/complete$/, "completedSubTask"],
  [/^POST \/api\/sub-tasks\/[^/]+\/rework$/, "reworkSubTask"],
  [/^POST \/api\/sub-tasks\/[^/]+\/block$/, "blockedSubTask"],
  [/^POST \/api\/sub-tasks\/[^/]+\/reassign$/, "reassignedSubTask"],
  [/^POST \/api\/sub-tasks\/[^/]+\/cancel$/, "cancelledSubTask"],
  [/^POST \/api\/sub-tasks\/[^/]+\/session$/, "updatedSession"],
  [/^PUT \/api\/sub-tasks\/[^/]+$/, "editedSubTask"],
  [/^POST \/api\/review-records$/, "reviewed"],
  [/^POST \/api\/logs$/, "wroteLog"],
  [/^POST \/api\/scores\/adjust$/, "adjustedScore"],
  [/^POST \/api\/patrol\/records$/, "filedPatrolRecord"],
  [/^POST \/api\/patrol\/records\/[^/]+\/resolve$/, "resolvedPatrolRecord"],
  [/^GET \/api\/sub-tasks\/available/, "lookedForWork"],
  [/^GET \/api\/sub-tasks\/mine/, "checkedOwn"],
  [/^GET \/api\/rules/, "readRules"],
  [/^GET \/api\/patrol\/check/, "ranPatrolCheck"],
  [/^GET /, "lookedAt"],
];

interface Labels {
  t: ReturnType<typeof feedPage.get>;
  states: Readonly<Record<string, string>>;
  actions: Readonly<Record<string, string>>;
}

/** The sentence's key, and what it was about (a name, a review's result, a log's summary, else the path). */
function describe(log: FeedLog, { t, states, actions }: Labels): { verb: Verb; object: string } {
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
  // Both parts: the language's sentence; one: that part alone.
  const both = (a: string, b: string, whole: () => string) => (a && b ? whole() : a || b);
  let object = pick("name");
  if (verb === "reviewed") {
    const result = pick("result") && labelOf(states, pick("result"));
    object = both(result, pick("score"), () => t.reviewObject({ result, score: pick("score") }));
  } else if (verb === "wroteLog") {
    const action = pick("action") && labelOf(actions, pick("action"));
    object = both(action, pick("summary"), () => t.logObject({ action, summary: pick("summary") }));
  } else if (verb === "adjustedScore") object = [pick("score_delta"), pick("reason")].filter(Boolean).join(" ");
  else if (verb === "filedPatrolRecord") object = pick("description");
  else if (verb === "lookedAt" || verb === "called") object = log.path;
  return { verb, object: object.length > 140 ? `${object.slice(0, 140)}…` : object };
}

const justBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();

export default function FeedPage() {
  const t = useStore(feedPage);
  useTitle(t.title);
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
        title={t.title}
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
              {paused ? t.resume : t.pause}
            </button>
          ) : null
        }
      >
        {t.intro}
        {live ? (
          <span
            class={paused ? "live paused" : badge.class}
            title={paused ? undefined : badge.title}
            data-testid="live-status"
            data-state={socket}
          >
            {" "}
            {paused ? t.paused : badge.text}
          </span>
        ) : null}
      </PageHeader>
      {admin && enabled !== null ? <PublicFeedNote enabled={enabled} /> : null}
      <div class="split">
        <section aria-labelledby="requests-title">
          <div class="section-head">
            <h2 id="requests-title">{t.requests}</h2>
          </div>
          {!admin && statusError && enabled === null ? (
            <ErrorState error={statusError} onRetry={() => void checkStatus()} />
          ) : !live && enabled === null ? (
            <Loading label={t.checking} />
          ) : !live ? (
            <div class="banner" role="status" data-testid="feed-off">
              <p>
                <Rich text={t.offBody} parts={{ head: <strong>{t.offTitle}</strong> }} />
              </p>
              <p>{t.offWait}</p>
            </div>
          ) : (
            <>
              <Select
                label={t.agent}
                value={q.agent}
                options={[...agents].map(([id, name]) => ({ value: id, label: name }))}
                all={t.allAgents}
                onChange={(v) => setQuery({ agent: v })}
              />
              {error ? (
                <p class="notice notice-error">
                  {t.updatesFailed({ message: error instanceof Error ? error.message : String(error) })}
                </p>
              ) : null}
              {items === null ? (
                <Loading label={t.loading} />
              ) : items.length === 0 ? (
                <Empty title={t.noActivity}>
                  <p>{t.noActivityHint}</p>
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
  const t = useStore(feedPage);
  return (
    <p class="banner feed-note" role="status" data-testid="feed-public-status">
      {enabled ? (
        <>
          <Rich text={t.publicOnBody} parts={{ head: <strong>{t.publicOn}</strong> }} />{" "}
        </>
      ) : (
        <>
          <Rich text={t.publicOffBody} parts={{ head: <strong>{t.publicOff}</strong> }} />{" "}
        </>
      )}
      <a href="/settings#feed">{enabled ? t.turnOff : t.turnOn}</a>
    </p>
  );
}

function FeedEntry({ log, fresh, admin }: { log: FeedLog; fresh: boolean; admin: boolean }) {
  const t = useStore(feedPage);
  const verbs = useStore(feedVerbs);
  const states = useStore(stateLabels);
  const actions = useStore(actionLabels);
  const roles = useStore(roleLabels);
  const { verb, object } = describe(log, { t, states, actions });
  const failed = log.response_status !== null && log.response_status >= 400;
  return (
    <li class={fresh ? "fresh" : undefined}>
      <div class="entry-head">
        <span class="method">{log.method}</span>
        <span>
          <Rich
            text={verbs[verb]}
            parts={{
              agent: !log.agent_id ? (
                <strong>{t.unknownAgent}</strong>
              ) : admin ? (
                <a href={`/agents/${log.agent_id}`}>{log.agent_name ?? shortId(log.agent_id)}</a>
              ) : (
                <strong>{log.agent_name ?? shortId(log.agent_id)}</strong>
              ),
            }}
          />
        </span>
        {log.agent_role ? <span class="entry-meta">{labelOf(roles, log.agent_role)}</span> : null}
        {failed ? <Pill value="rejected" label={`HTTP ${log.response_status}`} /> : null}
        <span class="spacer" />
        <span class="entry-meta">
          <RelTime value={log.timestamp} />
        </span>
      </div>
      {object ? (
        <div class="prose" data-i18n-skip>
          {object}
        </div>
      ) : null}
      {log.request_body && log.request_body !== "{}" ? (
        <details class="raw">
          <summary>
            {t.requestBody} <span class="mono">{log.path}</span>
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
  const t = useStore(feedPage);
  const logs = useApi<Page<AdminLog>>("/api/admin/logs?page_size=15");
  useLive(["logs"], logs.reload, { pollMs: 5000, minGapMs: 1000, enabled: logs.data !== undefined });
  return (
    <section aria-labelledby="activity-title">
      <div class="section-head">
        <h2 id="activity-title">{t.activityLogs}</h2>
        <a href="/logs">{t.allLogs}</a>
      </div>
      <View res={logs} loading={t.loadingLogs} isEmpty={(d) => d.items.length === 0} empty={<Empty title={t.noLogs} />}>
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
  const t = useStore(feedPage);
  const roles = useStore(roleLabels);
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
        <h2 id="agents-title">{t.agentsToday}</h2>
      </div>
      {error && data === null ? (
        <ErrorState error={error} onRetry={() => void load()} />
      ) : data === null ? (
        <Loading label={t.loadingAgents} />
      ) : data.length === 0 ? (
        <Empty title={t.noAgents} />
      ) : (
        <div class="card">
          <ul class="entries" data-testid="feed-agents">
            {data.map((a) => (
              <li key={a.id}>
                <div class="entry-head">
                  <strong data-i18n-skip>{a.name}</strong>
                  <span class="entry-meta">{labelOf(roles, a.role)}</span>
                  <span class="spacer" />
                  <span class="entry-meta">{t.points(a.total_score)}</span>
                </div>
                <div class="entry-meta">
                  {t.today({
                    calls: t.calls(a.today_request_count),
                    submitted: a.today_submit_count,
                    reviewed: a.today_review_count,
                  })}
                </div>
                {a.current_sub_task ? (
                  <div class="prose">
                    {a.current_sub_task.module_name
                      ? t.workingOnIn({ name: a.current_sub_task.name, module: a.current_sub_task.module_name })
                      : t.workingOn({ name: a.current_sub_task.name })}
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
