// 读取交付文件相关的拒绝说明与回答。
import type { Messages } from "../../catalogue";
import type { fileReads as english } from "../../en/messages/file-reads";

export const fileReads: Pick<Messages, keyof typeof english> = {};
