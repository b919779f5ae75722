// `briefing` 的中文文本。
import type { Catalogue } from "../en/index";

export const briefing: Catalogue["briefing"] = {
  summary: "本次醒来所需的一切：积分、下一步、你的子任务、你的队列，以及有变化的规则",
  rulesFlag: "即使规则自上次简报以来没有变化，也完整输出",
  counts: (rewards, penalties) => `奖励 ${rewards} 次，扣分 ${penalties} 次`,
  who: (name, role, status) => `👤 ${name}（${role}${status ? `，${status}` : ""}）`,
  score: (n) => `积分 ${n}`,
  rank: (rank, of) => `排名 ${rank}${of !== undefined ? `/${of}` : ""}`,
  recent: (changes) => `   最近：${changes}`,
  round: (n) => `第 ${n} 轮`,
  highPriority: "高优先级",
  unnamed: "（未命名）",
  anomaly: "异常",
  nothingToDo: "下一步：目前没有要做的事。",
  nextSteps: "下一步：",
  mySubTasks: "我的子任务",
  queue: {
    available: "可领取",
    awaiting_review: "待审查",
    blocked: "已阻塞",
    tasks_to_decompose: "待拆解的任务",
    recently_completed: "最近完成",
    open_anomalies: "未处理的异常",
  },
  sectionTitle: (title, count, isRest) => `${title}（${isRest ? `另有 ${count} 个` : `${count} 个`}）：`,
  hidden: (n, command) => `  … 还有 ${n} 个${command ? `：\`${command}\`` : ""}`,
  reflections: "反思：",
  rulesUnchanged: (rev, command) => `规则自上次简报以来没有变化（版本 ${rev}）：\`${command}\` 可查看全文。`,
  rulesHeading: (rev) => `── 规则${rev ? `（版本 ${rev}）` : ""} ──`,
  rulesShortened: "（规则已截断：`node task-cli.mjs rules --task-id <id>` 可查看某个任务的完整规则）",
  listsShortened: "（部分列表已截断：`st mine`、`st available`、`st list` … 可查看全部）",
};
