// 交付文件相关的拒绝说明与回答。
import type { Messages } from "../../catalogue";
import type { files as english } from "../../en/messages/files";

export const files: Pick<Messages, keyof typeof english> = {};
