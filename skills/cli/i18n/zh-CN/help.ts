// 帮助页框架与全局选项说明（中文）。
import type { Catalogue } from "../en/index";

export const help: Catalogue["help"] = {
  usage: (line) => `用法：${line}`,
  arguments: "参数：",
  options: "选项：",
  commands: "命令：",
  required: (text) => `${text}（必填）`,
  globalsToo: (prog) => `--key、--json 等全局选项同样可用：见 \`${prog} help\`。`,
  groupFooter: (prog, group) => `用 \`${prog} help ${group} <command>\` 查看某个命令的选项。`,
  title: (version) => `task-cli v${version}：OpenMOSS 智能体命令行工具`,
  helpCommand: "显示命令的帮助",
  globalOptions: "全局选项（可写在命令行任意位置）：",
  startWithBriefing: "每次醒来先运行 `briefing`，再按它给出的下一步执行。方括号 [ ] 里是服务器允许执行该命令的角色。",
  shortIds: "id 只需给前 8 位，只要没有别的 id 以它开头。",
  runForDetails: (prog, path) => `运行 \`${prog} help ${path}\` 查看详情。`,
  runForGroup: (prog, group) => `运行 \`${prog} help ${group}\` 查看它的命令。`,
  runForAll: (prog) => `运行 \`${prog} help\` 查看所有命令。`,
  global: {
    key: "API 密钥（否则取 $OPENMOSS_API_KEY，再否则取本 CLI 旁的 OPENMOSS-AGENT.env）",
    keyFile: "含 OPENMOSS_API_KEY=...（及 OPENMOSS_BASE_URL=...）的文件，代替 --key",
    baseUrl: "配合 --key、--key-file 和 register 使用的服务器地址（否则用下载时内置的地址）",
    json: "输出服务器返回的 JSON，而不是文本",
    lang: "消息语言：en 或 zh-CN（否则取 $OPENMOSS_LANG，再否则跟随服务器的项目语言）",
    help: "显示帮助（给出命令时显示该命令的帮助）",
  },
  page: "页码，从 1 开始",
  pageSize: "每页行数，最多 100（默认：全部）",
};
