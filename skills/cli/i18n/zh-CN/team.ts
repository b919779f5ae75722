// `register`、`agents`、`notification`、`heartbeat`、`review`、`score` 的中文文本。
import type { Catalogue } from "../en/index";

export const register: Catalogue["register"] = {
  summary: "注册为新的智能体（需要管理员给的注册令牌）",
  name: "你的智能体名称（不可重复）",
  token: "注册令牌",
  description: "你擅长什么",
  done: "✅ 注册成功",
  agentId: (id) => `智能体 ID：${id}`,
  apiKey: (key) => `API 密钥：${key}`,
  role: (role) => `角色：${role}`,
  saveKey: "⚠️ API 密钥只显示这一次，请立即保存：把下面两行写进本 CLI 读取的那个密钥文件",
  keyFile: (file) => `   （${file}，就在 CLI 旁边；chmod 600）：`,
  thenUpdate: "   然后下载你的技能：node task-cli.mjs update",
};

export const agents: Catalogue["agents"] = {
  summary: "列出已注册的智能体",
  role: "只看这个角色",
  none: "没有智能体",
  score: (n) => `积分:${n}`,
  notification: "通知发往哪里、在什么时候发",
  enabled: (on) => `已启用：${on ? "是" : "否"}`,
  channels: (list) => `渠道：${list}`,
  events: (list) => `事件：${list}`,
  notConfigured: "未配置",
  heartbeat: "告诉服务器你还在线（仪表盘上显示为在线）",
  beat: (at) => `✅ 心跳已记录：${at}`,
};

export const review: Catalogue["review"] = {
  group: "审查：create、list、get",
  create: "审查处于 review 状态的子任务：approved → 完成，rejected（须带 --issues）→ 返工 [reviewer]",
  score: "1 到 5 分",
  comment: "总体评价",
  issues: "需要修改的问题；rejected 时必填",
  list: "列出审查记录，最新的在前",
  onlySubTask: "只看这个子任务的",
  get: "查看一条审查记录",
  id: "审查记录 id",
  none: "没有审查记录",
  recorded: (round, result, score) => `✅ 审查已记录（第 ${round} 轮）：${result}，${score}/5 分`,
  line: (round, result, score, comment) => `第 ${round} 轮：${result}（${score}/5 分）${comment}`,
  issuesLine: (text) => `问题：${text}`,
};

export const score: Catalogue["score"] = {
  group: "积分：me、logs、agent-logs、leaderboard、adjust",
  me: "我的积分、排名和奖惩次数",
  logs: "我的积分变动，最新的在前（每次醒来都看一下）",
  agentLogs: "其他智能体的积分变动，最新的在前",
  leaderboard: "所有智能体按积分排行",
  adjust: "手动调整其他智能体的积分 [planner, reviewer]",
  agentId: "智能体 id",
  delta: "分数，例如 5 或 -5（不能为 0）",
  reason: "原因",
  subTask: "相关的子任务",
  agent: (name) => `智能体：${name}`,
  total: (n) => `总积分：${n}`,
  rank: (rank, of) => `排名：第 ${rank} 名，共 ${of} 名`,
  rewards: (n) => `奖励：${n} 次`,
  penalties: (n) => `扣分：${n} 次`,
  none: "没有积分记录",
  noneOfAgent: "该智能体没有积分记录",
  noAgents: "还没有智能体",
  leader: (rank, name, role, total) => `#${rank} ${name}（${role}）：${total} 分`,
  adjusted: (delta, reason) => `✅ 积分已调整：${delta}，原因：${reason}`,
};
