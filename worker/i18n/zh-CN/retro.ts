// 复盘的文字：生成时按当时的项目语言渲染一次并保存（worker/domain/retro-text.ts）。枚举值（异常类型、
// 严重程度）保持机器值；名称和引文按存储原样传入。
import type { Catalogue } from "../catalogue";

export const retro: Catalogue["retro"] = {
  teamTitle: (p) => `团队${p.weekly ? "每周" : "每日"}复盘：${p.label}（${p.zone}）`,
  agentTitle: (p) => `${p.name} 的${p.weekly ? "每周" : "每日"}复盘：${p.label}（${p.zone}）`,
  partial: "本周期尚未结束：这是预览，计划生成的复盘会替换它。",
  quiet: "本周期内没有完成、审查或上报任何内容。",
  summary: (p) =>
    `完成 ${p.done} 个子任务；审查 ${p.reviews} 次，驳回 ${p.rejections} 次，涉及 ${p.reworked} 个子任务；异常 ${p.anomalies} 条；积分 ${p.net}。`,
  patternsHead: "重复出现的问题：",
  issuePattern: (p) => `- 问题“${p.sample}” ×${p.count}${p.again}`,
  typePattern: (p) => `- 类似“${p.sample}”的子任务被驳回 ×${p.count}${p.again}`,
  again: (p) => `，再次出现（此前见于 ${p.periods}）`,
  rejectionsHead: "驳回：",
  rejection: (p) => `- ${p.name}，第 ${p.round} 轮，${p.executor}：${p.issue}`,
  reworkHead: "各执行者的返工：",
  rework: (p) => `- ${p.agent}：${p.subTasks} 个子任务被驳回 ${p.rejections} 次`,
  anomaliesHead: "异常：",
  anomaly: (p) => `- ${p.type}（${p.severity}）×${p.count}${p.agents ? `：${p.agents}` : ""}`,
  scoreHead: "积分变化：",
  scoreUp: (p) => `- 上升：${p.movers}`,
  scoreDown: (p) => `- 下降：${p.movers}`,
  longestHead: "耗时最长：",
  longest: (p) => `- ${p.name}（${p.agent}）：自创建起 ${p.lead}${p.work ? `，其中工作 ${p.work}` : ""}`,
  reflectionsHead: "反思：",
  reflection: (p) => `- ${p.agent}${p.retro ? "（针对复盘）" : ""}：${p.summary}`,
  more: (p) => `- ……另有 ${p.count} 条`,
  unknownAgent: "未知执行者",
  duration: (p) =>
    [p.days ? `${p.days} 天` : "", p.hours ? `${p.hours} 小时` : "", `${p.minutes} 分钟`].filter(Boolean).join(" "),
  listSeparator: "、",
};
