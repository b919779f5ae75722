// Live push (docs/live.md): the WebSocket upgrade and its auth, change notices after agent and admin
// writes and after a cron run, coalescing, and the sockets the hub closes on purpose. Every socket is
// opened through the Worker's real fetch handler (→ route → LiveHub Durable Object).
import { createScheduledController } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import worker from "../worker/index";
import { liveHub } from "../worker/lib/live";
import { call, env, initialize, register, type TestAgent } from "./helpers";

interface Notice {
  type: string;
  topics: string[];
  at: string;
}

interface Live {
  ws: WebSocket;
  notices: Notice[];
  /** Raw text frames that were not notices (e.g. "pong"). */
  other: string[];
  /** The hub's greeting, the first frame. */
  hello: Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the first notice (already received or coming) that matches; fails after `ms`. */
  next: (match: (n: Notice) => boolean, ms?: number) => Promise<Notice>;
}

const opened: WebSocket[] = [];

function upgrade(path: string, protocols: string[] | null, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(
    new Request(`https://openmoss.test${path}`, {
      headers: {
        upgrade: "websocket",
        ...(protocols ? { "sec-websocket-protocol": protocols.join(", ") } : {}),
        ...headers,
      },
    }),
  );
}

async function connect(path: string, protocols: string[]): Promise<Live> {
  const res = await upgrade(path, protocols);
  if (res.status !== 101) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
  expect(res.headers.get("sec-websocket-protocol")).toBe("openmoss.v1");
  const ws = res.webSocket!;
  ws.accept();
  opened.push(ws);
  const notices: Notice[] = [];
  const other: string[] = [];
  const waiters = new Set<() => void>();
  let greeted: (h: Record<string, unknown>) => void = () => {};
  const hello = new Promise<Record<string, unknown>>((resolve) => (greeted = resolve));
  ws.addEventListener("message", (e) => {
    const text = String(e.data);
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      other.push(text);
    }
    if (parsed?.type === "hello") greeted(parsed);
    else if (parsed) notices.push(parsed as unknown as Notice);
    for (const w of waiters) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })),
  );
  const next = (match: (n: Notice) => boolean, ms = 3000) =>
    new Promise<Notice>((resolve, reject) => {
      let seen = 0;
      const check = () => {
        for (; seen < notices.length; seen++) {
          if (match(notices[seen]!)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(notices[seen]!);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching notice within ${ms} ms; got ${JSON.stringify(notices)}`));
      }, ms);
      waiters.add(check);
      check();
    });
  return { ws, notices, other, hello, closed, next };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const has =
  (...topics: string[]) =>
  (n: Notice) =>
    n.type === "changed" && topics.every((t) => n.topics.includes(t));
const setFeed = (admin: string, on: boolean) =>
  call("PUT", "/api/admin/config", { admin, body: { webui: { public_feed: on } } });

let admin: string;
let planner: TestAgent, exec: TestAgent;
let taskId: string;

beforeEach(async () => {
  admin = await initialize();
  [planner, exec] = await Promise.all([register("planner"), register("executor")]);
  taskId = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "Live task" } })).body.id;
});

afterEach(async () => {
  for (const ws of opened.splice(0)) {
    try {
      ws.close(1000, "test over");
    } catch {
      // already closed
    }
  }
  // Let the hub see the closes before the next test counts its sockets.
  await sleep(50);
});

async function newSubTask(): Promise<string> {
  const res = await call("POST", "/api/sub-tasks", {
    key: planner.key,
    body: { task_id: taskId, name: "live sub-task" },
  });
  expect(res.status).toBe(200);
  return res.body.id;
}

describe("the WebSocket upgrade", () => {
  it("refuses anything but an authenticated upgrade with a JSON {detail, code}", async () => {
    const logRows = () =>
      env.DB.prepare("select * from request_log")
        .all()
        .then((r) => JSON.stringify(r.results));
    const logBefore = await logRows();
    const cases: [string, Promise<Response>, number, string][] = [
      ["plain GET", exports.default.fetch(new Request("http://openmoss.test/api/admin/live")), 426, "upgrade_required"],
      ["no subprotocol", upgrade("/api/admin/live", null), 400, "unsupported_protocol"],
      ["other subprotocol only", upgrade("/api/admin/live", ["chat", `token.${admin}`]), 400, "unsupported_protocol"],
      ["no session", upgrade("/api/admin/live", ["openmoss.v1"]), 401, "missing_credentials"],
      ["wrong session", upgrade("/api/admin/live", ["openmoss.v1", `token.${"0".repeat(64)}`]), 401, "invalid_session"],
      ["public feed off", upgrade("/api/feed/live", ["openmoss.v1"]), 403, "feed_disabled"],
    ];
    for (const [label, pending, status, code] of cases) {
      const res = await pending;
      expect(res.status, label).toBe(status);
      expect(res.webSocket, label).toBeNull();
      expect(await res.json(), label).toMatchObject({ code, detail: expect.any(String) });
    }
    // Upgrades are not agent calls: the request log has no row of them, and so never the token.
    expect(await logRows()).toBe(logBefore);
    expect(logBefore).not.toContain(admin);
  });

  it("with CORS_ORIGINS set, refuses a browser origin outside the list and accepts the Worker's own", async () => {
    const previous = env.CORS_ORIGINS;
    env.CORS_ORIGINS = "https://dash.example.com";
    try {
      const foreign = await upgrade("/api/admin/live", ["openmoss.v1", `token.${admin}`], {
        origin: "https://evil.example.com",
      });
      expect(foreign.status).toBe(403);
      expect(await foreign.json()).toMatchObject({ code: "origin_not_allowed" });
      for (const origin of ["https://dash.example.com", "https://openmoss.test"]) {
        const ok = await upgrade("/api/admin/live", ["openmoss.v1", `token.${admin}`], { origin });
        expect(ok.status, origin).toBe(101);
        ok.webSocket!.accept();
        opened.push(ok.webSocket!);
      }
    } finally {
      env.CORS_ORIGINS = previous;
    }
  });

  it("greets the socket, answers the client's ping with pong and closes a socket that sends anything else", async () => {
    const live = await connect("/api/admin/live", ["openmoss.v1", `token.${admin}`]);
    expect(await live.hello).toMatchObject({ type: "hello", v: 1, audience: "admin" });
    live.ws.send("ping");
    await expect.poll(() => live.other, { timeout: 2000 }).toContain("pong");
    live.ws.send("hello?");
    expect((await live.closed).code).toBe(1008);
  });
});

describe("change notices", () => {
  it("tells an admin socket when an agent moves a sub-task, naming topics only", async () => {
    const live = await connect("/api/admin/live", ["openmoss.v1", `token.${admin}`]);
    expect(await liveHub(env).connections()).toMatchObject({ admin: 1 });
    const id = await newSubTask();
    await live.next(has("sub_tasks", "tasks"));
    const before = live.notices.length;

    const claim = await call("POST", `/api/sub-tasks/${id}/claim`, { key: exec.key });
    expect(claim.status).toBe(200);
    const notice = await live.next(
      (n) => live.notices.indexOf(n) >= before && has("sub_tasks", "tasks", "scores", "requests")(n),
    );
    // Nothing but the topic names and a time: no ids, names or tokens.
    expect(Object.keys(notice).sort()).toEqual(["at", "topics", "type"]);
    expect(Date.parse(notice.at)).not.toBeNaN();
    expect(JSON.stringify(live.notices)).not.toContain(id);
  });

  it("tells it about activity logs and admin writes too, and a failed write only as a logged request", async () => {
    const live = await connect("/api/admin/live", ["openmoss.v1", `token.${admin}`]);
    expect(
      (await call("POST", "/api/logs", { key: exec.key, body: { action: "coding", summary: "wrote code" } })).status,
    ).toBe(200);
    await live.next(has("logs", "requests"));

    expect(
      (
        await call("POST", "/api/admin/scores/adjust", {
          admin,
          body: { agent_id: exec.id, score_delta: 3, reason: "bonus" },
        })
      ).status,
    ).toBe(200);
    await live.next(has("scores", "agents"));

    // A refused claim changes nothing; it is still a logged agent call, so the feed hears of it.
    await sleep(300);
    const from = live.notices.length;
    expect((await call("POST", "/api/sub-tasks/no-such-id/claim", { key: exec.key })).status).toBe(404);
    const n = await live.next((x) => live.notices.indexOf(x) >= from && x.topics.includes("requests"));
    expect(n.topics).toEqual(["requests"]);
  });

  it("coalesces a burst: 40 writes reach a browser as a handful of notices", async () => {
    const live = await connect("/api/admin/live", ["openmoss.v1", `token.${admin}`]);
    await sleep(300);
    const started = Date.now();
    const writes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call("POST", "/api/logs", { key: exec.key, body: { action: "coding", summary: `step ${i}` } }),
      ),
    );
    expect(writes.every((w) => w.status === 200)).toBe(true);
    const finished = Date.now();
    // The last write is announced: a notice sent after it finished.
    await live.next((n) => n.topics.includes("logs") && Date.parse(n.at) >= finished - 5);
    await sleep(600);
    const elapsed = Date.now() - started;
    const changed = live.notices;
    // At most one broadcast per 250 ms window (plus the leading one).
    expect(changed.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
    expect(changed.length).toBeLessThan(40);
    for (let i = 1; i < changed.length; i++) {
      expect(Date.parse(changed[i]!.at) - Date.parse(changed[i - 1]!.at)).toBeGreaterThanOrEqual(240);
    }
    console.log(`[live] 40 concurrent writes in ${finished - started} ms → ${changed.length} notices`);
  });

  it("publishes after a cron run that opened a patrol record, and stays quiet after one that changed nothing", async () => {
    const live = await connect("/api/admin/live", ["openmoss.v1", `token.${admin}`]);
    const id = await newSubTask();
    for (const op of ["claim", "start"])
      expect((await call("POST", `/api/sub-tasks/${id}/${op}`, { key: exec.key })).status).toBe(200);
    const now = Date.now();
    const runCron = () => worker.scheduled(createScheduledController({ scheduledTime: now, cron: "* * * * *" }), env);

    await sleep(300);
    let from = live.notices.length;
    await runCron();
    await sleep(400);
    expect(live.notices.slice(from)).toEqual([]);

    await env.DB.prepare("update sub_task set started_at = ? where id = ?")
      .bind(new Date(now - 61 * 60_000).toISOString(), id)
      .run();
    from = live.notices.length;
    await runCron();
    const notice = await live.next((n) => live.notices.indexOf(n) >= from && n.topics.includes("patrol"));
    expect(notice.topics).toEqual(expect.arrayContaining(["patrol", "logs"]));
  });
});

describe("the public feed's socket", () => {
  it("opens only while the feed is on, hears only public topics, and is closed when the feed goes off", async () => {
    expect((await setFeed(admin, true)).status).toBe(200);
    const visitor = await connect("/api/feed/live", ["openmoss.v1"]);
    expect(await visitor.hello).toMatchObject({ type: "hello", audience: "public-feed" });
    const adminLive = await connect("/api/admin/live", ["openmoss.v1", `token.${admin}`]);
    expect(await liveHub(env).connections()).toEqual({ admin: 1, "public-feed": 1 });
    // Notices of the set-up writes (still being coalesced) go by first.
    await sleep(500);
    const from = visitor.notices.length;

    expect(
      (await call("POST", "/api/logs", { key: exec.key, body: { action: "coding", summary: "private note" } })).status,
    ).toBe(200);
    await adminLive.next(has("logs", "requests"));
    const seen = await visitor.next((n) => visitor.notices.indexOf(n) >= from && has("requests")(n));
    // The activity journal is admin-only: a visitor learns that a request happened, nothing more.
    expect(seen.topics).toEqual(["requests"]);

    // A write a visitor cannot see reaches the admin but not the visitor.
    await sleep(300);
    const quiet = visitor.notices.length;
    expect((await call("POST", "/api/admin/tasks", { admin, body: { name: "admin-made" } })).status).toBe(200);
    await adminLive.next(has("tasks"));
    await sleep(300);
    expect(
      visitor.notices
        .slice(quiet)
        .every((n) => n.topics.every((t) => ["requests", "agents", "scores", "sub_tasks"].includes(t))),
    ).toBe(true);

    expect((await setFeed(admin, false)).status).toBe(200);
    expect(await visitor.closed).toEqual({ code: 4003, reason: "the public feed is off" });
    // The admin's socket stays.
    await adminLive.next(has("settings"));
    expect(await liveHub(env).connections()).toMatchObject({ admin: 1, "public-feed": 0 });
    expect((await upgrade("/api/feed/live", ["openmoss.v1"])).status).toBe(403);
  });
});

describe("admin sessions", () => {
  it("a logout closes that session's sockets with 4001 and leaves the other sessions' open", async () => {
    const other = await (await import("./helpers")).login();
    const mine = await connect("/api/admin/live", ["openmoss.v1", `token.${admin}`]);
    const theirs = await connect("/api/admin/live", ["openmoss.v1", `token.${other}`]);
    expect((await call("POST", "/api/admin/logout", { admin })).status).toBe(200);
    expect((await mine.closed).code).toBe(4001);
    expect(await liveHub(env).connections()).toMatchObject({ admin: 1 });
    // The remaining socket still hears changes.
    await newSubTask();
    await theirs.next(has("sub_tasks"));
  });
});
