// Routes of retrospectives: list, read, generate on demand, turn a finding into a rule (docs/retrospectives.md).
// Agents read the team's rows and their own; admins read every row.
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { RetrospectiveBody } from "../../contract/api/retrospective-body";
import {
  FindingRuleResultSchema,
  RetrospectiveSchema,
  RetrospectiveSummarySchema,
} from "../../contract/api/retrospectives";
import { RETRO_PERIOD_KINDS, RETRO_SCOPES } from "../../contract/vocabulary";
import type { App } from "../app";
import type { AppEnv } from "../app-types";
import { takeToken } from "../db/rate-buckets";
import {
  findRetrospective,
  findTeamRow,
  listRetrospectives,
  type Reader,
  type RetrospectiveListRow,
  type RetrospectiveRow,
  ruleFromFinding,
} from "../db/retrospectives";
import { readSettings } from "../db/settings";
import { latestFinishedPeriod, periodContaining } from "../domain/retro-period";
import { text as message, render } from "../i18n";
import { badRequest, conflict, notFound, tooManyRequests } from "../lib/errors";
import { envelope, envelopeSchema, optionalPageQuery, pageWindow } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { defineRoute, id, idParam, text } from "./define";
import { ruleJson } from "./shapes";

/** New on-demand generations per period kind: one per 5 minutes (a weekly one reads ~23k rows). */
const MANUAL_RUNS = { perMinute: 1 / 5, burst: 1 };

/** A real calendar day: the pattern alone would let 2026-02-31 through. */
const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: "not a calendar date (YYYY-MM-DD)",
    },
  );

const summaryJson = (r: Omit<RetrospectiveListRow, "counts" | "repeated">) => ({
  id: r.id,
  period_key: r.periodKey,
  period_kind: r.periodKind,
  period_start: r.periodStart,
  period_end: r.periodEnd,
  time_zone: r.timeZone,
  scope: r.scope,
  agent_id: r.agentId,
  trigger: r.trigger,
  partial: r.partial,
  language: r.language,
  generated_at: r.generatedAt,
  generated_by: r.generatedBy,
});

const retrospectiveJson = (r: RetrospectiveRow) => ({
  ...summaryJson(r),
  text: r.text,
  body: r.body as RetrospectiveBody,
});

/** The calling agent's id, or null for an admin session (these routes accept both). */
const readerOf = (c: Context<AppEnv>): Reader => c.get("agent")?.id ?? null;

const retrospectiveNotFound = () => notFound("retrospective_not_found", message("retrospectiveNotFound"));

export function registerRetrospectiveRoutes(app: App): void {
  const everyone = ["admin", "planner", "executor", "reviewer", "patrol"] as const;

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/retrospectives",
      tag: "Retrospectives",
      auth: [...everyone],
      summary: "Retrospectives, newest period first (agents: the team's and their own), with their counts",
      query: z.object({
        scope: z.enum(RETRO_SCOPES).optional(),
        period_kind: z.enum(RETRO_PERIOD_KINDS).optional(),
        agent_id: id.optional(),
        ...optionalPageQuery,
      }),
      response: envelopeSchema(RetrospectiveSummarySchema),
    }),
    async (c) => {
      const { scope, period_kind, agent_id, ...page } = c.req.valid("query");
      const { rows, total } = await listRetrospectives(
        c.var.db,
        { scope, periodKind: period_kind, agentId: agent_id },
        readerOf(c),
        pageWindow(page),
      );
      const items = rows.map((r) => ({
        ...summaryJson(r),
        counts: r.counts === null ? null : JSON.parse(r.counts),
        repeated: r.repeated,
      }));
      return c.json(envelope(items, total, page), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/retrospectives/{retrospective_id}",
      tag: "Retrospectives",
      auth: [...everyone],
      summary: "One retrospective: its text and its facts (agents: the team's and their own)",
      params: idParam("retrospective_id"),
      response: RetrospectiveSchema,
    }),
    async (c) => {
      const row = await findRetrospective(c.var.db, c.req.valid("param").retrospective_id, readerOf(c));
      if (!row) throw retrospectiveNotFound();
      return c.json(retrospectiveJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/retrospectives",
      tag: "Retrospectives",
      auth: ["admin", "planner"],
      summary:
        "Generate the retrospective of a period now (201), or get the one already made (200); default: the latest finished period",
      body: z.object({
        period: z.enum(RETRO_PERIOD_KINDS),
        date: localDate
          .optional()
          .openapi({ description: "YYYY-MM-DD: a day inside the period, in the retro.time_zone calendar" }),
      }),
      status: 201,
      response: RetrospectiveSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const { period, date } = c.req.valid("json");
      const settings = await readSettings(db);
      const now = nowIso();
      const zone = settings["retro.time_zone"];
      const target = date ? periodContaining(period, date, zone) : latestFinishedPeriod(period, now, zone);
      const notStarted = () =>
        badRequest("retro_period_not_started", message("retroPeriodNotStarted", { date: String(date) }));
      if (target.from > now) throw notStarted();
      // A final row is answered as it is, without a generation; a partial one (made before its period
      // ended) is refreshed, within the throttle. 200 and 201 are both success; 201 is declared.
      const existing = await findTeamRow(db, target.key);
      if (existing && !existing.partial) return c.json(retrospectiveJson(existing), 200 as 201);
      const taken = await takeToken(db, `retro:manual:${period}`, MANUAL_RUNS);
      if (!taken.ok) {
        throw tooManyRequests(
          "rate_limited",
          message("retroRunThrottled", { seconds: taken.retryAfterSeconds }),
          taken.retryAfterSeconds,
        );
      }
      const jobs = c.env.JOBS.get(c.env.JOBS.idFromName("retro"));
      const made = await jobs.generate({
        kind: period,
        ...(date ? { date } : {}),
        trigger: "manual",
        by: readerOf(c) ?? "admin",
      });
      if (made.team_id === null) throw notStarted();
      const row = await findRetrospective(db, made.team_id, null);
      if (!row) throw retrospectiveNotFound();
      return c.json(retrospectiveJson(row), made.status === "created" ? 201 : (200 as 201));
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/retrospectives/{retrospective_id}/findings/{finding_id}/rule",
      tag: "Retrospectives",
      auth: ["admin", "planner"],
      summary:
        "Turn a finding (a repeated problem) into a task rule, once: default task = where it was seen most, default text = the suggested one",
      params: z.object({ retrospective_id: id, finding_id: z.string().min(1).max(16) }),
      body: z.object({ task_id: id.optional(), content: text(50_000).min(1).optional() }),
      status: 201,
      response: FindingRuleResultSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const { retrospective_id: retroId, finding_id: findingId } = c.req.valid("param");
      const body = c.req.valid("json");
      const row = await findRetrospective(db, retroId, readerOf(c));
      if (!row) throw retrospectiveNotFound();
      const facts = row.body as RetrospectiveBody;
      const index = facts.findings.findIndex((f) => f.id === findingId);
      const finding = facts.findings[index];
      const pattern = finding && facts.patterns[finding.pattern];
      if (!finding || !pattern)
        throw notFound("finding_not_found", message("findingNotFound", { id: findingId, retroId }));
      if (finding.rule_id) throw alreadyRuled(findingId, finding.rule_id);
      const taskId = body.task_id ?? pattern.top_task_id;
      const settings = await readSettings(db);
      const period = row.periodKey.slice(row.periodKey.indexOf(":") + 1);
      const suggested = message(pattern.kind === "issue" ? "findingRuleIssue" : "findingRuleType", {
        sample: pattern.sample,
        count: pattern.count,
        period,
      });
      const now = nowIso();
      const rule = {
        id: crypto.randomUUID(),
        scope: "task" as const,
        taskId,
        subTaskId: null,
        // Rules are stored texts: the project's language, whoever asks (docs/i18n.md).
        content: body.content ?? render(suggested, settings["project.language"]),
        createdAt: now,
        updatedAt: now,
      };
      const outcome = await ruleFromFinding(db, retroId, index, findingId, rule);
      if (outcome.ok) {
        return c.json({ rule: ruleJson(rule), retrospective_id: retroId, finding_id: findingId }, 201);
      }
      switch (outcome.refused) {
        case "already_ruled":
          throw alreadyRuled(findingId, outcome.ruleId);
        case "task_not_found":
          throw notFound("task_not_found", message("taskNotFound", { id: taskId }));
        case "retrospective_not_found":
          throw retrospectiveNotFound();
      }
    },
  );
}

const alreadyRuled = (findingId: string, ruleId: string) =>
  conflict("finding_already_ruled", message("findingAlreadyRuled", { id: findingId, ruleId }));
