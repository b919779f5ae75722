import { createScheduledController } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../worker/index";
import { env } from "./helpers";

const NOW = Date.parse("2026-11-28T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const DAY = 86_400_000;

const runCron = () => worker.scheduled(createScheduledController({ scheduledTime: NOW, cron: "* * * * *" }), env);

const ids = async (table: string, key = "id") =>
  (await env.DB.prepare(`select ${key} as k from ${table} order by ${key}`).all<{ k: string }>()).results.map((r) => r.k);

describe("cron housekeeping", () => {
  it("drops request logs past the retention setting, expired sessions, stale throttle counters and idle rate buckets", async () => {
    const log = (id: string, ts: string) =>
      env.DB.prepare("insert into request_log (id, timestamp, method, path) values (?, ?, 'GET', '/api/tasks')").bind(id, ts);
    await env.DB.batch([
      log("old", ago(8 * DAY)),
      log("edge", ago(7 * DAY - 1000)),
      log("new", ago(2 * DAY)),
      env.DB.prepare("insert into admin_session (token_hash, created_at, expires_at) values ('expired', ?, ?), ('valid', ?, ?)")
        .bind(ago(9 * DAY), ago(1000), ago(DAY), new Date(NOW + DAY).toISOString()),
      env.DB.prepare("insert into auth_throttle (key, failures, window_started_at, locked_until) values ('stale', 2, ?, null), ('locked', 5, ?, ?)")
        .bind(ago(2 * 3_600_000), ago(2 * 3_600_000), new Date(NOW + 600_000).toISOString()),
      env.DB.prepare("insert into rate_bucket (key, tokens, updated_ms) values ('agent:gone', 120, ?), ('agent:recent', 3, ?)")
        .bind(NOW - DAY - 1, NOW - DAY + 60_000),
    ]);
    await runCron();
    expect(await ids("request_log")).toEqual(["edge", "new"]);
    expect(await ids("admin_session", "token_hash")).toEqual(["valid"]);
    expect(await ids("auth_throttle", "key")).toEqual(["locked"]);
    expect(await ids("rate_bucket", "key")).toEqual(["agent:recent"]);

    await env.DB.prepare("insert into setting (key, value, updated_at) values ('webui.feed_retention_days', '1', ?)").bind(ago(0)).run();
    await runCron();
    expect(await ids("request_log")).toEqual([]);
  });
});
