// The messages of round_completed and retrospective_ready in both languages, and their one link: a
// finished round links to its task, a retrospective to its page on the dashboard.
import { describe, expect, it } from "vitest";
import { buildRequest, type EventData, formatMessage } from "../worker/domain/notifications";
import { dashboardLink } from "../worker/domain/outbound-text";
import { catalogue } from "../worker/i18n";

const BASE = "https://moss.example.com";
const round = (status: "done" | "cancelled", roundNo: number | null): EventData => ({
  task: { id: "task-1", name: "Daily news" },
  round: { id: "round-1", round_no: roundNo, status, done: status === "done" ? 3 : 1, total: 3 },
});
const retro = (top: { sample: string; count: number } | null, kind: "daily" | "weekly" = "daily"): EventData => ({
  retro: {
    id: "retro-1",
    period_key: kind === "daily" ? "day:2026-12-04" : "week:2026-W49",
    period_kind: kind,
    time_zone: "Asia/Shanghai",
    counts: { sub_tasks_done: 713, rejections: 236, anomalies: 40, patterns: 5 },
    top,
  },
});
const say = (event: string, data: EventData, lang: "en" | "zh-CN") =>
  formatMessage(event, data, "Moss", catalogue(lang).notify);

describe("round_completed", () => {
  it("says which round of which task ended and how much of it was done", () => {
    expect(say("round_completed", round("done", 4), "en")).toBe(
      '[Moss] Round 4 of task "Daily news" is done (3 of 3 sub-tasks done).',
    );
    expect(say("round_completed", round("cancelled", 4), "en")).toBe(
      '[Moss] Round 4 of task "Daily news" was cancelled (1 of 3 sub-tasks done).',
    );
    expect(say("round_completed", round("done", null), "en")).toBe(
      '[Moss] A round of task "Daily news" is done (3 of 3 sub-tasks done).',
    );
    expect(say("round_completed", round("done", 4), "zh-CN")).toBe(
      "[Moss] 任务“Daily news”的第 4 轮已完成（3 个子任务中完成 3 个）。",
    );
    expect(say("round_completed", round("cancelled", 4), "zh-CN")).toBe(
      "[Moss] 任务“Daily news”的第 4 轮已取消（3 个子任务中完成 1 个）。",
    );
  });

  it("links to the round's task", () => {
    expect(dashboardLink(BASE, "round_completed", round("done", 4))).toEqual({
      url: `${BASE}/tasks/task-1`,
      label: "Open the task",
    });
  });
});

describe("retrospective_ready", () => {
  it("gives the period, its zone, the counts and the most frequent issue", () => {
    const top = { sample: "the summary   misses\nsources", count: 18 };
    expect(say("retrospective_ready", retro(top), "en")).toBe(
      '[Moss] Daily retrospective for 2026-12-04 (Asia/Shanghai): sub-tasks done 713, rejections 236, anomalies 40, repeated issues 5. Most frequent: "the summary misses sources" ×18.',
    );
    expect(say("retrospective_ready", retro(top), "zh-CN")).toBe(
      "[Moss] 2026-12-04（Asia/Shanghai）每日复盘：完成子任务 713 个，驳回 236 次，异常 40 条，重复问题 5 个。最常见：“the summary misses sources” ×18。",
    );
    expect(say("retrospective_ready", retro(null, "weekly"), "en")).toBe(
      "[Moss] Weekly retrospective for 2026-W49 (Asia/Shanghai): sub-tasks done 713, rejections 236, anomalies 40, repeated issues 5.",
    );
    expect(say("retrospective_ready", retro(null, "weekly"), "zh-CN")).toBe(
      "[Moss] 2026-W49（Asia/Shanghai）每周复盘：完成子任务 713 个，驳回 236 次，异常 40 条，重复问题 5 个。",
    );
  });

  it("links to the retrospective's page, labelled in the project's language, in every chat format", async () => {
    expect(dashboardLink(BASE, "retrospective_ready", retro(null))).toEqual({
      url: `${BASE}/retrospectives/retro-1`,
      label: "Open the retrospective",
    });
    expect(dashboardLink("", "retrospective_ready", retro(null))).toBeNull();
    const event = { id: "e1", event: "retrospective_ready", payload: retro(null), createdAt: "2026-12-05T00:05:00Z" };
    const channel = { id: "c", url: "https://open.feishu.cn/hook", secret: "", events: [], enabled: true };
    const feishu = await buildRequest({ ...channel, type: "feishu" }, event, new Date(), {
      projectName: "Moss",
      externalUrl: BASE,
      lang: "zh-CN",
    });
    expect(feishu.body).toContain(`{"tag":"a","text":"打开复盘","href":"${BASE}/retrospectives/retro-1"}`);
    const slack = await buildRequest({ ...channel, type: "slack" }, event, new Date(), {
      projectName: "Moss",
      externalUrl: BASE,
    });
    expect(JSON.parse(slack.body).text).toContain(`<${BASE}/retrospectives/retro-1|Open the retrospective>`);
  });

  it("puts no id into a link that is not one of ours", () => {
    const odd = retro(null);
    odd.retro!.id = "../admin?x=1";
    expect(dashboardLink(BASE, "retrospective_ready", odd)?.url).toBe(BASE);
  });
});
