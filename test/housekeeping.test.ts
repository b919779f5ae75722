import { createScheduledController } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RETENTION_LIMIT } from "../worker/db/outbox";
import worker from "../worker/index";
import { env } from "./helpers";

const NOW = Date.parse("2026-11-28T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const DAY = 86_400_000;

const runCron = () => worker.scheduled(createScheduledController({ scheduledTime: NOW, cron: "* * * * *" }), env);

const ids = async (table: string, key = "id") =>
  (await env.DB.prepare(`select ${key} as k from ${table} order by ${key}`).all<{ k: string }>()).results.map(
    (r) => r.k,
  );

describe("cron housekeeping", () => {
  it("drops request logs past the retention setting, expired sessions, stale throttle counters and idle rate buckets", async () => {
    const log = (id: string, ts: string) =>
      env.DB.prepare("insert into request_log (id, timestamp, method, path) values (?, ?, 'GET', '/api/tasks')").bind(
        id,
        ts,
      );
    await env.DB.batch([
      log("old", ago(8 * DAY)),
      log("edge", ago(7 * DAY - 1000)),
      log("new", ago(2 * DAY)),
      env.DB.prepare(
        "insert into admin_session (token_hash, created_at, expires_at) values ('expired', ?, ?), ('valid', ?, ?)",
      ).bind(ago(9 * DAY), ago(1000), ago(DAY), new Date(NOW + DAY).toISOString()),
      env.DB.prepare(
        "insert into auth_throttle (key, failures, window_started_at, locked_until) values ('stale', 2, ?, null), ('locked', 5, ?, ?)",
      ).bind(ago(2 * 3_600_000), ago(2 * 3_600_000), new Date(NOW + 600_000).toISOString()),
      env.DB.prepare(
        "insert into rate_bucket (key, tokens, updated_ms) values ('agent:gone', 120, ?), ('agent:recent', 3, ?)",
      ).bind(NOW - DAY - 1, NOW - DAY + 60_000),
    ]);
    await runCron();
    expect(await ids("request_log")).toEqual(["edge", "new"]);
    expect(await ids("admin_session", "token_hash")).toEqual(["valid"]);
    expect(await ids("auth_throttle", "key")).toEqual(["locked"]);
    expect(await ids("rate_bucket", "key")).toEqual(["agent:recent"]);

    await env.DB.prepare("insert into setting (key, value, updated_at) values ('webui.feed_retention_days', '1', ?)")
      .bind(ago(0))
      .run();
    await runCron();
    expect(await ids("request_log")).toEqual([]);
  });

  it("drops sent and given-up notifications past notification.retention_days with their attempts and events; keeps fresh and pending ones", async () => {
    const outbox = (id: string, fannedOut: string | null) =>
      env.DB.prepare(
        "insert into notification_outbox (id, event, payload, created_at, fanned_out_at) values (?, 'task_completed', '{}', ?, ?)",
      ).bind(id, ago(9 * DAY), fannedOut);
    const delivery = (
      id: string,
      outboxId: string,
      status: string,
      nextAttempt: string,
      updated: string,
      lease: string | null = null,
    ) =>
      env.DB.prepare(
        "insert into notification_delivery (id, outbox_id, channel_id, status, attempts, next_attempt_at, lease_until, created_at, updated_at) values (?, ?, ?, ?, 1, ?, ?, ?, ?)",
      ).bind(id, outboxId, id, status, nextAttempt, lease, ago(9 * DAY), updated);
    const attempt = (id: string, deliveryId: string, at: string) =>
      env.DB.prepare(
        "insert into notification_attempt (id, delivery_id, attempted_at, ok, duration_ms) values (?, ?, ?, 1, 5)",
      ).bind(id, deliveryId, at);
    const old = ago(8 * DAY);
    const leased = new Date(NOW + 60_000).toISOString(); // held by a dispatcher, so this cron's dispatch leaves it alone
    await env.DB.batch([
      outbox("o-sent", old),
      delivery("d-sent", "o-sent", "sent", old, old),
      attempt("a-sent-1", "d-sent", old),
      attempt("a-sent-2", "d-sent", old),
      outbox("o-gave", old),
      delivery("d-gave", "o-gave", "gave_up", old, old),
      outbox("o-none", old), // fanned out to no channel
      outbox("o-fresh", ago(2 * DAY)),
      delivery("d-fresh", "o-fresh", "sent", ago(2 * DAY), ago(2 * DAY)),
      attempt("a-fresh", "d-fresh", ago(2 * DAY)),
      outbox("o-pending", old),
      delivery("d-pending", "o-pending", "pending", old, old, leased),
      attempt("a-pending", "d-pending", old),
      outbox("o-mixed", old),
      delivery("d-mixed-sent", "o-mixed", "sent", old, old),
      delivery("d-mixed-pending", "o-mixed", "pending", old, old, leased),
      // Gave up two days ago although it was last due long before: its retention counts from the give-up.
      outbox("o-late", old),
      delivery("d-late", "o-late", "gave_up", old, ago(2 * DAY)),
    ]);
    await runCron();
    expect(await ids("notification_outbox")).toEqual(["o-fresh", "o-late", "o-mixed", "o-pending"]);
    expect(await ids("notification_delivery")).toEqual(["d-fresh", "d-late", "d-mixed-pending", "d-pending"]);
    expect(await ids("notification_attempt")).toEqual(["a-fresh", "a-pending"]);

    await env.DB.prepare("insert into setting (key, value, updated_at) values ('notification.retention_days', '1', ?)")
      .bind(ago(0))
      .run();
    await runCron();
    expect(await ids("notification_outbox")).toEqual(["o-mixed", "o-pending"]);
    expect(await ids("notification_delivery")).toEqual(["d-mixed-pending", "d-pending"]);
    expect(await ids("notification_attempt")).toEqual(["a-pending"]);
  });

  it("deletes at most RETENTION_LIMIT notification rows per table per run; a backlog goes over the next runs", async () => {
    const n = 3 * RETENTION_LIMIT;
    const old = ago(8 * DAY);
    const series = `with recursive s(i) as (select 1 union all select i + 1 from s where i < ${n})`;
    await env.DB.batch([
      env.DB.prepare(
        `${series} insert into notification_outbox (id, event, payload, created_at, fanned_out_at) select 'o' || i, 'all_done', '{}', ?1, ?1 from s`,
      ).bind(old),
      env.DB.prepare(
        `${series} insert into notification_delivery (id, outbox_id, channel_id, status, attempts, next_attempt_at, created_at, updated_at) select 'd' || i, 'o' || i, 'ch', 'sent', 1, ?1, ?1, ?1 from s`,
      ).bind(old),
      env.DB.prepare(
        `${series} insert into notification_attempt (id, delivery_id, attempted_at, ok, duration_ms) select 'a' || i, 'd' || i, ?1, 1, 5 from s`,
      ).bind(old),
    ]);
    const counts = async () => {
      const one = async (table: string) =>
        (await env.DB.prepare(`select count(*) as n from ${table}`).first<number>("n"))!;
      return [await one("notification_outbox"), await one("notification_delivery"), await one("notification_attempt")];
    };
    expect(await counts()).toEqual([n, n, n]);
    const after: number[][] = [];
    for (let run = 0; run < 3; run++) {
      await runCron();
      after.push(await counts());
    }
    const left = (k: number) => [n - k * RETENTION_LIMIT, n - k * RETENTION_LIMIT, n - k * RETENTION_LIMIT];
    expect(after).toEqual([left(1), left(2), left(3)]);
  });
  it("drops retrospectives whose period ended more than retro.retention_days ago, at most RETENTION_LIMIT per run", async () => {
    // The cron would also write yesterday's retrospective: off here, so only the seeded rows exist.
    const setting = (key: string, value: unknown) =>
      env.DB.prepare("insert or replace into setting (key, value, updated_at) values (?, ?, ?)").bind(
        key,
        JSON.stringify(value),
        ago(0),
      );
    const retro = (id: string, scope: string, kind: string, endedDaysAgo: number) =>
      env.DB.prepare(
        `insert into retrospective (id, period_key, period_kind, period_start, period_end, time_zone, scope, agent_id, scope_key,
          trigger, partial, language, body, text, generated_at) values (?1, ?1, ?2, ?3, ?4, 'UTC', ?5, null, ?5, 'cron', 0, 'en', '{}', '', ?4)`,
      ).bind(id, kind, ago((endedDaysAgo + 7) * DAY), ago(endedDaysAgo * DAY), scope);
    await env.DB.batch([
      setting("retro.schedule", "off"),
      retro("team-old", "team", "daily", 91),
      retro("agent-old", "agent", "weekly", 100),
      retro("team-kept", "team", "weekly", 89),
      retro("agent-kept", "agent", "daily", 1),
    ]);
    await runCron();
    expect(await ids("retrospective")).toEqual(["agent-kept", "team-kept"]);

    await env.DB.batch([setting("retro.retention_days", 1)]);
    const n = RETENTION_LIMIT + 3;
    await env.DB.prepare(
      `with recursive s(i) as (select 1 union all select i + 1 from s where i < ${n})
       insert into retrospective (id, period_key, period_kind, period_start, period_end, time_zone, scope, scope_key, trigger,
         partial, language, body, text, generated_at) select 'x' || i, 'day:' || i, 'daily', ?1, ?1, 'UTC', 'team', 'team', 'cron', 0, 'en', '{}', '', ?1 from s`,
    )
      .bind(ago(30 * DAY))
      .run();
    await runCron();
    // agent-kept's period ended a day ago (not more): it stays; the backlog shrinks by RETENTION_LIMIT.
    expect(await ids("retrospective")).toHaveLength(n + 2 - RETENTION_LIMIT);
    await runCron();
    expect(await ids("retrospective")).toEqual(["agent-kept"]);
  });
});
