// 周期任务相关的拒绝说明与回答：调度计划与轮次。
import type { Messages } from "../../catalogue";
import type { recurring as english } from "../../en/messages/recurring";

export const recurring: Pick<Messages, keyof typeof english> = {
  scheduleBadZone: (p: { tz: string }) => `“${p.tz}”不是 IANA 时区（例如 Europe/Berlin、Asia/Shanghai）`,
  scheduleCronFields: "cron 表达式必须正好 5 个字段：分 时 日 月 星期",
  scheduleBadCron: (p: { expr: string }) => `“${p.expr}”不是有效的 cron 表达式`,
  scheduleNoNextRun: "这个计划永远不会触发（没有日期与之匹配）",
  scheduleFieldRequired: (p) => `${p.field}：kind 为 "${p.kind}" 时必填`,
  scheduleFieldUnused: (p) => `${p.field}：kind 为 "${p.kind}" 时不使用，请去掉`,
  scheduleTooFrequent: (p: { minutes: number }) => `两轮之间至少相隔 ${p.minutes} 分钟`,
  scheduleEndsBeforeFirstRun: (p: { next: string }) =>
    `policy.ends_at 早于第一次运行（${p.next}）；请把 ends_at 往后调`,
  templateOrFromSubTasks: "template 与 from_sub_tasks: true 二选一，不能同时提供",
  templateDuplicateKey: (p: { key: string }) => `模板中的键“${p.key}”重复出现`,
  templateUnknownModule: (p: { key: string; module: string }) =>
    `子任务“${p.key}”引用的模块“${p.module}”在模板中没有定义`,
  templateRepeatedDependency: (p: { key: string }) => `子任务“${p.key}”的依赖列表中有重复项`,
  templateUnknownDependency: (p: { key: string; depends_on: string }) =>
    `子任务“${p.key}”依赖的“${p.depends_on}”在模板中没有定义`,
  templateCycle: (p: { path: string }) => `模板中的依赖形成了环：${p.path}`,
  templateNothingToCopy: "任务没有可复制的子任务（已取消的和以往轮次的不算）",
  templateTooManySubTasks: (p: { count: number; max: number }) =>
    `任务有 ${p.count} 个子任务；一个轮次模板最多 ${p.max} 个`,
  templateTooManyModules: (p: { count: number; max: number }) =>
    `这些子任务用到 ${p.count} 个模块；一个轮次模板最多 ${p.max} 个`,
  templateAgentNotExecutor: (p: { key: string; agent: string }) =>
    `子任务“${p.key}”指派给了 ${p.agent}，但它不是执行者`,
  scheduleNotFound: (p: { task_id: string }) => `任务 ${p.task_id} 没有调度计划`,
  scheduleNotActive: (p: { status: string }) => `只有进行中的调度计划才能暂停；它现在是 ${p.status}`,
  scheduleNotPaused: (p: { status: string }) => `只有已暂停的调度计划才能恢复；它现在是 ${p.status}`,
  scheduleAlreadyEnded: "调度计划已经结束",
  scheduleNoRunLeft: "调度计划已没有可运行的轮次（已到结束日期或最大轮数）",
  scheduleChanged: "处理请求期间调度计划被改动了，请重试",
  scheduleModuleRace: "处理请求期间另一个请求创建了模板中的模块，请重试",
};
