// 复盘相关的拒绝说明与回答：生成、列表、把发现变成规则。
import type { Messages } from "../../catalogue";
import type { retros as english } from "../../en/messages/retros";

export const retros: Pick<Messages, keyof typeof english> = {
  retrospectiveNotFound: "复盘不存在，或者是其他智能体自己的复盘",
  retroPeriodNotStarted: (p) => `${p.date} 所在的周期还没有开始`,
  retroRunThrottled: (p) => `这类复盘在 5 分钟内已按需生成过一次；请 ${p.seconds} 秒后再试`,
  findingNotFound: (p) => `复盘 ${p.retroId} 中没有发现 ${p.id}`,
  findingAlreadyRuled: (p) => `发现 ${p.id} 已经是规则 ${p.ruleId}`,
  findingRuleIssue: (p) => `反复出现的审查问题（${p.period} 内 ${p.count} 次）：“${p.sample}”。提交前先检查这一点。`,
  findingRuleType: (p) => `类似“${p.sample}”的子任务在 ${p.period} 内被驳回 ${p.count} 次。提交前再读一遍验收标准。`,
  retroLogTarget: "retro 日志针对的是一次复盘：请用 retrospective_id 指明它，不要指定子任务或任务",
  retrospectiveIdNeedsRetro: (p) => `只有 retro 动作才能带 retrospective_id，${p.action} 不行`,
};
