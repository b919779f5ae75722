// 交付文件相关的拒绝说明与回答：上传、替换、删除。
import { cli } from "../../../domain/cli-command";
import type { Messages } from "../../catalogue";
import type { files as english } from "../../en/messages/files";

export const files: Pick<Messages, keyof typeof english> = {
  fileLengthRequired: "请在 Content-Length 请求头中给出文件的字节数；不接受长度未知（chunked）的上传",
  fileLengthInvalid: (p) => `Content-Length “${p.sent}” 不是字节数（应为不小于 0 的整数）`,
  fileTooLarge: (p) => `文件有 ${p.size} 字节；files.max_file_bytes 规定每个文件最多 ${p.max} 字节`,
  tooManyFiles: (p) => `该子任务的版本 ${p.version} 已有 ${p.max} 个文件，达到 files.max_files_per_version 允许的上限`,
  storageFull: (p) => `再存储 ${p.size} 字节将超过 files.max_total_bytes（${p.max} 字节；已用 ${p.used} 字节）`,
  filesNotInProgress: (p) => `只有子任务处于 in_progress 时才能附加、替换或删除文件；它现在是 ${p.status}`,
  submittedWhileUploading: (p) => `上传过程中子任务变成了 ${p.status}，因此没有存储任何内容`,
  notYourFiles: "只有持有该子任务的执行者才能附加、替换或删除它的文件",
  checksumMalformed: "X-Content-SHA256 必须是 64 个十六进制字符（请求体的 SHA-256）",
  checksumMismatch: (p) =>
    `请求体的 SHA-256 是 ${p.computed}，而不是 X-Content-SHA256 所说的 ${p.sent}；没有存储任何内容`,
  lengthMismatch: (p) =>
    `Content-Length 声明 ${p.declared} 字节，实际收到${p.received === -1 ? "更多" : ` ${p.received} `}字节；没有存储任何内容`,
  fileToDeleteNotFound: (p) => `文件 ${p.id} 不是该子任务已存储的文件`,
  fileFrozen: (p) => `该文件属于已提交的版本（子任务现在是 ${p.status}）：不能再替换或删除`,
  fileDeleted: "文件已删除",
  nextStartBeforeUpload: (p) => `请先开始它：${cli(`st start ${p.id}`)}，然后再附加。`,
  nextFrozenVersion: (p) => `已提交的版本已冻结；返工后请附加到下一个版本：${cli(`st files ${p.id}`)} 会列出各版本。`,
};
