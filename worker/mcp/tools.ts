// The MCP tools: one per agent operation of the HTTP API, declared in a small table. Everything else
// comes from the OpenAPI document the app already generates from its zod schemas: which arguments
// go in the path, the query or the body, their JSON Schemas, and which roles may call the operation
// (the "Roles: …" / "Auth: agent." line defineRoute writes into each operation's description).
// A tool call is executed by the API itself (see call.ts), so nothing here knows any business rule.
// Each tool's description for the model is in the catalogues (i18n/<lang>/mcp.ts `tools`).
import { ROLES, type Role } from "../../contract/vocabulary";
import { LATEST_CLI_VERSION } from "../domain/rules";
import { catalogue } from "../i18n";
import { portableSchema } from "./portable-schema";
import { FILE_EXECUTOR_TOOLS, FILE_READ_TOOLS, MEMORY_READ_TOOLS, RAW_ARGS, type RawKind } from "./tools-memory";
import { RECURRING_PLANNER_TOOLS, RECURRING_READ_TOOLS } from "./tools-recurring";

const ENGLISH_TOOLS = catalogue("en").mcp.tools;

type Method = "GET" | "POST" | "PUT" | "DELETE";

interface ArgDoc {
  /** The argument's name in the tool (a path's `{id}` says little to a model). */
  name: string;
  description: string;
}

export interface ToolSpec {
  name: string;
  method: Method;
  /** The operation's path template, exactly as in the OpenAPI document. */
  path: string;
  /** Path parameters renamed and described (others keep their name). */
  pathArgs?: Record<string, ArgDoc>;
  /** Query parameters the tool sends itself and does not offer. */
  fixedQuery?: Record<string, string>;
  /** Query parameters not offered at all. */
  hiddenQuery?: string[];
  /** The task-cli command that does the same (the briefing's next steps name CLI commands). */
  cli?: string;
  /** Cancels or deletes something. */
  destructive?: boolean;
  /** Moves a file's bytes instead of JSON: run by mcp/call-files.ts, with RAW_ARGS (tools-memory.ts). */
  raw?: RawKind;
}

const SUB_TASK_ID: Record<string, ArgDoc> = { id: { name: "sub_task_id", description: "Id of the sub-task" } };
const TASK_ID: Record<string, ArgDoc> = { task_id: { name: "task_id", description: "Id of the task" } };

/** The operations agents call, as tools. Order = the order of tools/list. */
export const TOOL_TABLE: readonly ToolSpec[] = [
  // Every role
  {
    name: "get_briefing",
    method: "GET",
    path: "/api/agents/me/briefing",
    cli: "briefing",
    hiddenQuery: ["cli_version"],
  },
  {
    name: "heartbeat",
    method: "POST",
    path: "/api/agents/me/heartbeat",
    cli: "heartbeat",
  },
  {
    name: "get_rules",
    method: "GET",
    path: "/api/rules",
    cli: "rules",
    fixedQuery: { cli_version: String(LATEST_CLI_VERSION) },
  },
  {
    name: "list_agents",
    method: "GET",
    path: "/api/agents",
    cli: "agents",
  },
  { name: "get_notification_config", method: "GET", path: "/api/config/notification", cli: "notification" },
  { name: "list_tasks", method: "GET", path: "/api/tasks", cli: "task list" },
  { name: "get_task", method: "GET", path: "/api/tasks/{task_id}", cli: "task get", pathArgs: TASK_ID },
  { name: "list_modules", method: "GET", path: "/api/tasks/{task_id}/modules", cli: "module list", pathArgs: TASK_ID },
  { name: "list_sub_tasks", method: "GET", path: "/api/sub-tasks", cli: "st list" },
  { name: "list_my_sub_tasks", method: "GET", path: "/api/sub-tasks/mine", cli: "st mine" },
  {
    name: "list_available_sub_tasks",
    method: "GET",
    path: "/api/sub-tasks/available",
    cli: "st available",
  },
  { name: "get_latest_sub_task", method: "GET", path: "/api/sub-tasks/latest", cli: "st latest" },
  {
    name: "get_sub_task",
    method: "GET",
    path: "/api/sub-tasks/{id}",
    cli: "st get",
    pathArgs: SUB_TASK_ID,
  },
  {
    name: "list_sub_task_events",
    method: "GET",
    path: "/api/sub-tasks/{id}/events",
    cli: "st events",
    pathArgs: SUB_TASK_ID,
  },
  { name: "list_reviews", method: "GET", path: "/api/review-records", cli: "review list" },
  {
    name: "get_review",
    method: "GET",
    path: "/api/review-records/{id}",
    cli: "review get",
    pathArgs: { id: { name: "review_id", description: "Id of the review record" } },
  },
  { name: "get_my_score", method: "GET", path: "/api/scores/me", cli: "score me" },
  { name: "list_my_score_logs", method: "GET", path: "/api/scores/me/logs", cli: "score logs" },
  { name: "get_leaderboard", method: "GET", path: "/api/scores/leaderboard", cli: "score leaderboard" },
  {
    name: "list_agent_score_logs",
    method: "GET",
    path: "/api/scores/{agent_id}/logs",
    cli: "score agent-logs",
    pathArgs: { agent_id: { name: "agent_id", description: "Id of the agent" } },
  },
  {
    name: "write_log",
    method: "POST",
    path: "/api/logs",
    cli: "log create",
  },
  { name: "list_my_logs", method: "GET", path: "/api/logs/mine", cli: "log mine" },
  { name: "list_logs", method: "GET", path: "/api/logs", cli: "log list" },
  { name: "check_patrol", method: "GET", path: "/api/patrol/check", cli: "patrol check" },
  {
    name: "find_ids",
    method: "GET",
    path: "/api/ids/{prefix}",
  },
  { name: "list_patrol_records", method: "GET", path: "/api/patrol/records", cli: "patrol records" },
  ...RECURRING_READ_TOOLS,
  ...MEMORY_READ_TOOLS,
  ...FILE_READ_TOOLS,

  // Planner
  {
    name: "create_task",
    method: "POST",
    path: "/api/tasks",
    cli: "task create",
  },
  { name: "update_task", method: "PUT", path: "/api/tasks/{task_id}", cli: "task edit", pathArgs: TASK_ID },
  {
    name: "set_task_status",
    method: "PUT",
    path: "/api/tasks/{task_id}/status",
    cli: "task status",
    pathArgs: TASK_ID,
  },
  {
    name: "cancel_task",
    method: "POST",
    path: "/api/tasks/{task_id}/cancel",
    cli: "task cancel",
    pathArgs: TASK_ID,
    destructive: true,
  },
  {
    name: "create_module",
    method: "POST",
    path: "/api/tasks/{task_id}/modules",
    cli: "module create",
    pathArgs: TASK_ID,
  },
  {
    name: "create_sub_task",
    method: "POST",
    path: "/api/sub-tasks",
    cli: "st create",
  },
  {
    name: "update_sub_task",
    method: "PUT",
    path: "/api/sub-tasks/{id}",
    cli: "st edit",
    pathArgs: SUB_TASK_ID,
  },
  {
    name: "set_sub_task_dependencies",
    method: "PUT",
    path: "/api/sub-tasks/{id}/dependencies",
    cli: "st deps",
    pathArgs: SUB_TASK_ID,
  },
  {
    name: "reassign_sub_task",
    method: "POST",
    path: "/api/sub-tasks/{id}/reassign",
    cli: "st reassign",
    pathArgs: SUB_TASK_ID,
  },
  {
    name: "cancel_sub_task",
    method: "POST",
    path: "/api/sub-tasks/{id}/cancel",
    cli: "st cancel",
    pathArgs: SUB_TASK_ID,
    destructive: true,
  },
  {
    name: "list_rules",
    method: "GET",
    path: "/api/rules/list",
  },
  {
    name: "create_rule",
    method: "POST",
    path: "/api/rules",
    cli: "rule create",
  },
  {
    name: "update_rule",
    method: "PUT",
    path: "/api/rules/{rule_id}",
    pathArgs: { rule_id: { name: "rule_id", description: "Id of the rule" } },
  },
  {
    name: "delete_rule",
    method: "DELETE",
    path: "/api/rules/{rule_id}",
    pathArgs: { rule_id: { name: "rule_id", description: "Id of the rule" } },
    destructive: true,
  },
  {
    name: "resolve_patrol_record",
    method: "POST",
    path: "/api/patrol/records/{id}/resolve",
    cli: "patrol resolve",
    pathArgs: { id: { name: "record_id", description: "Id of the patrol record" } },
  },
  { name: "adjust_score", method: "POST", path: "/api/scores/adjust", cli: "score adjust" },
  ...RECURRING_PLANNER_TOOLS,

  // Executor
  {
    name: "claim_sub_task",
    method: "POST",
    path: "/api/sub-tasks/{id}/claim",
    cli: "st claim",
    pathArgs: SUB_TASK_ID,
  },
  {
    name: "start_sub_task",
    method: "POST",
    path: "/api/sub-tasks/{id}/start",
    cli: "st start",
    pathArgs: SUB_TASK_ID,
  },
  {
    name: "set_sub_task_session",
    method: "POST",
    path: "/api/sub-tasks/{id}/session",
    cli: "st session",
    pathArgs: SUB_TASK_ID,
  },
  {
    name: "submit_sub_task",
    method: "POST",
    path: "/api/sub-tasks/{id}/submit",
    cli: "st submit",
    pathArgs: SUB_TASK_ID,
  },
  ...FILE_EXECUTOR_TOOLS,

  // Reviewer
  {
    name: "review_sub_task",
    method: "POST",
    path: "/api/review-records",
    cli: "review create",
  },
  {
    name: "complete_sub_task",
    method: "POST",
    path: "/api/sub-tasks/{id}/complete",
    pathArgs: SUB_TASK_ID,
  },
  {
    name: "rework_sub_task",
    method: "POST",
    path: "/api/sub-tasks/{id}/rework",
    pathArgs: SUB_TASK_ID,
  },

  // Patrol
  {
    name: "block_sub_task",
    method: "POST",
    path: "/api/sub-tasks/{id}/block",
    cli: "st block",
    pathArgs: SUB_TASK_ID,
  },
  { name: "create_patrol_record", method: "POST", path: "/api/patrol/records", cli: "patrol report" },
];

/** The Idempotency-Key, offered by every tool that changes something. */
export const IDEMPOTENCY_ARG = "idempotency_key";

export type JsonSchema = Record<string, unknown>;

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}
interface OpenApiOperation {
  summary?: string;
  description?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}
/** The parts of the OpenAPI 3.1 document read here. */
export interface OpenApiDocument {
  paths?: Record<string, Record<string, OpenApiOperation | undefined> | undefined>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** `raw`: read by the raw tool itself (mcp/call-files.ts), never sent as it is. */
export type ArgPlace = "path" | "query" | "body" | "header" | "raw";

export interface McpTool {
  name: string;
  title: string;
  description: string;
  inputSchema: {
    type: "object";
    properties: Record<string, JsonSchema>;
    required: string[];
    additionalProperties: false;
  };
  annotations: {
    title: string;
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: false;
  };
  roles: Role[];
  method: Method;
  path: string;
  /** Tool argument → where it goes and under which name. */
  args: Record<string, { place: ArgPlace; name: string }>;
  fixedQuery: Record<string, string>;
  cli: string | undefined;
  raw: RawKind | undefined;
}

/**
 * The roles an operation admits, from the line defineRoute writes into its description:
 * "Auth: agent." (every role), "Roles: planner, admin." (those agent roles); anything else none.
 */
export function rolesOf(op: OpenApiOperation): Role[] {
  const text = op.description ?? "";
  if (/^Auth: agent\./.test(text)) return [...ROLES];
  const listed =
    /^Roles: ([a-z_, ]+)\./
      .exec(text)?.[1]
      ?.split(",")
      .map((r) => r.trim()) ?? [];
  return ROLES.filter((r) => listed.includes(r));
}

/** A copy of `schema` with `#/components/schemas/…` references replaced by what they point to. */
function inline(schema: JsonSchema, components: Record<string, JsonSchema>, seen: string[] = []): JsonSchema {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== "object") return value;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === "string") {
      const name = ref.replace(/^#\/components\/schemas\//, "");
      const target = components[name];
      if (!target || seen.includes(name)) throw new Error(`MCP tools: cannot inline ${ref}`);
      const { $ref: _ref, ...rest } = value as JsonSchema;
      return { ...inline(target, components, [...seen, name]), ...(walk(rest) as JsonSchema) };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
  };
  return walk(schema) as JsonSchema;
}

const titleOf = (name: string) => {
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** One tool from its table entry and its operation; throws when they do not fit together. */
export function buildTool(spec: ToolSpec, doc: OpenApiDocument): McpTool {
  const fail = (why: string): never => {
    throw new Error(`MCP tool ${spec.name} (${spec.method} ${spec.path}): ${why}`);
  };
  const op = doc.paths?.[spec.path]?.[spec.method.toLowerCase()] ?? fail("no such operation in the OpenAPI document");
  const roles = rolesOf(op);
  if (roles.length === 0) fail("no agent role may call it");
  const components = doc.components?.schemas ?? {};

  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const args: McpTool["args"] = {};
  const add = (arg: string, place: ArgPlace, name: string, schema: JsonSchema, isRequired: boolean) => {
    if (arg in properties) fail(`two arguments named ${arg}`);
    properties[arg] = portableSchema(schema, `${spec.name}.${arg}`);
    args[arg] = { place, name };
    if (isRequired) required.push(arg);
  };
  const withDescription = (schema: JsonSchema, description: string | undefined): JsonSchema =>
    description && schema.description === undefined ? { ...schema, description } : schema;

  const params = op.parameters ?? [];
  for (const p of params.filter((q) => q.in === "path")) {
    const argDoc = spec.pathArgs?.[p.name];
    add(
      argDoc?.name ?? p.name,
      "path",
      p.name,
      withDescription(inline(p.schema ?? { type: "string" }, components), argDoc?.description ?? p.description),
      true,
    );
  }
  const body = op.requestBody?.content?.["application/json"]?.schema;
  if (body) {
    const schema = inline(body, components);
    if (schema.type !== "object") fail("its body is not a JSON object");
    const bodyRequired = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    for (const [key, prop] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
      add(key, "body", key, prop, bodyRequired.has(key));
    }
  }
  const fixedQuery = spec.fixedQuery ?? {};
  for (const p of params.filter((q) => q.in === "query")) {
    if (p.name in fixedQuery || spec.hiddenQuery?.includes(p.name)) continue;
    add(
      p.name,
      "query",
      p.name,
      withDescription(inline(p.schema ?? { type: "string" }, components), p.description),
      p.required === true,
    );
  }
  for (const key of [...Object.keys(fixedQuery), ...(spec.hiddenQuery ?? [])]) {
    if (!params.some((q) => q.in === "query" && q.name === key)) fail(`it has no query parameter ${key}`);
  }
  for (const key of Object.keys(spec.pathArgs ?? {})) {
    if (!params.some((q) => q.in === "path" && q.name === key)) fail(`it has no path parameter ${key}`);
  }
  for (const [arg, { schema, required: isRequired }] of Object.entries(spec.raw ? RAW_ARGS[spec.raw] : {})) {
    add(arg, "raw", arg, schema, isRequired);
  }
  const readOnly = spec.method === "GET";
  // An upload's body is a stream the API cannot replay, so it takes no Idempotency-Key (a retry with
  // the same name replaces the file, which is idempotent in effect).
  if (!readOnly && spec.raw !== "upload") {
    add(
      IDEMPOTENCY_ARG,
      "header",
      "idempotency-key",
      {
        type: "string",
        minLength: 1,
        maxLength: 200,
        description:
          "Optional. Retrying with the same key replays the first answer instead of acting twice (use a fresh random value per action).",
      },
      false,
    );
  }

  const title = titleOf(spec.name);
  return {
    name: spec.name,
    title,
    // English here; tools/list shows the caller's language (i18n/<lang>/mcp.ts, the same keys).
    description: (ENGLISH_TOOLS as Record<string, string>)[spec.name] ?? op.summary ?? title,
    inputSchema: { type: "object", properties, required, additionalProperties: false },
    annotations: {
      title,
      readOnlyHint: readOnly,
      destructiveHint: spec.destructive === true,
      idempotentHint: readOnly || spec.method === "PUT",
      openWorldHint: false,
    },
    roles,
    method: spec.method,
    path: spec.path,
    args,
    fixedQuery,
    cli: spec.cli,
    raw: spec.raw,
  };
}

export interface ToolCatalog {
  all: McpTool[];
  byName: Map<string, McpTool>;
  forRole: (role: Role) => McpTool[];
}

export function buildCatalog(doc: OpenApiDocument, table: readonly ToolSpec[] = TOOL_TABLE): ToolCatalog {
  const all = table.map((spec) => buildTool(spec, doc));
  const byName = new Map(all.map((t) => [t.name, t]));
  if (byName.size !== all.length) throw new Error("MCP tools: two tools share a name");
  const perRole = new Map(ROLES.map((r) => [r, all.filter((t) => t.roles.includes(r))]));
  return { all, byName, forRole: (role) => perRole.get(role) ?? [] };
}
