// 读取交付文件相关的拒绝说明与回答。
import type { Messages } from "../../catalogue";
import type { fileReads as english } from "../../en/messages/file-reads";

export const fileReads: Pick<Messages, keyof typeof english> = {
  fileNotFound: (p) => `子任务 ${p.subTaskId} 中没有你能读取的文件 ${p.id}`,
  filesNotYours: (p) => `子任务 ${p.id} 的文件只供做过它的执行者、审查者、规划者和管理员读取`,
  rangeNotSatisfiable: (p) => `Range 请求的范围不在这个 ${p.size} 字节的文件之内`,
  fileContentMissing: (p) => `文件 ${p.id} 的内容在存储中缺失`,
};
