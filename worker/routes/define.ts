// One way to declare a route: its auth, its zod schemas (which drive both validation and the OpenAPI
// document) and the error classes it can answer with.
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { every } from "hono/combine";
import { createMiddleware } from "hono/factory";
import { ErrorSchema } from "../../contract/api/common";
import type { Role } from "../../contract/vocabulary";
import type { AppEnv } from "../app-types";
import { adminAuth } from "../auth/admin";
import { agentAuth, requireRole } from "../auth/agent";
import {
  agentNameProblem,
  freeTextProblem,
  nameProblem,
  normalizeNewlines,
  type TextProblem,
} from "../domain/text-rules";
import { text as i18nText, render } from "../i18n";
import type { MessageKey, Messages } from "../i18n/catalogue";
import type { AtField } from "../i18n/en/messages/validation";
import { idempotency } from "../lib/idempotency";

/** A list of roles may include "admin": then an admin session (X-Admin-Token) is accepted too. */
type Auth = "public" | "agent" | "admin" | (Role | "admin")[];
/** What a success returns; octet-stream: a deliverable file's bytes (routes/file-reads.ts). */
type ContentType = "application/json" | "text/plain" | "application/zip" | "application/octet-stream";

interface RouteSpec {
  method: "get" | "post" | "put" | "delete";
  path: string;
  tag: string;
  summary: string;
  auth: Auth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A JSON body schema. An absent body is read as `{}` (see lib/body.ts), so optional fields suffice. */
  body?: z.ZodType;
  response: z.ZodType;
  /** What a success returns; JSON unless a route serves a file. */
  contentType?: ContentType;
  status?: 200 | 201;
  middleware?: MiddlewareHandler[];
  /**
   * The body is raw bytes the handler streams itself (lib/body.ts exempts the route from the JSON
   * reading): documented as a binary body of `contentType`, with 411/413 among the answers. No
   * Idempotency-Key handling: it would hash a body nobody read, so a retry with other bytes would
   * replay the first answer; such a route must be idempotent in effect instead.
   */
  rawBody?: { contentType: string; description: string };
}

const errorResponses = (codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      code,
      { description: errorDescriptions[code]!, content: { "application/json": { schema: ErrorSchema } } },
    ]),
  );

const errorDescriptions: Record<number, string> = {
  400: "Invalid input",
  401: "Missing or invalid credentials",
  403: "Wrong role, disabled agent, or not yours",
  404: "Not found",
  409: "Illegal state change",
  411: "No Content-Length header (code length_required): send the body's size",
  413: "The body is larger than allowed (code file_too_large)",
  429: "Too many requests from this agent (code rate_limited): retry after the Retry-After seconds",
  503: "Storage temporarily unavailable (code storage_unavailable): retry after the Retry-After seconds",
};

function authMiddleware(auth: Auth, replays = true): MiddlewareHandler[] {
  if (auth === "public") return [];
  if (auth === "admin") return [adminAuth];
  // Every authenticated agent request takes a token (429 before anything else runs); Idempotency-Key
  // handling needs the agent, so it runs last in the auth chain.
  const replay = replays ? [idempotency] : [];
  if (auth === "agent") return [agentAuth, ...replay];
  const roles = auth.filter((r): r is Role => r !== "admin");
  const agentChain = [agentAuth, requireRole(...roles), ...replay];
  if (roles.length === auth.length) return agentChain;
  // Admin or agent: the header sent decides; c.var.agent stays unset for an admin.
  const asAgent = every(...agentChain);
  return [
    createMiddleware<AppEnv>((c, next) =>
      c.req.header("x-admin-token") !== undefined ? adminAuth(c, next) : asAgent(c, next),
    ),
  ];
}

type Json<T> = { "application/json": { schema: T } };
type RequestOf<S extends RouteSpec> = (S["params"] extends z.ZodObject ? { params: S["params"] } : object) &
  (S["query"] extends z.ZodObject ? { query: S["query"] } : object) &
  (S["body"] extends z.ZodType ? { body: { required: boolean; content: Json<S["body"]> } } : object);
type ContentOf<S extends RouteSpec> = {
  [C in S["contentType"] extends ContentType ? S["contentType"] : "application/json"]: { schema: S["response"] };
};
type ResponsesOf<S extends RouteSpec> = {
  [K in S["status"] extends 201 ? 201 : 200]: { description: string; content: ContentOf<S> };
};
/** The precise route type zod-openapi needs to type `c.req.valid()` and `c.json()` in handlers. */
type RouteOf<S extends RouteSpec> = {
  method: S["method"];
  path: S["path"];
  request: RequestOf<S>;
  responses: ResponsesOf<S>;
};

export function defineRoute<const S extends RouteSpec>(spec: S): ReturnType<typeof createRoute<S["path"], RouteOf<S>>> {
  const security =
    spec.auth === "public"
      ? []
      : spec.auth === "admin"
        ? [{ AdminToken: [] }]
        : Array.isArray(spec.auth) && spec.auth.includes("admin")
          ? [{ AgentKey: [] }, { AdminToken: [] }]
          : [{ AgentKey: [] }];
  const description = Array.isArray(spec.auth) ? `Roles: ${spec.auth.join(", ")}.` : `Auth: ${spec.auth}.`;
  return createRoute<S["path"], RouteOf<S>>({
    method: spec.method,
    path: spec.path,
    tags: [spec.tag],
    summary: spec.summary,
    description,
    security,
    middleware: [...authMiddleware(spec.auth, !spec.rawBody), ...(spec.middleware ?? [])],
    request: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.body
        ? {
            body: {
              required: !spec.body.safeParse({}).success,
              content: { "application/json": { schema: spec.body } },
            },
          }
        : {}),
      ...(spec.rawBody
        ? {
            body: {
              required: true,
              description: spec.rawBody.description,
              content: { [spec.rawBody.contentType]: { schema: z.string().openapi({ format: "binary" }) } },
            },
          }
        : {}),
    },
    responses: {
      [spec.status ?? 200]: {
        description: "Success",
        content: { [spec.contentType ?? "application/json"]: { schema: spec.response } },
      },
      // Agent requests are rate-limited (auth/rate-limit.ts).
      ...errorResponses(
        [
          ...(spec.auth === "public" || spec.auth === "admin"
            ? [400, 401, 403, 404, 409, 503]
            : [400, 401, 403, 404, 409, 429, 503]),
          ...(spec.rawBody ? [411, 413] : []),
        ].sort((a, b) => a - b),
      ),
    },
  } as never);
}

/**
 * A 400 naming the refused character, coded `invalid_text` or `invalid_name` (app.ts reports that code);
 * `said` is the refusal in every language (app.ts adds the field).
 */
const refuse = (problemOf: (s: string) => TextProblem | undefined) => (value: string, ctx: z.RefinementCtx) => {
  const problem = problemOf(value);
  if (problem)
    ctx.addIssue({
      code: "custom",
      message: problem.detail,
      params: { code: problem.code, said: problem.said },
      input: value,
    });
};

/** A message whose only parameter is the field it is about (i18n/en/messages/validation.ts `AtField`). */
type FieldMessageKey = { [K in MessageKey]: Messages[K] extends (p: AtField) => string ? K : never }[MessageKey];

/**
 * The second argument of a schema's `.refine`: zod's message is the English, `params.said` the same
 * text in every language (app.ts renders it in the reader's, with the field).
 */
export const refusal = (key: FieldMessageKey) => {
  const said = i18nText(key, {});
  return { message: render(said, "en"), params: { said } };
};

/**
 * Free text, bounded: CRLF is stored as LF; terminal controls, bidi overrides and hidden tag
 * characters are refused (domain/text-rules.ts). Every string the API accepts has a maximum.
 */
export const text = (max: number) =>
  z.string().overwrite(normalizeNewlines).max(max).superRefine(refuse(freeTextProblem));
export const longText = text(10_000);
/** One line of visible characters, trimmed: names of tasks, modules, sub-tasks, prompts, channels, the project. */
export const line = (max: number) => z.string().trim().min(1).max(max).superRefine(refuse(nameProblem));
export const name = line(200);
/** One line as `line`, or "" (where an empty value clears a field, e.g. a task's workspace). */
export const lineOrEmpty = (max: number) => z.string().trim().max(max).superRefine(refuse(nameProblem));
/** An agent's name or "" (where an empty name means "unchanged"), stored NFKC-normalized; unique after case folding too (domain/names.ts). */
export const agentNameOrEmpty = z
  .string()
  .overwrite((s) => s.normalize("NFKC"))
  .trim()
  .max(100)
  .superRefine(refuse(agentNameProblem));
export const agentName = agentNameOrEmpty.min(1);
export const id = z.string().min(1).max(64).superRefine(refuse(nameProblem));
export const idParam = <K extends string = "id">(key: K = "id" as K) => z.object({ [key]: id } as Record<K, typeof id>);
/** A look-back window in days (query filters of the admin lists), up to ten years. */
export const days = z.coerce.number().int().min(1).max(3650);
/** Optional text filter; an empty value means no filter. */
export const keyword = text(100)
  .optional()
  .transform((k) => (k?.trim() ? k.trim() : undefined));

/**
 * An integer body field that also takes a string of digits (`"4"`, `"-2"`), as upstream does: models
 * often quote numbers. Anything else (`"4.5"`, `""`, `" 4"`, `"4abc"`) reaches `schema` unchanged and
 * fails there. The OpenAPI document (and so each MCP tool's schema) still says `type: integer`.
 */
export const integer = <T extends z.ZodNumber>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && /^-?\d{1,15}$/.test(value) ? Number(value) : value), schema);

/**
 * The public base URL: scheme, host, optional port and path, nothing else. It is pasted into shell
 * commands shown to agents, so characters such as `;`, `|` or `$` are refused.
 */
export const externalUrl = z.union([
  z
    .string()
    .max(500)
    .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/, "must be http(s)://host[:port][/path]"),
  z.literal(""),
]);

/** A calendar date alone, `2020-01-01`: upstream's cursor parser took it as that day's midnight. */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An ISO-8601 date-time; one without an offset is read as UTC (the only zone this server uses), and a
 * date alone as midnight UTC of that day (upstream clients send `after=2020-01-01`).
 * Normalized to the stored form (`toISOString`) so string comparison orders correctly.
 */
export const isoDateTime = z
  // A union, not a rewrite before the check: the OpenAPI document keeps both formats (date, date-time).
  .union([z.iso.date(), z.iso.datetime({ offset: true, local: true }).max(64)])
  .transform((value, ctx) => {
    const s = DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value;
    const ms = Date.parse(/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(s) ? s : `${s}Z`);
    if (Number.isNaN(ms)) {
      ctx.issues.push({ code: "custom", ...refusal("invalidDateTime"), input: s });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });
