// Every state-like field of every response is listed as an enum in /api/openapi.json, with the domain's
// vocabulary: clients (and the MCP tool output schemas, derived from this document) see the values a
// field can take instead of a bare string.
import { describe, expect, it } from "vitest";
import {
  ACTIVITY_ACTIONS,
  AGENT_STATUSES,
  ANOMALY_TYPES,
  PATROL_RECORD_STATUSES,
  PRIORITIES,
  REVIEW_RESULTS,
  ROLES,
  RULE_SCOPES,
  SEVERITIES,
  SUB_TASK_STATUSES,
  TASK_STATUSES,
  TASK_TYPES,
} from "../contract/vocabulary";
import { call } from "./helpers";

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}
interface Doc {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

/** Property names that hold a state or a vocabulary word wherever they appear in a response. */
const STATE_FIELDS = new Set([
  "status",
  "role",
  "priority",
  "result",
  "type",
  "severity",
  "source",
  "scope",
  "action",
  "agent_role",
  "from_status",
  "to_status",
  "actor_kind",
  "sub_task_status",
]);

/** Free-form on purpose: audit actions are dotted names (`task.create`, `sub_task.reassign`, …) that grow with the API. */
const FREE_FORM = new Set(["AuditEntry.action"]);

const isString = (s: Schema) => s.type === "string" || (Array.isArray(s.type) && s.type.includes("string"));

/** Every string property named in STATE_FIELDS, as `where.name` → its schema, following $refs once each. */
function stateFields(doc: Doc): Map<string, Schema> {
  const found = new Map<string, Schema>();
  const seen = new Set<string>();
  const walk = (s: Schema | boolean | undefined, where: string): void => {
    if (!s || typeof s === "boolean") return;
    if (s.$ref) {
      const name = s.$ref.replace("#/components/schemas/", "");
      if (seen.has(name)) return;
      seen.add(name);
      walk(doc.components.schemas[name], name);
      return;
    }
    for (const [key, prop] of Object.entries(s.properties ?? {})) {
      if (STATE_FIELDS.has(key) && isString(prop) && !FREE_FORM.has(`${where}.${key}`))
        found.set(`${where}.${key}`, prop);
      walk(prop, `${where}.${key}`);
    }
    walk(s.items, `${where}[]`);
    walk(s.additionalProperties, `${where}{}`);
    for (const part of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) walk(part, where);
  };
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      for (const [code, response] of Object.entries(op.responses ?? {})) {
        if (!code.startsWith("2")) continue;
        for (const media of Object.values(response.content ?? {}))
          walk(media.schema, `${method.toUpperCase()} ${path}`);
      }
    }
  }
  return found;
}

describe("OpenAPI response enums", () => {
  it("lists an enum for every state field of every response", async () => {
    const res = await call<Doc>("GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    const fields = stateFields(res.body);
    // The walk reaches the shared shapes, so an empty result would mean it found nothing to check.
    expect(fields.size).toBeGreaterThan(30);
    const bare = [...fields].filter(([, s]) => !s.enum?.length).map(([where]) => where);
    expect(bare).toEqual([]);
  });

  it("uses the domain's vocabulary in the shared shapes", async () => {
    const { components } = (await call<Doc>("GET", "/api/openapi.json")).body;
    const enumOf = (schema: string, field: string) => components.schemas[schema]?.properties?.[field]?.enum;
    expect(enumOf("SubTask", "status")).toEqual([...SUB_TASK_STATUSES]);
    expect(enumOf("SubTask", "priority")).toEqual([...PRIORITIES]);
    expect(enumOf("SubTask", "type")).toEqual([...TASK_TYPES]);
    expect(enumOf("Task", "status")).toEqual([...TASK_STATUSES]);
    expect(enumOf("AgentPublic", "role")).toEqual([...ROLES]);
    expect(enumOf("AgentPublic", "status")).toEqual([...AGENT_STATUSES]);
    expect(enumOf("Review", "result")).toEqual([...REVIEW_RESULTS]);
    expect(enumOf("ActivityLog", "action")).toEqual([...ACTIVITY_ACTIONS]);
    expect(enumOf("Rule", "scope")).toEqual([...RULE_SCOPES]);
    expect(enumOf("PatrolRecord", "type")).toEqual([...ANOMALY_TYPES]);
    expect(enumOf("PatrolRecord", "severity")).toEqual([...SEVERITIES]);
    expect(enumOf("PatrolRecord", "status")).toEqual([...PATROL_RECORD_STATUSES]);
  });
});
