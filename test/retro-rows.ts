// Retrospective rows written straight into D1, as the generator (the ScheduledJobs Durable Object) writes
// them: for the tests of what agents and admins do with them (briefing, API, logs), independent of
// what a period's history would compose.
import type { RetroPattern, RetrospectiveBody } from "../contract/api/retrospective-body";
import { env } from "./helpers";

export interface RetroRowSpec {
  periodKey: string;
  scope: "team" | "agent";
  agentId?: string;
  text?: string;
  patterns?: RetroPattern[];
  partial?: boolean;
}

/** A pattern seen `count` times, mostly on task `taskId`. */
export const pattern = (sample: string, count: number, taskId: string): RetroPattern => ({
  kind: "issue",
  key: crypto.randomUUID().slice(0, 16),
  sample,
  count,
  again: false,
  previous_periods: [],
  sub_tasks: [],
  agents: [],
  top_task_id: taskId,
});

const DAY_MS = 86_400_000;

/** The UTC bounds of a `day:` key (the tests' time zone is UTC). */
const boundsOf = (key: string) => {
  const from = Date.parse(`${key.slice(4)}T00:00:00Z`);
  return { from: new Date(from).toISOString(), to: new Date(from + DAY_MS).toISOString() };
};

export function retroBody(periodKey: string, patterns: RetroPattern[] = []): RetrospectiveBody {
  const { from, to } = boundsOf(periodKey);
  return {
    version: 1,
    period: { kind: "daily", key: periodKey, from, to, time_zone: "UTC" },
    counts: {
      sub_tasks_done: 7,
      reviews: 9,
      rejections: patterns.reduce((n, p) => n + p.count, 0),
      reworked_sub_tasks: 2,
      reflections: 1,
      retro_logs: 0,
      anomalies: 3,
      score_net: 12,
    },
    rejections: [],
    reflections: [],
    rework: [],
    anomalies: [],
    score_movers: { up: [], down: [] },
    longest: [],
    patterns,
    findings: patterns.map((p, i) => ({ id: `f${i + 1}`, pattern: i, kind: p.kind, rule_id: null })),
    keys: { issue: {}, type: {} },
    truncated: false,
  };
}

/** Inserts one row; returns its id. */
export async function insertRetro(spec: RetroRowSpec): Promise<string> {
  const id = crypto.randomUUID();
  const { from, to } = boundsOf(spec.periodKey);
  await env.DB.prepare(
    `insert into retrospective (id, period_key, period_kind, period_start, period_end, time_zone, scope, agent_id,
       scope_key, trigger, partial, language, body, text, generated_at, generated_by)
     values (?, ?, 'daily', ?, ?, 'UTC', ?, ?, ?, 'cron', ?, 'en', ?, ?, ?, null)`,
  )
    .bind(
      id,
      spec.periodKey,
      from,
      to,
      spec.scope,
      spec.agentId ?? null,
      spec.agentId ?? "team",
      spec.partial ? 1 : 0,
      JSON.stringify(retroBody(spec.periodKey, spec.patterns)),
      spec.text ?? `Retrospective ${spec.periodKey} for ${spec.agentId ?? "the team"}`,
      new Date().toISOString(),
    )
    .run();
  return id;
}

/** What the generator's batch does for an agent: point its next briefing at `retroId`. */
export const pointAt = (agentId: string, retroId: string) =>
  env.DB.prepare("update agent set pending_retro_id = ? where id = ?").bind(retroId, agentId).run();

export const pendingOf = async (agentId: string) =>
  (
    await env.DB.prepare("select pending_retro_id as p from agent where id = ?")
      .bind(agentId)
      .first<{ p: string | null }>()
  )?.p ?? null;
