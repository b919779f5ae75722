// The cron step that asks the ScheduledJobs Durable Object for a retrospective when a period is due
// (docs/retrospectives.md). Each minute it reads three setting rows by key (one statement); only when
// the latest finished period differs from the marker the generator left does it call the object: one
// subrequest, the generation's own queries counted as the object's, not the cron's.
import { sql } from "drizzle-orm";
import { RETRO_SCHEDULES, type RetroSchedule } from "../../contract/vocabulary";
import type { Db } from "../db/client";
import { addDoUsage, countDoCall, type Usage } from "../db/metered";
import { LAST_GENERATED_KEY } from "../db/retro-write";
import { setting } from "../db/schema";
import { DEFAULT_SETTINGS } from "../db/settings";
import { latestFinishedPeriod } from "../domain/retro-period";
import type { RetroGeneration } from "../durable/scheduled-jobs";
import type { Env } from "../env";
import { isIanaZone } from "../lib/zoned-time";

export type RetroStepReport = "off" | "idle" | Pick<RetroGeneration, "status" | "period_key" | "generated">;

/** The schedule, zone and marker: three primary-key reads in one statement. */
async function retroSettings(db: Db): Promise<{ schedule: RetroSchedule; tz: string; marker: string | null }> {
  const rows = await db.all<{ key: string; value: string }>(
    sql`select key, value from ${setting} where key in ('retro.schedule', 'retro.time_zone', ${LAST_GENERATED_KEY})`,
  );
  const value = (key: string): unknown => {
    const row = rows.find((r) => r.key === key);
    return row ? JSON.parse(row.value) : undefined;
  };
  const schedule = value("retro.schedule");
  const tz = value("retro.time_zone");
  const marker = value(LAST_GENERATED_KEY);
  return {
    schedule: RETRO_SCHEDULES.includes(schedule as RetroSchedule)
      ? (schedule as RetroSchedule)
      : DEFAULT_SETTINGS["retro.schedule"],
    // The admin API refuses unknown zones; a hand-edited row must not stop every cron run.
    tz: typeof tz === "string" && isIanaZone(tz) ? tz : DEFAULT_SETTINGS["retro.time_zone"],
    marker: typeof marker === "string" ? marker : null,
  };
}

export async function runRetroStep(env: Env, db: Db, now: string, usage: Usage): Promise<RetroStepReport> {
  const { schedule, tz, marker } = await retroSettings(db);
  if (schedule === "off") return "off";
  if (latestFinishedPeriod(schedule, now, tz).key === marker) return "idle";
  const jobs = env.JOBS.get(env.JOBS.idFromName("retro"));
  countDoCall(usage);
  const outcome = await jobs.generate({ kind: schedule, trigger: "cron", by: null, now, lastGenerated: marker });
  addDoUsage(usage, outcome.usage);
  return { status: outcome.status, period_key: outcome.period_key, generated: outcome.generated };
}
