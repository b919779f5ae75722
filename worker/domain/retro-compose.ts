// A period's rows → the retrospective bodies: one for the team and one per agent that has something
// to learn from (a rejection, a reflection or an anomaly). Lists are cut at RETRO_CAPS and every body
// at a size cap, so a busy week cannot make a row D1 refuses. Pure.
import {
  RETRO_CAPS,
  RETRO_CLIP,
  RETRO_MAX_KEYS,
  type RetroAnomaly,
  type RetroCounts,
  type RetroLongest,
  type RetroMover,
  type RetroPeriod,
  type RetroReflection,
  type RetroRejection,
  type RetroRework,
  type RetrospectiveBody,
} from "../../contract/api/retrospective-body";
import type { AnomalyType, Severity } from "../../contract/vocabulary";
import {
  findPatterns,
  issueItems,
  keysOf,
  MAX_KEYS_PER_REJECTION,
  type PreviousKeys,
  type RejectionKeys,
  subTaskTypeKey,
} from "./retro-patterns";

/** Largest body JSON of a team row and of an agent row, in characters. */
export const BODY_LIMIT = { team: 64_000, agent: 16_000 } as const;

/** What the period's reads return (worker/db/retro-queries.ts). */
export interface RetroRows {
  /** Every review of the period; sub-task fields only on rejections. */
  reviews: {
    id: string;
    subTaskId: string;
    round: number;
    result: string;
    score: number | null;
    issues: string;
    reviewerAgent: string;
    executorAgent: string | null;
    createdAt: string;
    subTaskName: string;
    taskId: string;
    templateKey: string | null;
  }[];
  reflections: {
    id: string;
    agentId: string;
    action: "reflection" | "retro";
    summary: string;
    subTaskId: string | null;
    createdAt: string;
  }[];
  anomalies: { type: AnomalyType; severity: Severity; agentId: string | null; n: number }[];
  scores: { agentId: string; net: number; lost: number; n: number }[];
  done: {
    id: string;
    name: string;
    taskId: string;
    assignedAgent: string | null;
    createdAt: string;
    startedAt: string | null;
    completedAt: string;
    reworkCount: number;
  }[];
}

export interface ComposedRetros {
  team: RetrospectiveBody;
  /** Agent id → its body, only for agents with a rejection, a reflection or an anomaly. */
  agents: Map<string, RetrospectiveBody>;
}

type Caps = (typeof RETRO_CAPS)[keyof typeof RETRO_CAPS];
type Rejected = RetroRows["reviews"][number] & { keys: RejectionKeys };

const seconds = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 1000);

/** The list cut at `max`, reporting whether it was cut. */
function capped<T>(items: T[], max: number, cut: { truncated: boolean }): T[] {
  if (items.length > max) cut.truncated = true;
  return items.slice(0, max);
}

function longestOf(done: RetroRows["done"]): RetroLongest[] {
  return done
    .map((d) => ({
      sub_task_id: d.id,
      name: d.name.slice(0, RETRO_CLIP.name),
      task_id: d.taskId,
      agent_id: d.assignedAgent,
      lead_seconds: seconds(d.createdAt, d.completedAt),
      work_seconds: d.startedAt ? seconds(d.startedAt, d.completedAt) : null,
      rework_count: d.reworkCount,
    }))
    .sort((a, b) => b.lead_seconds - a.lead_seconds || a.sub_task_id.localeCompare(b.sub_task_id));
}

function reworkOf(rejected: Rejected[]): RetroRework[] {
  const byAgent = new Map<string | null, { rejections: number; subTasks: Set<string> }>();
  for (const r of rejected) {
    const entry = byAgent.get(r.executorAgent) ?? { rejections: 0, subTasks: new Set() };
    entry.rejections += 1;
    entry.subTasks.add(r.subTaskId);
    byAgent.set(r.executorAgent, entry);
  }
  return [...byAgent]
    .map(([agent_id, e]) => ({ agent_id, rejections: e.rejections, sub_tasks: e.subTasks.size }))
    .sort((a, b) => b.rejections - a.rejections || (a.agent_id ?? "").localeCompare(b.agent_id ?? ""));
}

function anomaliesOf(rows: RetroRows["anomalies"]): RetroAnomaly[] {
  const groups = new Map<string, RetroAnomaly>();
  for (const row of rows) {
    const id = `${row.type}\u0000${row.severity}`;
    const group = groups.get(id) ?? { type: row.type, severity: row.severity, count: 0, agents: [] };
    group.count += row.n;
    if (row.agentId && !group.agents.includes(row.agentId)) group.agents.push(row.agentId);
    groups.set(id, group);
  }
  return [...groups.values()].sort(
    (a, b) => b.count - a.count || a.type.localeCompare(b.type) || a.severity.localeCompare(b.severity),
  );
}

const rejectionView = (r: Rejected): RetroRejection => ({
  review_id: r.id,
  sub_task_id: r.subTaskId,
  sub_task_name: r.subTaskName.slice(0, RETRO_CLIP.name),
  task_id: r.taskId,
  round: r.round,
  score: r.score,
  executor_agent: r.executorAgent,
  reviewer_agent: r.reviewerAgent,
  issue: (r.issues.split(/\r?\n/).find((line) => line.trim() !== "") ?? "").trim().slice(0, RETRO_CLIP.issue),
  issue_keys: r.keys.issues.slice(0, MAX_KEYS_PER_REJECTION).map((i) => i.key),
  created_at: r.createdAt,
});

const reflectionView = (l: RetroRows["reflections"][number]): RetroReflection => ({
  log_id: l.id,
  agent_id: l.agentId,
  action: l.action,
  sub_task_id: l.subTaskId,
  summary: l.summary.slice(0, RETRO_CLIP.summary),
  created_at: l.createdAt,
});

const moverView = (s: RetroRows["scores"][number]): RetroMover => ({
  agent_id: s.agentId,
  net: s.net,
  lost: s.lost,
  entries: s.n,
});

/** One body over a slice of the period's rows (all of them for the team, one agent's for an agent). */
function bodyOf(
  period: RetroPeriod,
  rows: RetroRows & { rejected: Rejected[] },
  caps: Caps,
  previous: PreviousKeys[],
  forTeam: boolean,
): RetrospectiveBody {
  const cut = { truncated: false };
  const newestFirst = <T extends { createdAt: string }>(list: T[]) =>
    [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const scores = [...rows.scores].sort((a, b) => b.net - a.net || a.agentId.localeCompare(b.agentId));
  const keys = rows.rejected.map((r) => r.keys);
  const patterns = capped(findPatterns(keys, previous), caps.patterns, cut);
  const counts: RetroCounts = {
    sub_tasks_done: rows.done.length,
    reviews: rows.reviews.length,
    rejections: rows.rejected.length,
    reworked_sub_tasks: new Set(rows.rejected.map((r) => r.subTaskId)).size,
    reflections: rows.reflections.filter((l) => l.action === "reflection").length,
    retro_logs: rows.reflections.filter((l) => l.action === "retro").length,
    anomalies: rows.anomalies.reduce((sum, a) => sum + a.n, 0),
    score_net: rows.scores.reduce((sum, s) => sum + s.net, 0),
  };
  const body: RetrospectiveBody = {
    version: 1,
    period,
    counts,
    rejections: capped(newestFirst(rows.rejected).map(rejectionView), caps.rejections, cut),
    reflections: capped(newestFirst(rows.reflections).map(reflectionView), caps.reflections, cut),
    rework: capped(reworkOf(rows.rejected), caps.rework, cut),
    anomalies: anomaliesOf(rows.anomalies),
    score_movers: {
      up: scores
        .filter((s) => s.net > 0)
        .slice(0, caps.movers)
        .map(moverView),
      down: scores
        .filter((s) => s.net < 0)
        .reverse()
        .slice(0, caps.movers)
        .map(moverView),
    },
    longest: capped(longestOf(rows.done), caps.longest, cut),
    patterns,
    // Planners turn team findings into rules; an agent's row points at the same patterns for reading.
    findings: forTeam ? patterns.map((p, i) => ({ id: `f${i + 1}`, pattern: i, kind: p.kind, rule_id: null })) : [],
    keys: forTeam ? keysOf(keys, RETRO_MAX_KEYS) : { issue: {}, type: {} },
    truncated: cut.truncated,
  };
  return withinLimit(body, forTeam ? BODY_LIMIT.team : BODY_LIMIT.agent);
}

/** Halves the longest quoted lists until the JSON fits `limit` (only very wordy periods get here). */
function withinLimit(body: RetrospectiveBody, limit: number): RetrospectiveBody {
  let out = body;
  while (JSON.stringify(out).length > limit) {
    const lists = [out.rejections, out.reflections, out.patterns] as const;
    const longest = lists.reduce((a, b) => (JSON.stringify(b).length > JSON.stringify(a).length ? b : a));
    if (longest.length === 0) {
      // Only the keys are left to shrink: keep the most frequent half.
      const half = (m: Record<string, number>) =>
        Object.fromEntries(Object.entries(m).slice(0, Math.floor(Object.keys(m).length / 2)));
      out = { ...out, keys: { issue: half(out.keys.issue), type: half(out.keys.type) }, truncated: true };
      if (Object.keys(out.keys.issue).length + Object.keys(out.keys.type).length === 0) break;
      continue;
    }
    const keep = Math.floor(longest.length / 2);
    out = {
      ...out,
      rejections: longest === out.rejections ? out.rejections.slice(0, keep) : out.rejections,
      reflections: longest === out.reflections ? out.reflections.slice(0, keep) : out.reflections,
      patterns: longest === out.patterns ? out.patterns.slice(0, keep) : out.patterns,
      findings: longest === out.patterns ? out.findings.slice(0, keep) : out.findings,
      truncated: true,
    };
  }
  return out;
}

/** The team body and the agents' bodies of one period; `previous` are earlier team bodies' keys, newest first. */
export function composeRetros(period: RetroPeriod, rows: RetroRows, previous: PreviousKeys[]): ComposedRetros {
  const rejected: Rejected[] = rows.reviews
    .filter((r) => r.result === "rejected")
    .map((r) => ({
      ...r,
      keys: {
        reviewId: r.id,
        subTaskId: r.subTaskId,
        subTaskName: r.subTaskName,
        taskId: r.taskId,
        executor: r.executorAgent,
        issues: issueItems(r.issues),
        typeKey: subTaskTypeKey(r.taskId, r.subTaskName, r.templateKey),
      },
    }));
  const team = bodyOf(period, { ...rows, rejected }, RETRO_CAPS.team, previous, true);
  const agentIds = new Set<string>();
  for (const r of rejected) if (r.executorAgent) agentIds.add(r.executorAgent);
  for (const l of rows.reflections) agentIds.add(l.agentId);
  for (const a of rows.anomalies) if (a.agentId) agentIds.add(a.agentId);
  const agents = new Map<string, RetrospectiveBody>();
  for (const id of [...agentIds].sort()) {
    const own: RetroRows & { rejected: Rejected[] } = {
      reviews: rows.reviews.filter((r) => r.executorAgent === id),
      rejected: rejected.filter((r) => r.executorAgent === id),
      reflections: rows.reflections.filter((l) => l.agentId === id),
      anomalies: rows.anomalies.filter((a) => a.agentId === id),
      scores: rows.scores.filter((s) => s.agentId === id),
      done: rows.done.filter((d) => d.assignedAgent === id),
    };
    agents.set(id, bodyOf(period, own, RETRO_CAPS.agent, previous, false));
  }
  return { team, agents };
}
