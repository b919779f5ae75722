// 子任务操作被拒绝时的说明和下一步。holder 是加了引号的名称，为空表示另一个智能体。
import { cli } from "../../../domain/cli-command";
import type { Messages } from "../../catalogue";
import type { subTasks as english } from "../../en/messages/sub-tasks";

const AVAILABLE = cli("st available");
/** The holder inside a Chinese sentence: a quoted name takes spaces around it, the fallback none. */
const who = (holder: string) => (holder ? ` ${holder} ` : "另一个智能体");

export const subTasks: Pick<Messages, keyof typeof english> = {
  subTaskNotFound: (p: { id: string }) => `子任务 ${p.id} 不存在`,
  subTaskGone: "子任务不存在",
  noSubTaskOfYours: "这个任务下没有分配给你的子任务",
  dependencyOtherTask: (p: { id: string }) => `子任务 ${p.id} 属于另一个任务`,
  dependencyCycle: (p: { cycle: string }) => `这些依赖会形成循环：${p.cycle}`,
  subTaskChanged: "处理请求期间子任务被改动了，请重新读取后再试",
  closedOrAssigneeDeleted: "处理请求期间任务被关闭，或被指派的智能体被删除了",
  onlyActiveExecutor: "子任务只能指派给启用中的执行者",
  onlyExecutor: "子任务只能指派给执行者",
  agentDisabledTarget: "该智能体已被停用",
  opWrongRole: (p: { op: string; role: string; yours: string }) => `${p.op} 仅限 ${p.role} 角色，你的角色是 ${p.yours}`,
  opNotForActor: (p: { op: string; role: string; kind: string }) => `${p.op} 仅限 ${p.role} 角色，${p.kind} 不能执行`,
  ownWork: "审查者不能审查自己参与过的子任务",
  alreadyYours: (p: { status: string }) => `这个子任务已经是你的了（状态 ${p.status}）`,
  heldBy: (p: { holder: string; status: string }) =>
    `${who(p.holder).trimStart()}正持有这个子任务（状态 ${p.status}）；只有 pending 状态的子任务可以领取`,
  notFromStatus: (p: { op: string; status: string; allowed: string }) =>
    `状态为 ${p.status} 的子任务不能执行 ${p.op}；允许的状态：${p.allowed}`,
  assignedToOther: (p: { holder: string }) => `这个子任务指派给了${who(p.holder).trimEnd()}，不是你`,
  assignedToNobody: "这个子任务没有指派给任何人",
  dependenciesPending: (p: { count: number; listed: string; more: number }) =>
    `还在等 ${p.count} 个未完成的子任务：${p.listed}${p.more > 0 ? `，另有 ${p.more} 个` : ""}`,
  parentTaskClosed: (p: { status: string }) => `所属任务的状态是 ${p.status}`,
  rejectionNeedsIssues: "驳回时必须列出问题",
  nextStart: (p: { id: string }) => `开始做：${cli(`st start ${p.id}`)}。`,
  nextRework: (p: { id: string }) => `先在 ${cli("briefing")} 里看审查提出的问题，再运行 ${cli(`st start ${p.id}`)}。`,
  nextSubmit: (p: { id: string }) =>
    `继续做，用 ${cli(`log create delivery "<what you delivered>" --sub-task-id ${p.id}`)} 记录交付物，然后 ${cli(`st submit ${p.id}`)}。`,
  nextAwaitReview: `正在等审查者；结论出来后 ${cli("briefing")} 会显示。`,
  nextBlocked: (p: { id: string }) =>
    `它已被阻塞，接下来由规划者决定；你知道的情况可以用 ${cli(`log create blocked "<details>" --sub-task-id ${p.id}`)} 补充。`,
  nextNothingLeft: `它已经没有要做的了；${AVAILABLE} 列出你可以领取的工作。`,
  nextClaimFirst: (p: { id: string }) => `请先领取：${cli(`st claim ${p.id}`)}。`,
  nextHeldByOther: (p: { holder: string }) => `它由${who(p.holder)}持有；${AVAILABLE} 列出你可以领取的工作。`,
  nextFindWork: `${AVAILABLE} 列出你可以领取的工作。`,
  nextOnlySubmitted: `只有已提交（状态 review）的子任务才能做审查结论；${cli("st list --status review")} 列出这些子任务。`,
  nextReassignOpen: (p: { id: string }) =>
    `只有 assigned 或 blocked 状态的子任务可以改派；可以先由巡查把它阻塞，或用 ${cli(`st cancel ${p.id}`)} 取消。`,
  nextReassignClosed: "它已关闭；还有工作请新建一个子任务。",
  nextEditBeforeStart: (p: { id: string }) =>
    `子任务只能在开工前修改；现在请改为添加规则：${cli(`rule create "<text>" --sub-task-id ${p.id}`)}。`,
  nextShowStatus: (p: { id: string }) => `${cli(`st get ${p.id}`)} 可以查看它的状态。`,
  nextMineOrAvailable: `${cli("st mine")} 列出你的子任务；${AVAILABLE} 列出你可以领取的子任务。`,
  nextWaitDependencies: `请等它们完成（${cli("briefing")} 会显示）；${AVAILABLE} 列出现在就能领取的工作。`,
  nextTaskClosed: (p: { taskId: string }) =>
    `${AVAILABLE} 列出开放中的工作；规划者可以用 ${cli(`task status ${p.taskId} active`)} 重新打开任务。`,
  nextListIssues: (p: { id: string; score: number }) =>
    `写明要改什么：${cli(`review create ${p.id} rejected ${p.score} --issues "<what to fix>" --comment "<summary>"`)}。`,
};
