// Patrol anomaly rules, pure: what is wrong right now, given the open sub-tasks and recent scores.

import type { AgentStatus, AnomalyType, Severity, SubTaskStatus, TaskStatus } from "../../contract/vocabulary";
import { type Catalogue, catalogue } from "../i18n";
import { MINUTE } from "../lib/time";
import { quote } from "./text-rules";

export interface PatrolThresholds {
  timeoutWarningMinutes: number;
  timeoutCriticalMinutes: number;
  stuckMinutes: number;
  orphanMinutes: number;
  reworkOverflowCount: number;
  scoreDropStreak: number;
}

/** A non-terminal sub-task with what the rules need about its task and its agent. */
export interface OpenSubTask {
  id: string;
  name: string;
  status: SubTaskStatus;
  taskStatus: TaskStatus;
  assignedAgent: string | null;
  /** The assigned agent's status; null when the agent no longer exists. */
  agentStatus: AgentStatus | null;
  reworkCount: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  /** Pending rows only (0 otherwise): its dependencies not yet done. */
  pendingDependencies: number;
  /** Pending rows only: when its last dependency was done; null without dependencies. */
  dependenciesDoneAt: string | null;
}

export interface AgentScoreHistory {
  agentId: string;
  name: string;
  /** The agent's latest ledger deltas, newest first. */
  recentDeltas: number[];
}

export interface Anomaly {
  type: AnomalyType;
  severity: Severity;
  /** `sub_task:<id>` or `agent:<id>`: one open record per type and target. */
  target: string;
  subTaskId: string | null;
  agentId: string | null;
  description: string;
  /** A critical timeout: the sub-task is to be blocked. */
  block: boolean;
}

/** Tasks whose pending sub-tasks are expected to be picked up. */
const WORKING_TASKS: readonly TaskStatus[] = ["active", "in_progress"];

const minutesSince = (iso: string, now: number) => (now - Date.parse(iso)) / MINUTE;
/** The patrol texts of one language (i18n/<lang>/patrol.ts). */
export type PatrolTexts = Catalogue["patrol"];
const latest = (a: string, b: string | null) => (b !== null && b > a ? b : a);

export function detectAnomalies(
  subTasks: readonly OpenSubTask[],
  agents: readonly AgentScoreHistory[],
  t: PatrolThresholds,
  nowIso: string,
  texts: PatrolTexts = catalogue("en").patrol,
): Anomaly[] {
  const now = Date.parse(nowIso);
  const fmt = (minutes: number) => texts.minutes({ minutes: Math.floor(minutes) });
  const found: Anomaly[] = [];
  for (const s of subTasks) {
    const name = quote(s.name);
    const onSubTask = (type: AnomalyType, severity: Severity, description: string, block = false) =>
      found.push({
        type,
        severity,
        target: `sub_task:${s.id}`,
        subTaskId: s.id,
        agentId: s.assignedAgent,
        description,
        block,
      });

    if (s.status === "in_progress") {
      const running = minutesSince(s.startedAt ?? s.updatedAt, now);
      if (running > t.timeoutCriticalMinutes) {
        onSubTask(
          "timeout",
          "critical",
          texts.timeoutCritical({ name, running: fmt(running), limit: t.timeoutCriticalMinutes }),
          true,
        );
      } else if (running > t.timeoutWarningMinutes) {
        onSubTask(
          "timeout",
          "warning",
          texts.timeoutWarning({ name, running: fmt(running), limit: t.timeoutWarningMinutes }),
        );
      }
    }

    const idle = minutesSince(s.updatedAt, now);
    if (idle > t.stuckMinutes) {
      onSubTask("stuck", "warning", texts.stuck({ name, status: s.status, idle: fmt(idle) }));
    }

    if (s.assignedAgent !== null && s.agentStatus !== "active") {
      const holder = s.agentStatus === null ? texts.holderDeleted : texts.holderDisabled;
      onSubTask("orphan", "warning", holder({ name, status: s.status }));
    } else if (s.status === "pending" && WORKING_TASKS.includes(s.taskStatus) && s.pendingDependencies === 0) {
      // Measured from when it became claimable: waiting on its dependencies is not being orphaned.
      const claimable = minutesSince(latest(s.createdAt, s.dependenciesDoneAt), now);
      if (claimable > t.orphanMinutes)
        onSubTask("orphan", "warning", texts.unclaimed({ name, waiting: fmt(claimable) }));
    }

    if (s.reworkCount >= t.reworkOverflowCount) {
      onSubTask("rework_overflow", "warning", texts.reworkOverflow({ name, count: s.reworkCount }));
    }
  }

  for (const a of agents) {
    const streak = a.recentDeltas.slice(0, t.scoreDropStreak);
    if (streak.length === t.scoreDropStreak && streak.every((d) => d < 0)) {
      found.push({
        type: "score_drop",
        severity: "warning",
        target: `agent:${a.agentId}`,
        subTaskId: null,
        agentId: a.agentId,
        description: texts.scoreDrop({ name: quote(a.name), streak: t.scoreDropStreak }),
        block: false,
      });
    }
  }
  return found;
}
