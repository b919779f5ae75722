import { cli } from "../../domain/cli-command";
import type { fileReadHints as english } from "../en/hints-file-reads";

export const fileReadHints: Record<keyof typeof english, string> = {
  file_not_found: `${cli("st files <sub_task_id>")} 列出该子任务的文件及其 id。`,
  files_not_yours: `${cli("st mine")} 列出你的子任务；需要某个文件时请找审查者或规划者。`,
  range_not_satisfiable: `请求的字节要小于 ${cli("st files <sub_task_id>")} 显示的大小，或者整个下载。`,
  file_content_missing: "请告知管理员：文件记录还在，但内容已丢失；如果可以，请重新上传。",
};
