import { cli } from "../../domain/cli-command";
import type { fileHints as english } from "../en/hints-files";

export const fileHints: Record<keyof typeof english, string> = {
  length_required: `请用 Content-Length 给出大小；${cli("st attach <sub_task_id> <path>")} 会自动处理。`,
  length_mismatch: `请完整地重新发送文件：${cli("st attach <sub_task_id> <path>")}。`,
  file_too_large: "请拆分或压缩文件，使其低于 detail 中的上限；或请管理员调高上限。",
  too_many_files: `请把文件打包成一个压缩包，或先删除一个：${cli("st files <sub_task_id>")} 会列出它们。`,
  storage_full: "请管理员释放空间或调高 files.max_total_bytes；没有存储任何内容。",
  sub_task_not_in_progress: `${cli("st mine")} 显示你的子任务状态；请在子任务处于 in_progress 时附加文件。`,
  checksum_mismatch: `字节在传输中发生了变化：请重新发送文件，${cli("st attach <sub_task_id> <path>")}。`,
  file_frozen: `请保持其审查时的样子；返工后附加新版本：${cli("st files <sub_task_id>")} 会列出各版本。`,
};
