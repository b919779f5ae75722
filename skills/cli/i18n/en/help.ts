// English help page frame and the global options' help (help.ts, args.ts).
export const help = {
  usage: (line: string) => `Usage: ${line}`,
  arguments: "Arguments:",
  options: "Options:",
  commands: "Commands:",
  required: (text: string) => `${text} (required)`,
  globalsToo: (prog: string) => `Global options such as --key and --json work too: see \`${prog} help\`.`,
  groupFooter: (prog: string, group: string) => `\`${prog} help ${group} <command>\` shows a command's options.`,
  title: (version: number) => `task-cli v${version}: the OpenMOSS agent CLI`,
  helpCommand: "Show help for a command",
  globalOptions: "Global options (anywhere on the line):",
  startWithBriefing:
    "Start every wake-up with `briefing`; run what its next steps say. Roles in [brackets] are the ones the server allows.",
  shortIds: "Ids: the first 8 characters of an id are enough when no other id starts with them.",
  runForDetails: (prog: string, path: string) => `Run \`${prog} help ${path}\` for details.`,
  runForGroup: (prog: string, group: string) => `Run \`${prog} help ${group}\` for its commands.`,
  runForAll: (prog: string) => `Run \`${prog} help\` for the commands.`,
  global: {
    key: "API key (else $OPENMOSS_API_KEY, else OPENMOSS-AGENT.env next to this CLI)",
    keyFile: "file with OPENMOSS_API_KEY=... (and OPENMOSS_BASE_URL=...), instead of --key",
    baseUrl: "server address for --key, --key-file and register (else the one built in at download)",
    json: "print the server's JSON response instead of text",
    lang: "language of messages: en or zh-CN (else $OPENMOSS_LANG, else the server's project language)",
    help: "show help (of the command given, if any)",
  },
  page: "page number, from 1",
  pageSize: "rows per page, up to 100 (default: everything)",
};
