// 智能体相关的拒绝说明：注册、名称、限流、管理后台的智能体页面。
import type { Messages } from "../../catalogue";
import type { agents as english } from "../../en/messages/agents";

export const agents: Pick<Messages, keyof typeof english> = {
  agentNotFound: (p: { id: string }) => `智能体 ${p.id} 不存在`,
  agentGone: "智能体不存在",
  agentChanged: "处理请求期间智能体被改动了，请重试",
  agentHasOpenWork: (p: { count: number }) => `该智能体还持有 ${p.count} 个未关闭的子任务；请先改派或取消它们`,
  confirmAgentName: "confirm_name 与智能体名称不一致",
  giveAgentFields: "请提供 name、role 或 description",
  nameTaken: (p: { name: string }) =>
    `名称 ${p.name} 与已有智能体的名称冲突（忽略大小写和全角半角后字母相同）；请换一个`,
  missingRegistrationToken: "缺少 X-Registration-Token 头",
  registrationClosed: "共享注册令牌已关闭；请向管理员要一个入职令牌",
  invalidRegistrationToken: "注册令牌无效",
  tokenRegistersNoRole: (p: { asked: string }) => `这个令牌不能注册任何角色；请向管理员要一个 ${p.asked} 的入职令牌`,
  tokenRegistersOnly: (p: { allowed: string; asked: string }) =>
    `这个令牌只能注册 ${p.allowed}，不能注册 ${p.asked}；请向管理员要一个 ${p.asked} 的入职令牌`,
  registrationRateLimited: (p: { perHour: number; seconds: number }) =>
    `这个令牌最近注册的智能体太多（每小时上限 ${p.perHour} 个）；请 ${p.seconds} 秒后重试`,
  enrollmentRevoked: "这个入职令牌已被撤销；请向管理员要一个新的",
  enrollmentUsedUp: "这个入职令牌的次数已用完；请向管理员要一个新的",
  enrollmentExpired: "这个入职令牌已过期；请向管理员要一个新的",
  enrollmentTokenNotFound: (p: { id: string }) => `没有 id 为 ${p.id} 的入职令牌`,
  rateLimited: (p: { perMinute: number; burst: number; seconds: number }) =>
    `请求太多：每个智能体每分钟最多 ${p.perMinute} 个请求，瞬时最多 ${p.burst} 个；请 ${p.seconds} 秒后重试`,
};
