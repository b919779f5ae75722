// 审查相关的拒绝说明。
import type { Messages } from "../../catalogue";
import type { reviews as english } from "../../en/messages/reviews";

export const reviews: Pick<Messages, keyof typeof english> = {
  reviewNotFound: "审查记录不存在",
  invalidScoreRange: "score_min 不能大于 score_max",
  ledgerReasonTooLong: (p: { start: string; max: number }) => `积分流水的原因“${p.start}…”会超过 ${p.max} 个字符`,
};
