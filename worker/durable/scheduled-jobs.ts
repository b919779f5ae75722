// The Durable Object that runs the server's scheduled jobs one at a time (one instance, "retro"):
// generating retrospectives, outside the cron's query budget (a call has its own 50 D1 queries and
// 30 s of CPU; the cron spends one subrequest on it). docs/retrospectives.md.
import { DurableObject } from "cloudflare:workers";
import type { RetroPeriod } from "../../contract/api/retrospective-body";
import type { RetroPeriodKind } from "../../contract/vocabulary";
import { getDb } from "../db/client";
import { emptyUsage, meteredD1, type Usage } from "../db/metered";
import { readPeriod } from "../db/retro-queries";
import { existingRetro, markerWrite, type RetroRow, writeRetros } from "../db/retro-write";
import { readSettings } from "../db/settings";
import { composeRetros, type RetroRows } from "../domain/retro-compose";
import { isOpenPeriod, latestFinishedPeriod, periodContaining, periodsDue } from "../domain/retro-period";
import { renderRetroText } from "../domain/retro-text";
import type { Env } from "../env";

export interface RetroRequest {
  kind: RetroPeriodKind;
  /** A day inside the period ("YYYY-MM-DD", local); default the latest finished period. */
  date?: string;
  trigger: "cron" | "manual";
  /** null (cron), "admin", or the planner's agent id. */
  by: string | null;
  /** The cron's clock (tests run it at chosen instants); default the real time. */
  now?: string;
  /** The cron's marker: with it, missed periods since it are back-filled (at most 3, oldest first). */
  lastGenerated?: string | null;
}

export interface RetroGeneration {
  /**
   * For the newest period of the call: made now, already there, (with `date`) not begun yet, or (cron
   * only) nothing happened in it, so nothing was written and nobody is told.
   */
  status: "created" | "exists" | "not_started" | "quiet";
  team_id: string | null;
  period_key: string;
  partial: boolean;
  /** Keys of the periods this call wrote, oldest first. */
  generated: string[];
  /** The D1 work of the call (the caller adds it to its own, as with the sub-task coordinator). */
  usage: Usage;
}

export class ScheduledJobs extends DurableObject<Env> {
  #tail: Promise<unknown> = Promise.resolve();

  /** Generates one period's retrospectives (or the cron's due ones); calls run one after another. */
  generate(request: RetroRequest): Promise<RetroGeneration> {
    const run = this.#tail.then(() => generateRetros(this.env, request));
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

async function generateRetros(env: Env, request: RetroRequest): Promise<RetroGeneration> {
  const usage = emptyUsage();
  const db = getDb(meteredD1(env.DB, usage));
  const now = request.now ?? new Date().toISOString();
  const settings = await readSettings(db);
  const tz = settings["retro.time_zone"];
  const latest = latestFinishedPeriod(request.kind, now, tz);
  const periods: RetroPeriod[] = request.date
    ? [periodContaining(request.kind, request.date, tz)]
    : request.trigger === "cron"
      ? periodsDue(request.kind, now, tz, request.lastGenerated ?? null)
      : [latest];
  const newest = periods.at(-1) ?? latest;
  if (newest.from > now) {
    return { status: "not_started", team_id: null, period_key: newest.key, partial: false, generated: [], usage };
  }
  const generated: string[] = [];
  let result = { status: "exists" as RetroGeneration["status"], teamId: null as string | null, partial: false };
  for (const period of periods) {
    const isNewest = period === newest;
    const existing = await existingRetro(db, period.key);
    const partial = isOpenPeriod(period, now);
    // A final row is never rewritten; a partial one is refreshed, or replaced once the period ended.
    if (existing && !existing.partial) {
      if (isNewest && request.trigger === "cron") await db.run(markerWrite(period.key, now));
      result = { status: "exists", teamId: existing.id, partial: false };
      continue;
    }
    const facts = await readPeriod(db, period.kind, period.from, period.to);
    // An idle team is not sent "nothing happened" every day; a person who asks gets the row anyway.
    if (request.trigger === "cron" && isQuiet(facts.rows)) {
      if (isNewest) await db.run(markerWrite(period.key, now));
      result = { status: "quiet", teamId: null, partial: false };
      continue;
    }
    const { team, agents } = composeRetros(period, facts.rows, facts.previous);
    const language = settings["project.language"];
    const base = {
      periodKey: period.key,
      periodKind: period.kind,
      periodStart: period.from,
      periodEnd: period.to,
      timeZone: tz,
      trigger: request.trigger,
      partial,
      language,
      generatedAt: now,
      generatedBy: request.by,
    };
    const teamId = existing?.id ?? crypto.randomUUID();
    const rows: RetroRow[] = [
      {
        ...base,
        id: teamId,
        scope: "team",
        agentId: null,
        scopeKey: "team",
        body: team,
        text: renderRetroText({ body: team, language, names: facts.names, agentId: null, partial }),
      },
      ...[...agents].map(([agentId, body]) => ({
        ...base,
        id: crypto.randomUUID(),
        scope: "agent" as const,
        agentId,
        scopeKey: agentId,
        body,
        text: renderRetroText({ body, language, names: facts.names, agentId, partial }),
      })),
    ];
    // Only the newest finished period reaches briefings and channels: a back-filled older one, or an
    // old period asked for on demand, would push aside what people have not read yet.
    const deliver =
      isNewest && !partial && period.key === latest.key
        ? {
            id: teamId,
            period_key: period.key,
            period_kind: period.kind,
            time_zone: tz,
            counts: {
              sub_tasks_done: team.counts.sub_tasks_done,
              rejections: team.counts.rejections,
              anomalies: team.counts.anomalies,
              patterns: team.patterns.length,
            },
            top: team.patterns[0] ? { sample: team.patterns[0].sample, count: team.patterns[0].count } : null,
          }
        : null;
    const marker = isNewest && request.trigger === "cron" && !partial ? period.key : null;
    await writeRetros(db, { rows, deliver, marker });
    generated.push(period.key);
    result = { status: "created", teamId, partial };
  }
  return {
    status: result.status,
    team_id: result.teamId,
    period_key: newest.key,
    partial: result.partial,
    generated,
    usage,
  };
}

/** Nothing was reviewed, reflected on, reported, scored or finished in the period. */
const isQuiet = (rows: RetroRows): boolean =>
  rows.reviews.length + rows.reflections.length + rows.anomalies.length + rows.scores.length + rows.done.length === 0;
