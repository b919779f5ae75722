// Server-side notification delivery through the real path: HTTP transitions write outbox rows in their
// own batches, then dispatchNotifications fans them out and sends them through a scripted fetch.
import { describe, expect, it } from "vitest";
import { formatMessage, MAX_ATTEMPTS, retryDelayMs } from "../worker/domain/notifications";
import type { DispatchSummary } from "../worker/notify/dispatch";
import { call, env, initialize, register, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";
import { type Answer, channel, configure, dispatch, fakeFetch } from "./notification-helpers";

const PROJECT = "Test Project"; // set by initialize()
const T0 = Date.parse("2030-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(T0 + ms);
const MIN = 60_000;

const FEISHU_URL = "https://open.feishu.cn/open-apis/bot/v2/hook/feishu-hook-id";
const SLACK_URL = "https://hooks.slack.com/services/T000/B000/slacksecretpart";
const WEBHOOK_URL = "https://receiver.example.com/openmoss?token=query-secret";

// --- driving sub-tasks over HTTP ------------------------------------------------------------------

interface Team {
  planner: TestAgent;
  exec: TestAgent;
  reviewer: TestAgent;
}

async function ok(p: Promise<{ status: number; body: any }>): Promise<any> {
  const res = await p;
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function team(): Promise<Team> {
  await initialize();
  return { planner: await register("planner"), exec: await register("executor"), reviewer: await register("reviewer") };
}

async function subTaskInReview(
  t: Team,
  taskName = "Data pipeline",
  subTaskName = "clean data",
): Promise<{ taskId: string; id: string }> {
  const task = await ok(
    call("POST", "/api/tasks", { key: t.planner.key, body: { name: taskName, description: "d", type: "once" } }),
  );
  const st = await ok(
    call("POST", "/api/sub-tasks", {
      key: t.planner.key,
      body: {
        task_id: task.id,
        name: subTaskName,
        description: "d",
        deliverable: "d",
        acceptance: "a",
        priority: "medium",
        type: "once",
      },
    }),
  );
  await ok(call("POST", `/api/sub-tasks/${st.id}/claim`, { key: t.exec.key, body: {} }));
  await ok(call("POST", `/api/sub-tasks/${st.id}/start`, { key: t.exec.key, body: {} }));
  await ok(call("POST", `/api/sub-tasks/${st.id}/submit`, { key: t.exec.key }));
  return { taskId: task.id, id: st.id };
}

const review = (t: Team, id: string, result: "approved" | "rejected", score: number, issues = "", comment = "") =>
  call("POST", "/api/review-records", {
    key: t.reviewer.key,
    body: { sub_task_id: id, result, score, issues, comment },
  });

/** submit → reject (score 2) → start → submit → approve (score 5): the only sub-task, so the task completes. */
async function fullCycle(t: Team) {
  const st = await subTaskInReview(t);
  await ok(review(t, st.id, "rejected", 2, "nulls are dropped silently", "needs work"));
  await ok(call("POST", `/api/sub-tasks/${st.id}/start`, { key: t.exec.key, body: {} }));
  await ok(call("POST", `/api/sub-tasks/${st.id}/submit`, { key: t.exec.key }));
  await ok(review(t, st.id, "approved", 5, "", "great"));
  return st;
}

const summary = (over: Partial<DispatchSummary>): DispatchSummary => ({
  fannedOut: 0,
  attempted: 0,
  sent: 0,
  failed: 0,
  gaveUp: 0,
  deferred: 0,
  ...over,
});

// --- reading the tables --------------------------------------------------------------------------

interface OutboxRow {
  id: string;
  event: string;
  payload: string;
  created_at: string;
  fanned_out_at: string | null;
}
interface DeliveryRow {
  id: string;
  outbox_id: string;
  channel_id: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
}
interface AttemptRow {
  delivery_id: string;
  attempted_at: string;
  ok: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

const outbox = async () =>
  (await env.DB.prepare("select * from notification_outbox order by created_at, rowid").all<OutboxRow>()).results;
const deliveries = async () =>
  (await env.DB.prepare("select * from notification_delivery order by rowid").all<DeliveryRow>()).results;
const attempts = async () =>
  (await env.DB.prepare("select * from notification_attempt order by attempted_at, rowid").all<AttemptRow>()).results;

/** Deliveries as "channel:event" pairs, sorted. */
async function routed(): Promise<string[]> {
  const rows = await env.DB.prepare(
    "select d.channel_id as c, o.event as e from notification_delivery d join notification_outbox o on o.id = d.outbox_id",
  ).all<{ c: string; e: string }>();
  return rows.results.map((r) => `${r.c}:${r.e}`).sort();
}

/** The immediate dispatch after a request must not have run in these tests: the scripted fetch owns delivery. */
async function expectUndelivered(): Promise<void> {
  expect(
    (await outbox()).every((r) => r.fanned_out_at === null),
    "an outbox row was fanned out before the test dispatched",
  ).toBe(true);
  expect(await deliveries()).toEqual([]);
}

const enc = new TextEncoder();
const hmacKey = (key: string) =>
  crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const fromHex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

const ALL_EVENTS = [
  "task_completed",
  "review_rejected",
  "all_done",
  "patrol_alert",
  "sub_task_submitted",
  "sub_task_blocked",
];

describe("notification delivery", () => {
  it("sends every event to every channel in its format, signed, and never twice after success", async () => {
    await configure(
      [
        channel({ id: "fs", type: "feishu", url: FEISHU_URL, secret: "feishu-sign-secret" }),
        channel({ id: "sl", type: "slack", url: SLACK_URL }),
        channel({ id: "wh", type: "webhook", url: WEBHOOK_URL, secret: "webhook-hmac-secret" }),
      ],
      ALL_EVENTS,
    );
    const t = await team();
    const st = await fullCycle(t);
    await expectUndelivered();

    const events = await outbox();
    expect(events.map((e) => e.event)).toEqual([
      "sub_task_submitted",
      "review_rejected",
      "sub_task_submitted",
      "task_completed",
      "all_done",
    ]);

    const { fetcher, sent } = fakeFetch((req) =>
      req.url === FEISHU_URL
        ? Response.json({ code: 0, msg: "success", data: {} })
        : new Response(req.url === SLACK_URL ? "ok" : null, { status: req.url === SLACK_URL ? 200 : 204 }),
    );
    const now = at(0);
    expect(await dispatch(now, fetcher)).toEqual(summary({ fannedOut: 5, attempted: 15, sent: 15 }));
    expect(sent).toHaveLength(15);
    for (const r of sent) {
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.hasSignal).toBe(true);
      expect(r.redirect).toBe("manual");
    }

    const rejected = events[1]!;
    const text = formatMessage("review_rejected", JSON.parse(rejected.payload), PROJECT);
    expect(text).toContain(PROJECT);
    expect(text).toContain('"Data pipeline"');
    expect(text).toContain('"clean data"');
    expect(text).toContain("review round 1, score 2");
    expect(text).toContain("nulls are dropped silently");

    // Slack: the text (no external URL set, so no link) as fallback and as one verbatim mrkdwn section.
    const slack = sent.filter((r) => r.url === SLACK_URL).map((r) => JSON.parse(r.body));
    expect(slack).toHaveLength(5);
    for (const b of slack) {
      expect(b).toEqual({
        text: expect.stringContaining(`[${PROJECT}]`),
        blocks: [{ type: "section", text: { type: "mrkdwn", text: b.text, verbatim: true } }],
        unfurl_links: false,
        unfurl_media: false,
      });
    }
    expect(slack.map((b) => b.text)).toContain(text);

    // Feishu: signed rich-text post, a paragraph per line; the signature checks out the way Feishu checks it.
    const feishu = sent.filter((r) => r.url === FEISHU_URL).map((r) => JSON.parse(r.body));
    expect(feishu).toHaveLength(5);
    for (const b of feishu) {
      expect(b).toEqual({
        timestamp: String(T0 / 1000),
        sign: expect.any(String),
        msg_type: "post",
        content: { post: { zh_cn: { content: expect.any(Array) } } },
      });
      const key = await hmacKey(`${b.timestamp}\nfeishu-sign-secret`);
      expect(await crypto.subtle.verify("HMAC", key, fromBase64(b.sign), new Uint8Array(0))).toBe(true);
    }
    const feishuText = (b: any) =>
      b.content.post.zh_cn.content.map((p: { text: string }[]) => p.map((e) => e.text).join("")).join("\n");
    expect(feishu.map(feishuText)).toContain(text);

    // Generic webhook: the envelope with the event data, and a signature over timestamp.body.
    const hooks = sent.filter((r) => r.url === WEBHOOK_URL);
    expect(hooks.map((r) => r.headers["x-openmoss-event"]).sort()).toEqual(events.map((e) => e.event).sort());
    for (const r of hooks) {
      const b = JSON.parse(r.body);
      const row = events.find((e) => e.id === b.id)!;
      expect(r.headers["x-openmoss-delivery"]).toBe(row.id);
      expect(r.headers["x-openmoss-timestamp"]).toBe(String(T0 / 1000));
      expect(b).toEqual({
        id: row.id,
        event: row.event,
        created_at: row.created_at,
        project: PROJECT,
        text: formatMessage(row.event, JSON.parse(row.payload), PROJECT),
        data: JSON.parse(row.payload),
      });
      const sig = r.headers["x-openmoss-signature"]!;
      expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
      const signed = enc.encode(`${r.headers["x-openmoss-timestamp"]}.${r.body}`);
      expect(
        await crypto.subtle.verify("HMAC", await hmacKey("webhook-hmac-secret"), fromHex(sig.slice(7)), signed),
      ).toBe(true);
    }
    const hookRejected = JSON.parse(hooks.find((r) => r.headers["x-openmoss-event"] === "review_rejected")!.body);
    expect(hookRejected.data).toMatchObject({
      task: { id: st.taskId, name: "Data pipeline" },
      sub_task: { id: st.id, name: "clean data", status: "rework", assigned_agent: t.exec.id },
      actor: { kind: "agent", id: t.reviewer.id, name: t.reviewer.name },
      review: { round: 1, result: "rejected", score: 2, issues: "nulls are dropped silently", comment: "needs work" },
    });
    // No secret leaves in a body.
    for (const r of sent) {
      expect(r.body).not.toContain("feishu-sign-secret");
      expect(r.body).not.toContain("webhook-hmac-secret");
    }

    // Bookkeeping: every event fanned out, every delivery sent once, every attempt stored.
    expect((await outbox()).every((r) => r.fanned_out_at === now.toISOString())).toBe(true);
    const ds = await deliveries();
    expect(ds).toHaveLength(15);
    for (const d of ds) expect(d).toMatchObject({ status: "sent", attempts: 1, lease_until: null, last_error: null });
    const as = await attempts();
    expect(as).toHaveLength(15);
    for (const a of as) expect(a).toMatchObject({ ok: 1, error: null, attempted_at: now.toISOString() });
    expect(as.map((a) => a.status_code).sort()).toEqual([
      ...Array(5).fill(200),
      ...Array(5).fill(200),
      ...Array(5).fill(204),
    ]);

    // Later runs send nothing again.
    for (const later of [at(0), at(MIN), at(24 * 60 * MIN)]) {
      expect(await dispatch(later, fetcher)).toEqual(summary({}));
    }
    expect(sent).toHaveLength(15);
    expect(await attempts()).toHaveLength(15);
    await expectInvariants();
  });

  it("retries a failing endpoint with exponential backoff, stores every attempt, and gives up after MAX_ATTEMPTS", async () => {
    await configure(
      [
        channel({
          id: "wh",
          type: "webhook",
          url: WEBHOOK_URL,
          secret: "webhook-hmac-secret",
          events: ["review_rejected"],
        }),
      ],
      ALL_EVENTS,
    );
    const t = await team();
    const st = await subTaskInReview(t);
    await ok(review(t, st.id, "rejected", 1, "broken"));
    await expectUndelivered();

    // Every kind of failure: 5xx, a network error naming the URL, a timeout, 429, a redirect, 503.
    const failures: Answer[] = [
      new Response("internal error", { status: 500 }),
      new TypeError(`Network connection lost while calling ${WEBHOOK_URL}`),
      new DOMException("The operation was aborted due to timeout", "TimeoutError"),
      new Response("slow down", { status: 429 }),
      new Response(null, { status: 302, headers: { location: "https://elsewhere.example.com/" } }),
      new Response("unavailable", { status: 503 }),
    ];
    expect(failures).toHaveLength(MAX_ATTEMPTS);
    const { fetcher, sent } = fakeFetch((_req, n) => failures[n] ?? new Error("called too often"));

    let now = T0;
    expect(await dispatch(new Date(now), fetcher)).toEqual(summary({ fannedOut: 1, attempted: 1, failed: 1 }));
    const deliveryId = (await deliveries())[0]!.id;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const delay = retryDelayMs(attempt);
      expect(await deliveries()).toEqual([
        expect.objectContaining({
          status: "pending",
          attempts: attempt,
          next_attempt_at: new Date(now + delay).toISOString(),
          lease_until: null,
        }),
      ]);
      // Just before the next attempt is due: nothing is sent.
      expect(await dispatch(new Date(now + delay - 1), fetcher)).toEqual(summary({}));
      expect(sent).toHaveLength(attempt);
      now += delay;
      const last = attempt + 1 === MAX_ATTEMPTS;
      expect(await dispatch(new Date(now), fetcher)).toEqual(
        summary({ attempted: 1, failed: 1, gaveUp: last ? 1 : 0 }),
      );
      expect(sent).toHaveLength(attempt + 1);
    }
    // Waits were 1, 2, 4, 8, 16 minutes.
    expect(now - T0).toBe(31 * MIN);

    const [gaveUp] = await deliveries();
    expect(gaveUp).toMatchObject({
      id: deliveryId,
      status: "gave_up",
      attempts: MAX_ATTEMPTS,
      lease_until: null,
      last_error: "receiver.example.com: HTTP 503: unavailable",
    });
    const as = await attempts();
    expect(as.map((a) => [a.ok, a.status_code, a.error])).toEqual([
      [0, 500, "receiver.example.com: HTTP 500: internal error"],
      [0, null, "receiver.example.com: TypeError: Network connection lost while calling receiver.example.com"],
      [0, null, "receiver.example.com: timed out after 10 s"],
      [0, 429, "receiver.example.com: HTTP 429: slow down"],
      [0, 302, "receiver.example.com: HTTP 302"],
      [0, 503, "receiver.example.com: HTTP 503: unavailable"],
    ]);
    expect(as.every((a) => a.delivery_id === deliveryId && a.duration_ms >= 0)).toBe(true);
    // Neither the URL's query (a secret of its own) nor the signing secret is stored.
    const stored = JSON.stringify([as, await deliveries()]);
    expect(stored).not.toContain("query-secret");
    expect(stored).not.toContain("/openmoss");
    expect(stored).not.toContain("webhook-hmac-secret");

    // Given up: never tried again.
    expect(await dispatch(new Date(now + 24 * 60 * MIN), fetcher)).toEqual(summary({}));
    expect(sent).toHaveLength(MAX_ATTEMPTS);
  });

  it("Feishu's 200 with a non-zero code is a failure; the retry that succeeds is the last one", async () => {
    await configure(
      [channel({ id: "fs", type: "feishu", url: FEISHU_URL, secret: "s", events: ["review_rejected"] })],
      [],
    );
    const t = await team();
    const st = await subTaskInReview(t);
    await ok(review(t, st.id, "rejected", 2, "x"));

    const { fetcher, sent } = fakeFetch((_req, n) =>
      n === 0
        ? Response.json({ code: 19021, msg: "sign match fail or timestamp is not within one hour from current time" })
        : Response.json({ code: 0, msg: "success" }),
    );
    expect(await dispatch(at(0), fetcher)).toEqual(summary({ fannedOut: 1, attempted: 1, failed: 1 }));
    expect((await deliveries())[0]).toMatchObject({
      status: "pending",
      attempts: 1,
      last_error:
        "open.feishu.cn: Feishu code 19021: sign match fail or timestamp is not within one hour from current time",
    });
    expect(await dispatch(at(MIN), fetcher)).toEqual(summary({ attempted: 1, sent: 1 }));
    // Each attempt is signed for its own time.
    expect(sent.map((r) => JSON.parse(r.body).timestamp)).toEqual([String(T0 / 1000), String((T0 + MIN) / 1000)]);
    expect((await deliveries())[0]).toMatchObject({ status: "sent", attempts: 2, last_error: null });
    expect((await attempts()).map((a) => [a.ok, a.status_code])).toEqual([
      [0, 200],
      [1, 200],
    ]);

    expect(await dispatch(at(2 * 60 * MIN), fetcher)).toEqual(summary({}));
    expect(sent).toHaveLength(2);
  });

  it("dispatchers running at once send each delivery exactly once", async () => {
    await configure(
      [
        channel({ id: "sl", type: "slack", url: SLACK_URL }),
        channel({ id: "wh", type: "webhook", url: WEBHOOK_URL }),
        channel({ id: "fs", type: "feishu", url: FEISHU_URL }),
      ],
      ALL_EVENTS,
    );
    const t = await team();
    await fullCycle(t); // 5 events
    // 20 more: more deliveries than one dispatcher claims at a time.
    const task = await ok(
      call("POST", "/api/tasks", { key: t.planner.key, body: { name: "bulk", description: "d", type: "once" } }),
    );
    for (let i = 0; i < 20; i++) {
      const st = await ok(
        call("POST", "/api/sub-tasks", {
          key: t.planner.key,
          body: {
            task_id: task.id,
            name: `part ${i}`,
            description: "d",
            deliverable: "d",
            acceptance: "a",
            priority: "medium",
            type: "once",
          },
        }),
      );
      await ok(call("POST", `/api/sub-tasks/${st.id}/claim`, { key: t.exec.key, body: {} }));
      await ok(call("POST", `/api/sub-tasks/${st.id}/start`, { key: t.exec.key, body: {} }));
      await ok(call("POST", `/api/sub-tasks/${st.id}/submit`, { key: t.exec.key }));
    }
    await expectUndelivered();
    expect(await outbox()).toHaveLength(25);
    const total = 25 * 3;

    const { fetcher, sent } = fakeFetch(() => new Response("ok"), 2);
    const runs = await Promise.all([dispatch(at(0), fetcher), dispatch(at(0), fetcher), dispatch(at(1), fetcher)]);
    // Whatever the first round left (claims are bounded), one more round at the same time sends.
    runs.push(await dispatch(at(1), fetcher));
    const sum = (k: keyof DispatchSummary) => runs.reduce((n, r) => n + r[k], 0);
    expect(sum("fannedOut")).toBe(25);
    expect(sum("sent")).toBe(total);
    expect(sum("attempted")).toBe(total);
    expect(sent).toHaveLength(total);
    // Each channel got each event once.
    for (const url of [SLACK_URL, WEBHOOK_URL, FEISHU_URL]) expect(sent.filter((r) => r.url === url)).toHaveLength(25);
    const ids = sent.filter((r) => r.url === WEBHOOK_URL).map((r) => r.headers["x-openmoss-delivery"]);
    expect(new Set(ids).size).toBe(25);
    const ds = await deliveries();
    expect(ds).toHaveLength(total);
    expect(ds.every((d) => d.status === "sent" && d.attempts === 1 && d.lease_until === null)).toBe(true);
    const perDelivery = new Map<string, number>();
    for (const a of await attempts()) perDelivery.set(a.delivery_id, (perDelivery.get(a.delivery_id) ?? 0) + 1);
    expect(perDelivery.size).toBe(total);
    expect([...perDelivery.values()].every((n) => n === 1)).toBe(true);

    // And again, racing with later clocks: nothing left to send.
    const again = await Promise.all([dispatch(at(MIN), fetcher), dispatch(at(2 * MIN), fetcher)]);
    expect(again).toEqual([summary({}), summary({})]);
    expect(sent).toHaveLength(total);
    await expectInvariants();
  });

  it("a dispatcher that is holding a delivery keeps it from another until its lease runs out", async () => {
    await configure([channel({ id: "sl", type: "slack", url: SLACK_URL })], ["review_rejected"]);
    const t = await team();
    const st = await subTaskInReview(t);
    await ok(review(t, st.id, "rejected", 2, "issue"));

    // The first dispatcher's request hangs until released; a second one at the same time finds nothing.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = fakeFetch();
    const hanging = (async (input: RequestInfo | URL, init?: RequestInit) => {
      await gate;
      return slow.fetcher(input, init);
    }) as typeof fetch;
    const first = dispatch(at(0), hanging);
    await new Promise((r) => setTimeout(r, 50));
    const other = fakeFetch();
    expect(await dispatch(at(30_000), other.fetcher)).toEqual(summary({}));
    expect(other.sent).toHaveLength(0);
    release();
    expect(await first).toEqual(summary({ fannedOut: 1, attempted: 1, sent: 1 }));
    expect(await dispatch(at(2 * MIN), other.fetcher)).toEqual(summary({}));
    expect(other.sent).toHaveLength(0);

    // A dispatcher that died holding a delivery: the delivery waits out the lease, then goes.
    await ok(call("POST", `/api/sub-tasks/${st.id}/start`, { key: t.exec.key, body: {} }));
    await ok(call("POST", `/api/sub-tasks/${st.id}/submit`, { key: t.exec.key }));
    await ok(review(t, st.id, "rejected", 1, "still wrong"));
    expect(await dispatch(at(3 * MIN), other.fetcher)).toEqual(summary({ fannedOut: 1, attempted: 1, sent: 1 }));
    const orphanId = crypto.randomUUID();
    // A delivery of the first rejection to a second channel, leased until minute 4 by a dispatcher that never finished.
    const rejection = (await outbox()).find((r) => r.event === "review_rejected")!;
    await env.DB.prepare(
      "insert into notification_delivery (id, outbox_id, channel_id, status, attempts, next_attempt_at, lease_until, created_at, updated_at) values (?, ?, 'sl2', 'pending', 0, ?, ?, ?, ?)",
    )
      .bind(
        orphanId,
        rejection.id,
        at(3 * MIN).toISOString(),
        at(4 * MIN).toISOString(),
        at(3 * MIN).toISOString(),
        at(3 * MIN).toISOString(),
      )
      .run();
    await configure(
      [
        channel({ id: "sl", type: "slack", url: SLACK_URL }),
        channel({ id: "sl2", type: "slack", url: `${SLACK_URL}2` }),
      ],
      ["review_rejected"],
    );
    expect(await dispatch(at(4 * MIN - 1), other.fetcher)).toEqual(summary({}));
    expect(await dispatch(at(4 * MIN + 1), other.fetcher)).toEqual(summary({ attempted: 1, sent: 1 }));
    expect(other.sent.map((r) => r.url)).toEqual([SLACK_URL, `${SLACK_URL}2`]);
    expect((await deliveries()).find((d) => d.id === orphanId)).toMatchObject({
      status: "sent",
      attempts: 1,
      lease_until: null,
    });
  });

  it("a disabled channel, or an event a channel does not want, gets no delivery", async () => {
    await configure(
      [
        channel({ id: "global", type: "slack", url: SLACK_URL }), // follows notification.events
        channel({ id: "off", type: "webhook", url: WEBHOOK_URL, enabled: false }),
        channel({ id: "done-only", type: "feishu", url: FEISHU_URL, events: ["all_done"] }),
      ],
      ["review_rejected"],
    );
    const t = await team();
    await fullCycle(t);
    await expectUndelivered();

    const { fetcher, sent } = fakeFetch(() => Response.json({ code: 0 }));
    expect(await dispatch(at(0), fetcher)).toEqual(summary({ fannedOut: 2, attempted: 2, sent: 2 }));
    expect(await routed()).toEqual(["done-only:all_done", "global:review_rejected"]);
    expect(sent.map((r) => r.url).sort()).toEqual([FEISHU_URL, SLACK_URL].sort());
    expect((await outbox()).every((r) => r.fanned_out_at !== null)).toBe(true);
  });

  it("an event no channel wants writes no outbox row: notifications off, channel disabled, or not subscribed", async () => {
    await configure([channel({ id: "sl", type: "slack", url: SLACK_URL })], ALL_EVENTS, false);
    const t = await team();
    await fullCycle(t);
    expect(await outbox()).toEqual([]);

    // On, but the only channel is disabled or wants another event: still nothing queued.
    await configure([channel({ id: "sl", type: "slack", url: SLACK_URL, enabled: false })], ALL_EVENTS, true);
    await subTaskInReview(t, "second", "second one");
    await configure([channel({ id: "sl", type: "slack", url: SLACK_URL, events: ["patrol_alert"] })], ALL_EVENTS, true);
    await subTaskInReview(t, "third", "third one");
    expect(await outbox()).toEqual([]);

    // Turning them on later does not send the events raised while off; the next event is queued and sent.
    await configure([channel({ id: "sl", type: "slack", url: SLACK_URL })], ALL_EVENTS, true);
    const { fetcher, sent } = fakeFetch();
    expect(await dispatch(at(0), fetcher)).toEqual(summary({}));
    await subTaskInReview(t, "fourth", "fourth one");
    expect((await outbox()).map((r) => r.event)).toEqual(["sub_task_submitted"]);
    expect(await dispatch(at(MIN), fetcher)).toEqual(summary({ fannedOut: 1, attempted: 1, sent: 1 }));
    expect(sent).toHaveLength(1);
  });

  it("a delivery whose channel was removed or disabled since gives up without a request", async () => {
    await configure(
      [
        channel({ id: "gone", type: "slack", url: SLACK_URL, events: ["review_rejected"] }),
        channel({ id: "paused", type: "webhook", url: WEBHOOK_URL, events: ["review_rejected"] }),
      ],
      [],
    );
    const t = await team();
    const st = await subTaskInReview(t);
    await ok(review(t, st.id, "rejected", 2, "issue"));
    const failing = fakeFetch(() => new Response("down", { status: 500 }));
    expect(await dispatch(at(0), failing.fetcher)).toEqual(summary({ fannedOut: 1, attempted: 2, failed: 2 }));

    await configure(
      [channel({ id: "paused", type: "webhook", url: WEBHOOK_URL, events: ["review_rejected"], enabled: false })],
      [],
    );
    const { fetcher, sent } = fakeFetch();
    expect(await dispatch(at(MIN), fetcher)).toEqual(summary({ gaveUp: 2 }));
    expect(sent).toEqual([]);
    const byChannel = Object.fromEntries((await deliveries()).map((d) => [d.channel_id, d]));
    expect(byChannel.gone).toMatchObject({
      status: "gave_up",
      attempts: 1,
      last_error: "channel removed",
      lease_until: null,
    });
    expect(byChannel.paused).toMatchObject({
      status: "gave_up",
      attempts: 1,
      last_error: "channel disabled",
      lease_until: null,
    });
    expect(await attempts()).toHaveLength(2);
  });

  it("after a failure, the channel's other deliveries wait for the next run instead of hitting the dead endpoint", async () => {
    await configure([channel({ id: "wh", type: "webhook", url: WEBHOOK_URL })], ["sub_task_submitted"]);
    const t = await team();
    for (let i = 0; i < 3; i++) await subTaskInReview(t, `task ${i}`, `sub-task ${i}`);
    const { fetcher, sent } = fakeFetch((_req, n) =>
      n === 0 ? new Response("down", { status: 502 }) : new Response("ok"),
    );
    expect(await dispatch(at(0), fetcher)).toEqual(summary({ fannedOut: 3, attempted: 1, failed: 1, deferred: 2 }));
    expect((await deliveries()).map((d) => [d.status, d.attempts, d.lease_until])).toEqual([
      ["pending", 1, null],
      ["pending", 0, null],
      ["pending", 0, null],
    ]);
    // The next run sends the two that waited; the failed one is not due for another minute.
    expect(await dispatch(at(1000), fetcher)).toEqual(summary({ attempted: 2, sent: 2 }));
    expect(await dispatch(at(MIN), fetcher)).toEqual(summary({ attempted: 1, sent: 1 }));
    expect(sent.map((r) => JSON.parse(r.body).data.task.name)).toEqual(["task 0", "task 1", "task 2", "task 0"]);
  });

  it("outbox rows are written with the transition that caused them, and a refused transition writes none", async () => {
    await configure([channel({ id: "sl", type: "slack", url: SLACK_URL })], ALL_EVENTS);
    const t = await team();
    const st = await subTaskInReview(t);
    const submittedAt = await env.DB.prepare(
      "select created_at from sub_task_event where sub_task_id = ? and op = 'submit'",
    )
      .bind(st.id)
      .first<string>("created_at");
    expect((await outbox()).map((r) => [r.event, r.created_at])).toEqual([["sub_task_submitted", submittedAt]]);

    // Refused: submitting again, and approving twice.
    const again = await call("POST", `/api/sub-tasks/${st.id}/submit`, { key: t.exec.key });
    expect(again.status).toBe(409);
    await ok(review(t, st.id, "approved", 5));
    const twice = await review(t, st.id, "approved", 4);
    expect(twice.status).toBe(409);
    // An executor may not review at all.
    expect(
      (
        await call("POST", "/api/review-records", {
          key: t.exec.key,
          body: { sub_task_id: st.id, result: "approved", score: 5, issues: "", comment: "" },
        })
      ).status,
    ).toBe(403);

    expect((await outbox()).map((r) => r.event)).toEqual(["sub_task_submitted", "task_completed", "all_done"]);
    const reviews = await env.DB.prepare("select count(*) as n from review_record").first<number>("n");
    expect(reviews).toBe(1);
    await expectInvariants();
  });
});
