// 命令行机制的中文消息：命令行错误、配置、连接、短 id 查找与列表表头。
import type { Catalogue } from "../en/index";

export const common: Catalogue["common"] = {
  expectedInteger: (what, value) => `${what}：需要整数，收到的是 '${value}'`,
  atLeast: (min) => `不小于 ${min}`,
  atMost: (max) => `不大于 ${max}`,
  between: (min, max) => `在 ${min} 到 ${max} 之间`,
  outOfRange: (what, range, value) => `${what}：取值须${range}，收到的是 ${value}`,
  invalidChoice: (what, value, choices) => `${what}：无效取值 '${value}'（可选：${choices}）`,
  didYouMean: (suggestion) => `；是不是想输入 '${suggestion}'？`,
  didYouMeanFlag: (name) => `；是不是想输入 --${name}？`,
  needsValue: (name) => `选项 --${name} 需要一个值`,
  takesNoValue: (name) => `选项 --${name} 不接受值`,
  optionBeforeCommand: (name) => `未知选项 --${name}（命令的选项要写在命令之后）`,
  unknownOption: (token) => `未知选项 ${token}`,
  unknownCommand: (name) => `未知命令 '${name}'`,
  missingArgument: (name) => `缺少参数 <${name}>`,
  unexpectedArgument: (value) => `多余的参数 '${value}'`,
  requiredOption: (name) => `缺少必填选项 --${name}`,
  noHelpFor: (name) => `没有命令 '${name}'，无法显示帮助`,
  stdinTwice: (first) => `只能有一个参数读取标准输入（'-'），${first} 已经在读了`,
  exactlyOne: (a, b) => `${a} 和 ${b} 必须且只能给一个`,

  keyFileUnreadable: (file, reason) => `❌ 无法读取密钥文件 ${file}：${reason}`,
  keyFileMissing: (file) => `❌ 找不到密钥文件：${file}`,
  inFile: (name, file) => `${file} 中的 ${name}`,
  theKeyFile: "密钥文件",
  baseUrlWithoutKey: (stray, keyFrom, keyHint) =>
    `❌ 已设置 ${stray}，但密钥来自 ${keyFrom}；密钥只会发往与它一同给出的地址。` +
    `请同时给出 ${keyHint}，或去掉 ${stray}。`,
  invalidBaseUrl: (url) => `❌ 服务器地址必须以 http:// 或 https:// 开头，收到的是 '${url}'`,
  missingBaseUrl: (keyFile) =>
    "❌ 没有服务器地址。请和密钥一起给出：--base-url 配 --key，OPENMOSS_BASE_URL 配 OPENMOSS_API_KEY，" +
    `或在本 CLI 旁的 ${keyFile} 中写 OPENMOSS_BASE_URL=...（从服务器下载的 CLI 已内置地址）。`,
  missingKey: "❌ 缺少 API 密钥。可用以下三种方式之一提供：",
  keyWayFlag: "   1. --key <API_KEY>（命令行任意位置）",
  keyWayEnv: "   2. 环境变量 OPENMOSS_API_KEY",
  keyWayFile: (file) => `   3. 在 ${file}（本 CLI 旁）中写一行 OPENMOSS_API_KEY=<API_KEY>`,
  keyFileInCwdIgnored: (file) => `   （不会读取 ${file}：只读 CLI 旁的密钥文件，或用 --key-file 指定的文件）`,

  notJson: (status, start) => `❌ 服务器返回了意外的内容（${status}），不是 JSON：${start}`,
  cannotConnect: (base, reason) => `❌ 无法连接 ${base}（${reason}）`,
  noAnswerWithin: (seconds) => `${seconds} 秒内无响应`,
  emptyResponse: "（空响应）",
  apiError: (status, detail) => `❌ 出错（${status}）：${detail}`,
  unexpectedError: (message) => `❌ 意外错误：${message}`,

  kinds: {
    task: "任务",
    module: "模块",
    sub_task: "子任务",
    agent: "智能体",
    patrol_record: "巡查记录",
    review: "审查记录",
  },
  noIdStarts: (kind, prefix) => `❌ 没有以 '${prefix}' 开头的${kind} id`,
  copyIdFrom: (command) => `请从 \`${command}\` 的输出中复制 id。`,
  severalIds: (prefix, kind, names) => `❌ 有多个${kind} id 以 '${prefix}' 开头：${names}`,
  giveMoreOfId: "请多给几位 id，或给出完整 id。",

  pageHeader: (page, pages, total) => `[第 ${page}/${pages} 页，共 ${total} 条]`,
  cappedHeader: (total, shown) => `[共 ${total} 条，仅显示前 ${shown} 条；用 --page/--page-size 查看更多]`,
  totalHeader: (total) => `[共 ${total} 条]`,
  deletedAgent: (id) => `已删除的智能体 ${id}`,
  oneOf: (values) =>
    values.length < 2 ? values.join("") : `${values.slice(0, -1).join("、")} 或 ${values[values.length - 1]}`,
  readsStdin: (help) => `${help}（'-' 表示从标准输入读取）`,
};
