// Tool input schemas every MCP host reads the same way. The OpenAPI 3.1 generator writes a zod
// `.nullish()` field as `type: ["string", "null"]` (and `null` in its enum); some hosts' schema
// dialects reject type arrays. Every nullable field a tool takes is one where the API reads null as
// "not given" (upstream clients send null for absent), so the field is simply optional: null is
// dropped. A type array with two real types has no such reading and fails the build instead.
import type { JsonSchema } from "./tools";

function single(type: unknown[], where: string): string {
  const real = type.filter((t) => t !== "null");
  if (real.length !== 1 || typeof real[0] !== "string")
    throw new Error(`MCP tools: ${where}: cannot express type ${JSON.stringify(type)} without a type array`);
  return real[0];
}

/** A copy of `schema` without null: no type arrays, no `nullable`, no null in `enum`. */
export function portableSchema(schema: JsonSchema, where: string): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "nullable") continue;
    if (key === "type" && Array.isArray(value)) out.type = single(value, where);
    else if (key === "enum" && Array.isArray(value)) out.enum = value.filter((v) => v !== null);
    else if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, portableSchema(v as JsonSchema, `${where}.${k}`)]),
      );
    } else if (key === "items" && value && typeof value === "object" && !Array.isArray(value))
      out.items = portableSchema(value as JsonSchema, `${where}[]`);
    else out[key] = value;
  }
  return out;
}
