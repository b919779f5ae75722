// Texts of the request pipeline itself: unknown paths, bodies that do not parse, authentication, the
// hints built around an id or a field. A message is a string, or a function of one params object.
import { cli } from "../../../domain/cli-command";
import { MIN_ID_PREFIX } from "../../../domain/ids";

/** How an agent lists each kind of record (to find an id). */
const LISTS = {
  sub_task: `${cli("st mine")} or ${cli("st list --task-id <task_id>")}`,
  task: cli("task list"),
  agent: cli("agents"),
  review: cli("review list"),
  patrol_record: cli("patrol records"),
  module: cli("module list <task_id>"),
};
export type RecordKind = keyof typeof LISTS;

export const core = {
  noSuchEndpoint: "no such endpoint",
  invalidJson: "request body is not valid JSON",
  invalidInput: "invalid input",
  internalError: "internal error",
  storageUnavailable: (p: { seconds: number }) => `storage is temporarily unavailable; retry in ${p.seconds} s`,
  missingAuthorization: "missing Authorization header; send Bearer <api_key>",
  badAuthorization: "Authorization must be Bearer <api_key>",
  invalidApiKey: "invalid API key",
  agentDisabled: "this agent is disabled",
  wrongRole: (p: { roles: string; role: string }) =>
    `this operation is limited to the ${p.roles} role; your role is ${p.role}`,
  /** A 404 for a short id: most likely a copied prefix (the CLI resolves unique prefixes itself). */
  idHintPrefix: (p: { kind: RecordKind }) =>
    `Ids are full UUIDs (36 characters); the CLI also accepts a unique prefix of ${MIN_ID_PREFIX}+ characters. ${LISTS[p.kind]} shows them.`,
  idHintFull: (p: { kind: RecordKind }) => `${LISTS[p.kind]} shows the ids you can use.`,
  reopenTaskHint: (p: { taskId: string }) => `Reopen it first: ${cli(`task status ${p.taskId} active`)}.`,
  /** `field` is already backquoted, or "" when the whole request is at fault. */
  invalidInputAdminHint: (p: { field: string }) =>
    `Fix ${p.field || "the request"}. Use the dashboard or the admin API (/api/docs).`,
  invalidInputHint: (p: { field: string; command: string }) =>
    `Fix ${p.field || "the request"}; ${cli(`help ${p.command}`)} shows the arguments it takes.`,
};
