// `retro …` 以及 `log create --retro` 的中文文本。
import type { Catalogue } from "../en/index";

export const retro: Catalogue["retro"] = {
  group: "复盘：list、show、run、rule",
  list: "列出你能看到的复盘（团队的和你自己的），最新的在前",
  show: "查看一份复盘（默认最新的一份）",
  run: "立即为最近一个已结束的日或周生成复盘 [planner]",
  rule: "把复盘中的一条发现变成任务规则 [planner]",
  id: "复盘 id",
  idOrLatest: "复盘 id，或 latest（默认）",
  findingId: "发现的 id，例如 f1",
  team: "只看团队的",
  mine: "只看你自己的",
  weekly: "按周复盘，而非按日",
  weeklyFilter: "只看周复盘",
  date: "所在周期内的某一天（YYYY-MM-DD，默认最近一个已结束的周期）",
  ruleTask: "规则所属的任务（默认为发现中指明的任务）",
  content: "规则正文（默认根据发现自动撰写）",
  logRetro: "这条 retro 日志所回应的复盘",
  none: "还没有复盘",
  partial: "（不完整）",
  line: (key, scope, partial, id) => `${key} 范围 ${scope}${partial}（ID:${id}）`,
  logLessons: (command) => `记下你的收获：${command}`,
  created: (key, id) => `✅ 复盘 ${key} 已生成（ID:${id}）`,
  exists: (key, id) => `复盘 ${key} 已存在（ID:${id}）`,
  read: (command) => `查看：${command}`,
  ruled: (finding, id, scope) => `✅ 已根据 ${finding} 创建规则：${id}（${scope}）`,
};
