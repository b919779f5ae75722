// The briefing's next steps in both languages (i18n/{en,zh-CN}/briefing.ts), step for step: every kind
// of step in Chinese has the English one's commands, in order, and is not longer (the steps' budget
// is in characters, so a wordier language would crowd steps out).
import { describe, expect, it } from "vitest";
import type { Role } from "../../contract/vocabulary";
import { type BriefAnomaly, type BriefSubTask, type NextStepInput, nextSteps } from "../../worker/domain/briefing";
import { catalogue } from "../../worker/i18n";

const zh = catalogue("zh-CN").briefing;
const CJK = /[\u4e00-\u9fff]/;
const commands = (text: string) => [...text.matchAll(/`[^`]+`/g)].map((m) => m[0]);

const st = (id: string, status: string, over: Partial<BriefSubTask> = {}): BriefSubTask => ({
  id,
  task_id: "task-1",
  name: `Name ${id}`,
  status,
  rework_count: 2,
  latest_review: { round: 2, result: "rejected", score: 2, issues: "Fix the tests" },
  ...over,
});
const anomaly = (id: string, type: string, over: Partial<BriefAnomaly> = {}): BriefAnomaly => ({
  id,
  type,
  severity: "warning",
  sub_task_id: `st-${id}`,
  sub_task_name: `Name ${id}`,
  sub_task_status: "in_progress",
  agent_id: "agent-1",
  agent_name: "Ada",
  source: "agent",
  ...over,
});

/** One input per role that yields every kind of step that role can get. */
const inputs: Record<string, NextStepInput> = {
  executor: {
    role: "executor",
    updateAvailable: true,
    mySubTasks: [st("r", "rework"), st("p", "in_progress"), st("a", "assigned"), st("b", "blocked")],
    scoreChanges: [{ score_delta: -5, reason: "review score 1", sub_task_id: "r", created_at: "2030-01-02" }],
    lastReflectionAt: null,
    queue: {},
    workspaces: new Map([["task-1", "/ws/one"]]),
    ruled: new Set(["task-1"]),
    rulesIncluded: false,
  },
  idleExecutor: {
    role: "executor",
    updateAvailable: false,
    mySubTasks: [],
    scoreChanges: [],
    lastReflectionAt: null,
    queue: { available: [st("v", "pending")] },
    ruled: new Set(["task-1"]),
    rulesIncluded: true,
  },
  reviewer: {
    role: "reviewer",
    updateAvailable: false,
    mySubTasks: [],
    scoreChanges: [],
    lastReflectionAt: null,
    queue: { awaiting_review: [st("w1", "review"), st("w2", "review", { latest_review: null })] },
  },
  planner: {
    role: "planner",
    updateAvailable: false,
    mySubTasks: [],
    scoreChanges: [],
    lastReflectionAt: null,
    queue: {
      blocked: [st("k", "blocked")],
      tasks_to_decompose: [{ id: "task-2", name: "Split me" }],
      recently_completed: [{ id: "task-3", name: "Done one" }],
    },
  },
  patrol: {
    role: "patrol",
    updateAvailable: false,
    mySubTasks: [],
    scoreChanges: [],
    lastReflectionAt: null,
    queue: {
      open_anomalies: [
        anomaly("1", "timeout"),
        anomaly("2", "orphan", { sub_task_status: "pending", source: "cron" }),
        anomaly("3", "rework_overflow", { agent_name: null }),
      ],
    },
  },
  patrolMore: {
    role: "patrol",
    updateAvailable: false,
    mySubTasks: [],
    scoreChanges: [],
    lastReflectionAt: null,
    queue: {
      open_anomalies: [
        anomaly("4", "orphan", { sub_task_name: null }),
        anomaly("5", "score_drop", { sub_task_id: null, sub_task_name: null, sub_task_status: null }),
        anomaly("6", "stuck", { sub_task_status: "blocked" }),
      ],
    },
  },
  patrolOther: {
    role: "patrol" as Role,
    updateAvailable: false,
    mySubTasks: [],
    scoreChanges: [],
    lastReflectionAt: null,
    queue: {
      open_anomalies: [
        anomaly("7", "custom", { severity: "critical" }),
        anomaly("8", "custom", { sub_task_id: null, sub_task_name: null, agent_name: null }),
      ],
    },
  },
};

describe("next steps in Chinese", () => {
  for (const [who, input] of Object.entries(inputs)) {
    it(`${who}: the same steps and commands as in English, in Chinese, no longer`, () => {
      const english = nextSteps(input);
      const chinese = nextSteps(input, zh);
      expect(english.length, who).toBeGreaterThan(0);
      expect(chinese).toHaveLength(english.length);
      chinese.forEach((step, i) => {
        expect(step).toMatch(CJK);
        expect(commands(step), step).toEqual(commands(english[i]!));
        expect(step.length, step).toBeLessThanOrEqual(english[i]!.length);
      });
    });
  }
});
