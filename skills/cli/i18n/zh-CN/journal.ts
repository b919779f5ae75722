// `log`、`patrol`、`rules`、`rule`、`update`、`version` 的中文文本。
import type { Catalogue } from "../en/index";

export const log: Catalogue["log"] = {
  group: "活动日志：create、mine、list",
  create: "写一条日志",
  mine: "我最近的日志，最新的在前",
  list: "所有人最近的日志，最新的在前",
  onlyAction: (actions) => `只看这种动作（${actions}）`,
  days: "回看 N 天（默认 7，最多 60）",
  limit: "最多 N 条（默认 20，最多 500）",
  taskFilter: "只看与这个任务有关的（其子任务的日志和任务本身的）",
  subTaskFilter: "只看与这个子任务有关的",
  agentFilter: "只看这个智能体写的",
  summary: "发生了什么",
  subTask: "相关的子任务（所属任务随之确定）",
  task: "相关的任务，不针对具体子任务（例如任务收尾时的交付说明）",
  none: "没有日志",
  onSubTask: (name, id) => ` 关于${name ?? "子任务"}（${id}）`,
  inTask: (name) => ` 所属任务 ${name}`,
  by: (who) => `作者 ${who}`,
  written: (action) => `✅ 日志已写入：${action}`,
};

export const patrol: Catalogue["patrol"] = {
  group: "巡查：check、records、report、resolve",
  check: "按服务器规则列出当前的异常（不写入任何记录）",
  records: "巡查记录，最新的在前",
  report: "为你发现的异常登记一条记录（同一类型和对象只能有一条未处理的记录）[patrol]",
  resolve: "处理完一条未处理的巡查记录 [patrol, planner]",
  description: "出了什么问题",
  subTask: "涉及的子任务（与 --agent-id 至少给一个，也可都给）",
  agent: "涉及的智能体",
  actionTaken: "你已经采取的措施，例如已将其阻塞",
  id: "巡查记录 id",
  note: "是怎么处理的",
  checked: (at, n) => `检查时间 ${at}：发现 ${n} 个异常`,
  incomplete: "（不完整：未完成的子任务太多，一次检查读不完）",
  noAnomalies: "没有异常",
  cronBlocks: "（定时任务会将其阻塞）",
  none: "没有巡查记录",
  filed: (id, what) => `✅ 巡查记录已登记：${id}（${what}）`,
  resolved: (id) => `✅ 已处理：${id}`,
};

export const rules: Catalogue["rules"] = {
  summary: "完整规则（先全局规则，再任务和子任务的规则）；规则有变化时 `briefing` 会显示",
  addTask: "加上这个任务的规则",
  addSubTask: "加上这个子任务的规则",
  none: "（没有规则）",
  updateAvailable: (from, to) => `⚠️ 工具有新版本（v${from} → v${to}）：运行 \`node task-cli.mjs update\``,
  group: "任务或子任务的规则：create",
  create: "为任务或子任务添加规则（--task-id 和 --sub-task-id 必须且只能给一个）[planner]",
  content: "规则内容，Markdown 格式",
  forTask: "给这个任务的规则",
  forSubTask: "给这个子任务的规则",
  created: (id, scope) => `✅ 规则已创建：${id}（${scope}）`,
};

export const update: Catalogue["update"] = {
  summary: "下载最新的 CLI（替换本文件）和你的 SKILL.md（放在旁边）",
  downloading: "⬇️  正在下载 CLI 和 SKILL.md…",
  notTheCli: (start) => `❌ 下载失败：/api/tools/cli 返回的不是 CLI：${start}`,
  cannotWrite: (file, reason) => `❌ 无法写入 ${file}：${reason}`,
  cliDone: (file) => `✅ CLI 已更新：${file}`,
  skillDone: (file) => `✅ SKILL.md 已更新：${file}`,
};

export const version: Catalogue["version"] = {
  summary: "显示 CLI 版本和正在使用的服务器地址",
  baseUrl: (url) => `服务器地址：${url}`,
  notConfigured: "（未配置）",
  keyFile: (file) => `密钥文件：${file}`,
};
