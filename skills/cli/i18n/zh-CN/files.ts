// `st attach`、`st files`、`st download` 的中文文本。
import type { Catalogue } from "../en/index";

export const files: Catalogue["files"] = {
  attach: "把文件附加到你正在做的子任务（同一版本中同名文件会被替换）[executor]",
  list: "列出子任务的文件，最新版本在前",
  download: "下载子任务的文件（按 SHA-256 校验）",
  path: "要上传的文件",
  name: "保存用的文件名（默认：文件本身的名字）",
  type: "内容类型（默认：按扩展名推断，否则为 application/octet-stream）",
  version: "只看这个版本（0 = 首次提交，1 = 第一次返工…）",
  file: "文件：它的 id（或 id 的前 8 位以上）或完整文件名",
  out: "写到哪里：文件路径，或已存在的目录（默认：./<文件名>）",
  force: "覆盖已存在的文件",
  frozen: "[已冻结]",
  current: (version) => `当前版本 ${version}`,
  header: (count, current, maxBytes, maxFiles) =>
    `[共 ${count} 个文件；${current}；每个文件最大 ${maxBytes}，每个版本最多 ${maxFiles} 个]`,
  none: (attach) => `没有文件。附加文件：${attach}`,
  noneInVersion: (version, list) => `版本 ${version} 中没有文件。查看所有版本：${list}`,
  attached: (name, size, sha, subTask, version) =>
    `✅ 已附加 ${name}（${size}，sha256 ${sha}…）到 ${subTask}，版本 ${version}`,
  whenDone: (submit) => `完成后：${submit}`,
  downloaded: (name, size, path) => `✅ 已下载 ${name}（${size}）到 ${path}`,
  unreadable: (path, reason) => `❌ 无法读取 ${path}：${reason}`,
  notAFile: (path) => `❌ ${path} 不是文件`,
  notFound: (file) => `❌ 这个子任务没有文件 '${file}'`,
  listThem: (command) => `查看它的文件：${command}`,
  severalIds: (prefix, ids) => `❌ '${prefix}' 是多个文件 id 的开头：${ids}`,
  outClimbs: (out) => `--out：'${out}' 用 '..' 跳出了所在目录；请给出不含 '..' 的路径`,
  outFolderMissing: (folder) => `❌ 目录不存在：${folder}`,
  exists: (path) => `❌ ${path} 已存在`,
  forceOrOut: "加 --force 覆盖它，或用 --out 指定其他路径。",
  cannotWrite: (path, reason) => `❌ 无法写入 ${path}：${reason}`,
  checksumMismatch: (name, expected, got) =>
    `❌ ${name} 下载后已损坏：SHA-256 为 ${got}，应为 ${expected}；没有写入任何文件`,
  tryAgain: "请重新下载；如果一直失败，请告诉管理员。",
  interrupted: (name, reason) => `❌ ${name} 的下载中断了（${reason}）；没有写入任何文件`,
};
