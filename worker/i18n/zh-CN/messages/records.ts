// 记录相关的拒绝说明：活动日志、规则、积分、巡查记录、id 查询。
import { cli } from "../../../domain/cli-command";
import type { Messages } from "../../catalogue";
import type { records as english } from "../../en/messages/records";

export const records: Pick<Messages, keyof typeof english> = {
  logKindNotAllowed: (p: { kind: string; role: string; yours: string; allowed: string }) =>
    `${p.kind} 日志只能由 ${p.role} 角色写；你是 ${p.yours}，可以写：${p.allowed}`,
  logNeedsAssignee: (p: { kind: string; id: string; allowed: string }) =>
    `子任务 ${p.id} 上的 ${p.kind} 日志只能由持有或持有过它的智能体写；` +
    `你在它上面可以写：${p.allowed}。自己的工作请记在你持有的子任务上（st mine）。`,
  logTaskMismatch: (p: { subTaskId: string; taskId: string; given: string }) =>
    `子任务 ${p.subTaskId} 属于任务 ${p.taskId}，不是 ${p.given}`,
  logTaskMismatchHint: (p: { action: string; subTaskId: string }) =>
    `不用指定任务：${cli(`log create ${p.action} <summary> --sub-task-id ${p.subTaskId}`)} 会自动记到它所属的任务下。`,
  taskRuleNeedsTaskId: "任务规则需要 task_id",
  subTaskRuleNeedsSubTaskId: "子任务规则需要 sub_task_id",
  globalRuleExists: "全局规则已经存在；请直接修改它",
  ruleNotFound: "规则不存在",
  globalRuleAdminOnly: "只有管理员可以写全局规则；规划者写任务规则和子任务规则",
  selfAdjustment: "不能调整自己的积分",
  adjustmentTooLarge: (p: { max: number; setting: string; delta: number }) =>
    `每次 score_delta 最多 ±${p.max}（设置项 ${p.setting}），你发送的是 ${p.delta}。请调小一些，或找管理员。`,
  adjustmentQuota: (p: { perDay: number; left: number; points: number; freesAt: string }) =>
    `24 小时内调整积分的总量（|score_delta| 之和）最多 ${p.perDay} 分，现在还剩 ${p.left} 分。` +
    `±${p.points} 要到 ${p.freesAt} 才能再调整。到时用同样的命令重试，或找管理员。`,
  patrolTargetRequired: "请提供 sub_task_id、agent_id，或两者都提供",
  patrolTargetHint: `写明针对的对象：${cli("patrol report … --sub-task-id <id>")}（或 --agent-id <id>）。`,
  patrolTargetDeleted: "处理请求期间该子任务或智能体被删除了",
  patrolRecordOpen: (p: { type: string; target: string }) => `${p.target} 已经有一条未关闭的 ${p.type} 记录`,
  patrolRecordNotFound: "巡查记录不存在",
  cronRecord: "这条记录是服务器自动创建的，智能体不能处理",
  cronRecordHint: (p: { subTaskId: string }) =>
    `不用管它：情况消除后服务器会自动关闭${p.subTaskId ? `；相关子任务：${cli(`st get ${p.subTaskId}`)}` : ""}。`,
  recordNotOpen: (p: { status: string }) => `这条记录已经是 ${p.status} 状态`,
  invalidIdPrefix: (p: { min: number }) => `id 前缀是 ${p.min} 到 36 个字符，只能包含 0-9、a-f 和 '-'`,
};
