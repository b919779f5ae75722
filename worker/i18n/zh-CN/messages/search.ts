// 团队记忆搜索相关的拒绝说明与回答。
import type { Messages } from "../../catalogue";
import type { search as english } from "../../en/messages/search";

export const search: Pick<Messages, keyof typeof english> = {};
