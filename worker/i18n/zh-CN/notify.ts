// 通知消息（飞书、Slack、webhook 的 text），中文。名称按原样传入，各渠道发送前再按自身格式转义。
import type { Catalogue } from "../catalogue";

const score = (value: number | null) => (value !== null ? `，得分 ${value}` : "");

export const notify: Catalogue["notify"] = {
  task: (p) => `任务“${p.name}”`,
  aTask: "某个任务",
  subTask: (p) => `${p.task}的子任务“${p.name}”`,
  aSubTask: (p) => `${p.task}的一个子任务`,
  done: (p) =>
    `${p.subTask}已完成${p.round !== null ? `（第 ${p.round} 轮审查通过${score(p.score)}${p.actor ? `，审查者 ${p.actor}` : ""}）` : p.actor ? `（由 ${p.actor} 完成）` : ""}。`,
  rejected: (p) =>
    `${p.subTask}${p.round !== null ? `在第 ${p.round} 轮审查中` : ""}被驳回${p.round !== null && p.score !== null ? `（得分 ${p.score}）` : ""}${p.actor ? `，审查者 ${p.actor}` : ""}。`,
  issues: (p) => `问题：${p.text}`,
  comment: (p) => `评语：${p.text}`,
  allDone: (p) => `${p.task}的所有子任务均已完成，任务已结束。`,
  patrolAlertBare: "巡查告警。",
  patrolAbout: (p) => `（${p.task}的子任务“${p.name}”）`,
  patrolAlert: (p) => `巡查告警，${p.severity}：${p.type}${p.about}：${p.description}`,
  submitted: (p) => `${p.subTask}已提交审查${p.actor ? `（提交者 ${p.actor}）` : ""}。`,
  blocked: (p) => `${p.subTask}已被阻塞${p.actor ? `（操作者 ${p.actor}）` : ""}。`,
  test: "来自 OpenMOSS Edge 的测试通知：此渠道工作正常。",
  round: (p) => `第 ${p.n} 轮`,
  aRound: "某一轮",
  roundDone: (p) => `${p.task}的${p.round}已完成（${p.total} 个子任务中完成 ${p.done} 个）。`,
  roundCancelled: (p) => `${p.task}的${p.round}已取消（${p.total} 个子任务中完成 ${p.done} 个）。`,
  retroReady: (p) =>
    `${p.period}（${p.zone}）${p.weekly ? "每周" : "每日"}复盘：完成子任务 ${p.done} 个，驳回 ${p.rejections} 次，异常 ${p.anomalies} 条，重复问题 ${p.patterns} 个。`,
  retroTop: (p) => `最常见：“${p.sample}” ×${p.count}。`,
  other: (p) => `${p.event}${p.subTask ? `：${p.subTask}` : ""}。`,
  links: {
    subTask: "打开子任务",
    task: "打开任务",
    patrol: "打开巡查页面",
    retrospective: "打开复盘",
    dashboard: "打开仪表盘",
  },
};
