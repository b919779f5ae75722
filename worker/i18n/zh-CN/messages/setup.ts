import type { Messages } from "../../catalogue";
import type { setup as english } from "../../en/messages/setup";

export const setup: Pick<Messages, keyof typeof english> = {
  setupTokenUnset: "此 Worker 未设置 SETUP_TOKEN 密钥",
  alreadyInitialized: "初始化已经完成过了",
  invalidSetupToken: "X-Setup-Token 与 SETUP_TOKEN 密钥不一致",
  nothingToUpdate: "没有给出任何设置项",
  invalidThresholds: "patrol.timeout_critical_minutes 必须大于 timeout_warning_minutes",
  channelNotFound: "没有这个 id 的通知渠道",
  promptNotFound: (p) => `智能体提示词 ${p.slug} 不存在`,
  invalidRole: (p) => `角色必须是以下之一：${p.roles}`,
  templateNotFound: (p) => `没有名为 ${p.name} 的模板`,
  templateNames: (p) =>
    `模板名：${p.roles}，也可以带上游的 task- 前缀（task-planner）；GET /api/admin/prompts/templates 列出已保存的模板。`,
  promptExists: (p) => `智能体提示词 ${p.slug} 已存在`,
  promptNothingToUpdate: "至少给出 name、role、description、content、example 中的一项",
  promptChanged: "保存期间提示词已被修改；请刷新后重试",
  shippedTextsChanged: "切换语言期间有内置文本被修改，本次未写入任何内容",
  shippedTextsChangedHint: "重新预览一次（GET /api/admin/shipped-texts），确认当前内容后再切换。",
};
