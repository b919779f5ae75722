// The detail of a 400 for a body, query or path zod refused (app.ts defaultHook), in every language.
// English is "<field>: <zod's message>", as it always was. Other languages get our own words per issue
// code, built from the issue's fields: zod's locales are global state, shared by concurrent requests.
import type { z } from "@hono/zod-openapi";
import { isText, type Param, type Text, text } from "../i18n";

type Issue = z.core.$ZodIssue;

/** Allowed values or unknown keys as a short list: "a", "b" or 1. */
const listed = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");

/** The issue's own fields a language may use, as plain data (a Text crosses no class boundary). */
function issueFields(issue: Issue): Record<string, Param> {
  const i = issue as Issue & Record<string, unknown>;
  const fields: Record<string, Param> = {};
  if (typeof i.expected === "string") fields.expected = i.expected;
  const received = /received (\w+)$/.exec(issue.message)?.[1];
  if (received) fields.received = received;
  if (typeof i.origin === "string") fields.origin = i.origin;
  if (i.minimum !== undefined) fields.minimum = Number(i.minimum);
  if (i.maximum !== undefined) fields.maximum = Number(i.maximum);
  if (Array.isArray(i.values)) fields.values = listed(i.values);
  if (Array.isArray(i.keys)) fields.values = listed(i.keys);
  if (typeof i.format === "string") fields.format = i.format;
  return fields;
}

/**
 * What is wrong with `issue` at `field`: the schema's own refusal when it carries one (`params.said`,
 * see routes/define.ts), else zod's issue described by its code.
 */
export function invalidFieldText(field: string, issue: Issue | undefined): Text {
  if (!issue) return text("invalidField", { field, issue: "custom", en: "invalid input" });
  const own = issue.code === "custom" ? issue.params?.said : undefined;
  if (isText(own)) return { key: own.key, params: { ...own.params, field } };
  return text("invalidField", { field, issue: issue.code, en: issue.message, ...issueFields(issue) });
}
