// English messages of the CLI's machinery: command-line mistakes, configuration, the connection,
// id lookups and list headers. The source of truth: zh-CN must match its shape (type Catalogue).
export const common = {
  // Command-line mistakes (args.ts); `what` is `--flag` or `<argument>`.
  expectedInteger: (what: string, value: string) => `${what}: expected an integer, got '${value}'`,
  atLeast: (min: number) => `at least ${min}`,
  atMost: (max: number) => `at most ${max}`,
  between: (min: number, max: number) => `${min} to ${max}`,
  outOfRange: (what: string, range: string, value: string) => `${what}: must be ${range}, got ${value}`,
  invalidChoice: (what: string, value: string, choices: string) =>
    `${what}: invalid choice '${value}' (choose from ${choices})`,
  didYouMean: (suggestion: string) => `; did you mean '${suggestion}'?`,
  didYouMeanFlag: (name: string) => `; did you mean --${name}?`,
  needsValue: (name: string) => `option --${name} needs a value`,
  takesNoValue: (name: string) => `option --${name} takes no value`,
  optionBeforeCommand: (name: string) => `unknown option --${name} (command options go after the command)`,
  unknownOption: (token: string) => `unknown option ${token}`,
  unknownCommand: (name: string) => `unknown command '${name}'`,
  missingArgument: (name: string) => `missing argument <${name}>`,
  unexpectedArgument: (value: string) => `unexpected argument '${value}'`,
  requiredOption: (name: string) => `option --${name} is required`,
  noHelpFor: (name: string) => `no help for unknown command '${name}'`,
  stdinTwice: (first: string) => `only one argument can read standard input ('-'), and ${first} already does`,
  exactlyOne: (a: string, b: string) => `give exactly one of ${a} and ${b}`,

  // Configuration (config.ts).
  keyFileUnreadable: (file: string, reason: string) => `❌ Cannot read key file ${file}: ${reason}`,
  keyFileMissing: (file: string) => `❌ Key file not found: ${file}`,
  inFile: (name: string, file: string) => `${name} in ${file}`,
  theKeyFile: "the key file",
  baseUrlWithoutKey: (stray: string, keyFrom: string, keyHint: string) =>
    `❌ ${stray} is set, but the key comes from ${keyFrom}, and a key is sent only to the address ` +
    `given with it. Give ${keyHint} too, or drop ${stray}.`,
  invalidBaseUrl: (url: string) => `❌ Base URL must start with http:// or https://, got '${url}'`,
  missingBaseUrl: (keyFile: string) =>
    "❌ No server address. Give it with the key: --base-url with --key, OPENMOSS_BASE_URL with OPENMOSS_API_KEY, " +
    `or OPENMOSS_BASE_URL=... in ${keyFile} next to this CLI (a CLI downloaded from the server has it built in).`,
  missingKey: "❌ Missing API key. Give it in one of three ways:",
  keyWayFlag: "   1. --key <API_KEY> (anywhere on the command line)",
  keyWayEnv: "   2. the environment variable OPENMOSS_API_KEY",
  keyWayFile: (file: string) => `   3. the line OPENMOSS_API_KEY=<API_KEY> in ${file} (next to this CLI)`,
  keyFileInCwdIgnored: (file: string) =>
    `   (${file} is not read: only the key file next to the CLI is, or one named with --key-file)`,

  // The connection and the server's answers (http.ts, errors.ts, main.ts).
  notJson: (status: number, start: string) => `❌ Unexpected answer (${status}), not JSON: ${start}`,
  cannotConnect: (base: string, reason: string) => `❌ Cannot connect to ${base} (${reason})`,
  noAnswerWithin: (seconds: number) => `no answer within ${seconds} s`,
  emptyResponse: "(empty response)",
  apiError: (status: number, detail: string) => `❌ Error (${status}): ${detail}`,
  unexpectedError: (message: string) => `❌ Unexpected error: ${message}`,

  // Short ids (ids.ts).
  kinds: {
    task: "task",
    module: "module",
    sub_task: "sub-task",
    agent: "agent",
    patrol_record: "patrol record",
    review: "review record",
  },
  noIdStarts: (kind: string, prefix: string) => `❌ No ${kind} id starts with '${prefix}'`,
  copyIdFrom: (command: string) => `Copy the id from \`${command}\`.`,
  severalIds: (prefix: string, kind: string, names: string) =>
    `❌ '${prefix}' is the start of several ${kind} ids: ${names}`,
  giveMoreOfId: "Give more characters of the id, or all of it.",

  // Lists (output.ts) and names shared by several commands.
  pageHeader: (page: number, pages: number, total: number) => `[page ${page} of ${pages} pages, ${total} records]`,
  cappedHeader: (total: number, shown: number) =>
    `[${total} records total, showing the first ${shown}; use --page/--page-size for more]`,
  totalHeader: (total: number) => `[${total} records total]`,
  deletedAgent: (id: string) => `deleted agent ${id}`,
  /** An enumeration in prose: "a, b or c". */
  oneOf: (values: readonly string[]) =>
    values.length < 2 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`,
  readsStdin: (help: string) => `${help} ('-' reads standard input)`,
};
