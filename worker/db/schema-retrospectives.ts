// D1 table of retrospectives (ours): what a period's reviews, reflections, anomalies and scores say,
// for the team and per agent. docs/retrospectives.md explains the model.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Language } from "../../contract/languages";
import type { RetroPeriodKind, RetroScope } from "../../contract/vocabulary";

export const retrospective = sqliteTable(
  "retrospective",
  {
    id: text("id").primaryKey(),
    // 'day:2026-12-04' or 'week:2026-W49', local to timeZone.
    periodKey: text("period_key").notNull(),
    periodKind: text("period_kind").$type<RetroPeriodKind>().notNull(),
    // UTC ISO, start inclusive, end exclusive.
    periodStart: text("period_start").notNull(),
    periodEnd: text("period_end").notNull(),
    timeZone: text("time_zone").notNull(),
    scope: text("scope").$type<RetroScope>().notNull(),
    agentId: text("agent_id"),
    // 'team' or the agent's id: one row per (period, scope key).
    scopeKey: text("scope_key").notNull(),
    trigger: text("trigger").$type<"cron" | "manual">().notNull(),
    // 1: made on demand before the period ended; the scheduled run replaces it.
    partial: integer("partial", { mode: "boolean" }).notNull().default(false),
    language: text("language").$type<Language>().notNull(),
    // Language-neutral facts (contract/api/retrospectives.ts), and the text rendered once in `language`.
    body: text("body", { mode: "json" }).notNull(),
    text: text("text").notNull(),
    generatedAt: text("generated_at").notNull(),
    // null (cron), 'admin', or the planner's agent id.
    generatedBy: text("generated_by"),
  },
  (t) => [
    uniqueIndex("ux_retrospective_period").on(t.periodKey, t.scopeKey),
    index("ix_retrospective_scope_kind_start").on(t.scope, t.periodKind, t.periodStart),
    index("ix_retrospective_agent_start").on(t.agentId, t.periodStart),
  ],
);
