// 管理端的拒绝说明：登录与会话、实时连接、公开动态。
import type { Messages } from "../../catalogue";
import type { admin as english } from "../../en/messages/admin";

export const admin: Pick<Messages, keyof typeof english> = {
  notInitialized: "请先运行初始化向导",
  wrongPassword: "密码错误",
  currentPasswordWrong: "当前密码错误",
  passwordChangedDuringLogin: "登录过程中密码被修改了；请重新登录",
  missingAdminToken: "缺少 X-Admin-Token 头；请先登录",
  invalidSession: "管理员会话无效或已过期；请重新登录",
  pepperMissing: (p: { name: string }) => `这个 Worker 上没有设置管理员密码哈希时用的密钥 ${p.name}`,
  tooManyAttempts: "失败次数太多；请稍后再试",
  upgradeRequired: "这个接口是 WebSocket：请带上 Upgrade: websocket 连接",
  unsupportedProtocol: (p: { protocol: string }) => `请提供 WebSocket 子协议 ${p.protocol}`,
  liveNeedsSession: (p: { prefix: string }) => `请把管理员会话作为子协议 ${p.prefix}<token> 提供；请先登录`,
  feedDisabled: "公开动态没有开启",
  hubNeedsUpgrade: "需要经过认证的 WebSocket 升级请求",
  liveFull: "实时连接太多；控制台会改为轮询",
};
