// 周期任务轮次的文本：定时器开始或跳过一轮、结束调度计划时写的活动日志，按项目语言保存；以及手动开始一轮被拒绝时的说明。
import { cli } from "../../../domain/cli-command";
import type { Messages } from "../../catalogue";
import type { rounds as english } from "../../en/messages/rounds";

export const rounds: Pick<Messages, keyof typeof english> = {
  roundStartedLog: (p) =>
    `任务“${p.task}”的第 ${p.no} 轮已开始（计划时间 ${p.slot}）。` +
    (p.missed > 0 ? `定时器运行较晚：之前有 ${p.missed} 个计划时间点没有单独开轮。` : ""),
  roundSkippedUnfinishedLog: (p) =>
    `任务“${p.task}”在 ${p.slot} 的轮次已跳过：上一轮尚未完成。查看未完成的轮次：${cli(`task rounds ${p.taskId} --status open`)}`,
  roundSkippedMaxOpenLog: (p) =>
    `任务“${p.task}”在 ${p.slot} 的轮次已跳过：仍有 ${p.open} 轮未完成，已达调度计划允许的上限。` +
    `查看这些轮次：${cli(`task rounds ${p.taskId} --status open`)}`,
  scheduleEndedAtLog: (p) => `任务“${p.task}”的调度计划已结束：已过结束时间。未完成的轮次全部完成后，任务即完成。`,
  scheduleEndedMaxRoundsLog: (p) =>
    `任务“${p.task}”的调度计划已结束：已达最多 ${p.rounds} 轮。未完成的轮次全部完成后，任务即完成。`,
  scheduleEndedTaskClosedLog: (p) => `任务“${p.task}”的调度计划已结束：任务已关闭。`,
  roundTaskNotStarted: "任务设为 active 后才会开始轮次；它仍处于 planning 状态",
  roundLimitReached: (p) =>
    `已有 ${p.open} 轮未完成，达到调度计划策略允许的上限（${p.max}）。` +
    `请先完成或取消其中一轮：${cli(`task rounds ${p.taskId} --status open`)}`,
};
