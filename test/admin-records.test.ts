import { describe, expect, it } from "vitest";
import { type CallOptions, call, dbSnapshot, env, initialize, register, type TestAgent } from "./helpers";

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

const get = (admin: string, path: string, query?: CallOptions["query"]) => call("GET", path, { admin, query });
const auditRows = async () =>
  (
    await env.DB.prepare("select action, target_type, target_id, detail from audit_log order by rowid").all<{
      action: string;
      target_type: string;
      target_id: string;
      detail: string;
    }>()
  ).results;
const n = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

async function setScore(a: TestAgent, score: number) {
  await env.DB.prepare("update agent set total_score = ? where id = ?").bind(score, a.id).run();
}

async function insertReward(
  agentId: string,
  delta: number,
  reason: string,
  createdAt: string,
  subTaskId: string | null = null,
) {
  await env.DB.prepare(
    "insert into reward_log (id, agent_id, sub_task_id, reason, score_delta, created_at) values (?, ?, ?, ?, ?, ?)",
  )
    .bind(crypto.randomUUID(), agentId, subTaskId, reason, delta, createdAt)
    .run();
}

async function insertActivity(
  agentId: string,
  action: string,
  summary: string,
  createdAt: string,
  subTaskId: string | null = null,
) {
  await env.DB.prepare(
    "insert into activity_log (id, agent_id, sub_task_id, action, summary, created_at) values (?, ?, ?, ?, ?, ?)",
  )
    .bind(crypto.randomUUID(), agentId, subTaskId, action, summary, createdAt)
    .run();
}

/** A task with a module and a sub-task, driven through a real review by `reviewer`. */
async function reviewedSubTask(
  planner: TestAgent,
  exec: TestAgent,
  reviewer: TestAgent,
  taskName: string,
  result: "approved" | "rejected",
) {
  const task = (await call("POST", "/api/tasks", { key: planner.key, body: { name: taskName } })).body;
  const mod = (
    await call("POST", `/api/tasks/${task.id}/modules`, { key: planner.key, body: { name: `${taskName} module` } })
  ).body;
  const st = (
    await call("POST", "/api/sub-tasks", {
      key: planner.key,
      body: {
        task_id: task.id,
        module_id: mod.id,
        name: `${taskName} sub`,
        description: "do it",
        deliverable: "a file",
        acceptance: "tests pass",
      },
    })
  ).body;
  for (const op of ["claim", "start", "submit"])
    expect((await call("POST", `/api/sub-tasks/${st.id}/${op}`, { key: exec.key, body: {} })).status).toBe(200);
  const body =
    result === "approved"
      ? { sub_task_id: st.id, result, score: 5, comment: "great work" }
      : { sub_task_id: st.id, result, score: 2, issues: "missing tests" };
  const review = await call("POST", "/api/review-records", { key: reviewer.key, body });
  expect(review.status).toBe(200);
  return { taskId: task.id, moduleId: mod.id, subTaskId: st.id, reviewId: review.body.id as string };
}

describe("admin record endpoints need an admin session", () => {
  it("answer 401 without a token, with an agent key and with an expired session", async () => {
    const admin = await initialize();
    const a = await register("executor");
    const endpoints: [string, string, unknown?][] = [
      ["GET", "/api/admin/review-records"],
      ["GET", "/api/admin/review-records/some-id"],
      ["GET", "/api/admin/scores/summary"],
      ["GET", "/api/admin/scores/leaderboard"],
      ["GET", "/api/admin/scores/logs"],
      ["POST", "/api/admin/scores/adjust", { agent_id: a.id, score_delta: 5, reason: "r" }],
      ["GET", "/api/admin/logs"],
    ];
    for (const [method, path, body] of endpoints) {
      const none = await call(method, path, { body });
      expect([path, none.status, none.body.code]).toEqual([path, 401, "missing_credentials"]);
      expect((await call(method, path, { body, key: a.key })).status).toBe(401);
    }
    await env.DB.prepare("update admin_session set expires_at = ?").bind(ago(MIN)).run();
    for (const [method, path, body] of endpoints) {
      const expired = await call(method, path, { body, admin });
      expect([path, expired.status, expired.body.code]).toEqual([path, 401, "invalid_session"]);
    }
    expect(await n("select count(*) n from reward_log")).toBe(0);
    expect(await auditRows()).toEqual([]);
  });
});

describe("GET /api/admin/review-records", () => {
  it("lists reviews with task, module, sub-task and agent names; filters; shows one with the sub-task's brief", async () => {
    const admin = await initialize();
    const planner = await register("planner");
    const exec = await register("executor", "Exec Ada");
    const exec2 = await register("executor", "Exec Bob");
    const reviewer = await register("reviewer", "Rita Reviewer");
    const first = await reviewedSubTask(planner, exec, reviewer, "Alpha", "approved");
    const second = await reviewedSubTask(planner, exec2, reviewer, "Beta", "rejected");
    await env.DB.prepare("update review_record set created_at = ?, rework_agent = ? where id = ?")
      .bind(ago(5 * DAY), exec.id, second.reviewId)
      .run();

    const list = await get(admin, "/api/admin/review-records");
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 2, page: 1, page_size: 20, total_pages: 1, has_more: false });
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([first.reviewId, second.reviewId]);
    expect(list.body.items[0]).toEqual({
      id: first.reviewId,
      task_id: first.taskId,
      task_name: "Alpha",
      module_id: first.moduleId,
      module_name: "Alpha module",
      sub_task_id: first.subTaskId,
      sub_task_name: "Alpha sub",
      reviewer_agent: reviewer.id,
      reviewer_agent_name: "Rita Reviewer",
      round: 1,
      result: "approved",
      score: 5,
      issues: "",
      comment: "great work",
      rework_agent: null,
      rework_agent_name: null,
      created_at: expect.any(String),
    });
    expect(list.body.items[1]).toMatchObject({
      rework_agent: exec.id,
      rework_agent_name: "Exec Ada",
      result: "rejected",
    });

    const ids = async (query: CallOptions["query"]) =>
      (await get(admin, "/api/admin/review-records", query)).body.items.map((r: { id: string }) => r.id);
    expect(await ids({ sort_order: "asc" })).toEqual([second.reviewId, first.reviewId]);
    expect(await ids({ task_id: second.taskId })).toEqual([second.reviewId]);
    expect(await ids({ sub_task_id: first.subTaskId })).toEqual([first.reviewId]);
    expect(await ids({ result: "rejected" })).toEqual([second.reviewId]);
    expect(await ids({ reviewer_agent: reviewer.id })).toHaveLength(2);
    expect(await ids({ reviewer_agent: exec.id })).toEqual([]);
    expect(await ids({ days: 1 })).toEqual([first.reviewId]);
    // keyword: task name, sub-task name, comment, issues, reviewer or rework-agent name.
    expect(await ids({ keyword: "alpha" })).toEqual([first.reviewId]);
    expect(await ids({ keyword: "MISSING TESTS" })).toEqual([second.reviewId]);
    expect(await ids({ keyword: "great" })).toEqual([first.reviewId]);
    expect(await ids({ keyword: "rita" })).toHaveLength(2);
    expect(await ids({ keyword: "ada" })).toEqual([second.reviewId]);
    const paged = await get(admin, "/api/admin/review-records", { page_size: 1, page: 2 });
    expect(paged.body).toMatchObject({ total: 2, total_pages: 2, has_more: false });
    expect(paged.body.items.map((r: { id: string }) => r.id)).toEqual([second.reviewId]);

    const one = await get(admin, `/api/admin/review-records/${first.reviewId}`);
    expect(one.body).toEqual({
      ...list.body.items[0],
      sub_task_description: "do it",
      sub_task_deliverable: "a file",
      sub_task_acceptance: "tests pass",
    });
    const missing = await get(admin, "/api/admin/review-records/nope");
    expect([missing.status, missing.body.code]).toEqual([404, "review_not_found"]);
  });

  it("refuses bad filters with 400", async () => {
    const admin = await initialize();
    for (const query of [
      { result: "maybe" },
      { days: 0 },
      { sort_order: "newest" },
      { page_size: 0 },
      { page_size: 101 },
      { page: -1 },
    ]) {
      const res = await get(admin, "/api/admin/review-records", query);
      expect([query, res.status]).toEqual([query, 400]);
    }
  });
});

describe("admin scores", () => {
  it("summarizes scores (zeros when there are no agents)", async () => {
    const admin = await initialize();
    expect((await get(admin, "/api/admin/scores/summary")).body).toEqual({
      total_agents: 0,
      positive_score_agents: 0,
      zero_score_agents: 0,
      negative_score_agents: 0,
      top_score: 0,
      average_score: 0,
      last_score_at: null,
    });
    const [a, b, c] = [await register("executor"), await register("executor"), await register("planner")];
    await setScore(a, 10);
    await setScore(b, -3);
    await setScore(c, 0);
    await insertReward(a.id, 10, "x", "2026-03-01T10:00:00.000Z");
    await insertReward(b.id, -3, "y", "2026-03-02T10:00:00.000Z");
    expect((await get(admin, "/api/admin/scores/summary")).body).toEqual({
      total_agents: 3,
      positive_score_agents: 1,
      zero_score_agents: 1,
      negative_score_agents: 1,
      top_score: 10,
      average_score: 2.33,
      last_score_at: "2026-03-02T10:00:00.000Z",
    });
  });

  it("leaderboard: dense rank over all agents whatever the filter, ledger counts, filters and sorts", async () => {
    const admin = await initialize();
    const a = await register("executor", "ann");
    const b = await register("executor", "bob");
    const c = await register("reviewer", "cy");
    const d = await register("planner", "dee");
    await setScore(a, 20);
    await setScore(b, 20);
    await setScore(c, 5);
    await setScore(d, -1);
    await env.DB.prepare("update agent set status = 'disabled' where id = ?").bind(d.id).run();
    await insertReward(a.id, 25, "r", "2026-02-01T00:00:00.000Z");
    await insertReward(a.id, -5, "p", "2026-02-03T00:00:00.000Z");
    await insertReward(c.id, 5, "r", "2026-02-05T00:00:00.000Z");

    const board = await get(admin, "/api/admin/scores/leaderboard");
    expect(board.status).toBe(200);
    expect(board.body.total).toBe(4);
    // Ties on the sort key break by id ascending.
    const tied =
      a.id < b.id
        ? [
            ["ann", 1],
            ["bob", 1],
          ]
        : [
            ["bob", 1],
            ["ann", 1],
          ];
    expect(board.body.items.map((i: { agent_name: string; rank: number }) => [i.agent_name, i.rank])).toEqual([
      ...tied,
      ["cy", 2],
      ["dee", 3],
    ]);
    const ann = board.body.items.find((i: { agent_id: string }) => i.agent_id === a.id);
    expect(ann).toEqual({
      rank: 1,
      agent_id: a.id,
      agent_name: "ann",
      role: "executor",
      status: "active",
      total_score: 20,
      reward_count: 1,
      penalty_count: 1,
      total_records: 2,
      last_score_at: "2026-02-03T00:00:00.000Z",
      created_at: expect.any(String),
    });
    expect(board.body.items.find((i: { agent_id: string }) => i.agent_id === b.id)).toMatchObject({
      reward_count: 0,
      total_records: 0,
      last_score_at: null,
    });

    const names = async (query: CallOptions["query"]) =>
      (await get(admin, "/api/admin/scores/leaderboard", query)).body.items.map(
        (i: { agent_name: string; rank: number }) => `${i.agent_name}:${i.rank}`,
      );
    expect(await names({ role: "reviewer" })).toEqual(["cy:2"]);
    expect(await names({ status: "disabled" })).toEqual(["dee:3"]);
    expect(await names({ keyword: "DE" })).toEqual(["dee:3"]);
    expect(await names({ score_min: 0, score_max: 5 })).toEqual(["cy:2"]);
    expect(await names({ score_min: 5, score_max: 5 })).toEqual(["cy:2"]);
    expect(await names({ sort_by: "rank", sort_order: "desc" })).toEqual([
      "dee:3",
      "cy:2",
      ...(a.id < b.id ? ["ann:1", "bob:1"] : ["bob:1", "ann:1"]),
    ]);
    expect(await names({ sort_by: "last_score_at", sort_order: "desc", score_min: 1 })).toEqual([
      "cy:2",
      "ann:1",
      "bob:1",
    ]);
    const page2 = await get(admin, "/api/admin/scores/leaderboard", { page_size: 3, page: 2 });
    expect(page2.body).toMatchObject({ total: 4, total_pages: 2, has_more: false });
    expect(page2.body.items.map((i: { agent_name: string }) => i.agent_name)).toEqual(["dee"]);
    expect((await get(admin, "/api/admin/scores/leaderboard", { role: "planner", page: 5 })).body).toMatchObject({
      items: [],
      total: 1,
    });

    for (const query of [
      { score_min: 10, score_max: 1 },
      { sort_by: "nope" },
      { role: "ceo" },
      { score_min: "x" },
      { page_size: 0 },
    ]) {
      const res = await get(admin, "/api/admin/scores/leaderboard", query);
      expect([query, res.status]).toEqual([query, 400]);
    }
    expect((await get(admin, "/api/admin/scores/leaderboard", { score_min: 10, score_max: 1 })).body.code).toBe(
      "invalid_score_range",
    );
  });

  it("lists the ledger with agent names, by agent, sub-task, sign and reason keyword", async () => {
    const admin = await initialize();
    const a = await register("executor", "ann");
    const b = await register("executor", "bob");
    await insertReward(a.id, 5, "review score 5", "2026-01-01T00:00:00.000Z", "st-1");
    await insertReward(a.id, -5, "review score 1", "2026-01-02T00:00:00.000Z", "st-2");
    await insertReward(b.id, 3, "[admin adjustment] Helped", "2026-01-03T00:00:00.000Z");
    await insertReward("gone-agent", 1, "kept after delete", "2026-01-04T00:00:00.000Z");
    const logs = await get(admin, "/api/admin/scores/logs");
    expect(logs.body.total).toBe(4);
    expect(logs.body.items[0]).toEqual({
      id: expect.any(String),
      agent_id: "gone-agent",
      agent_name: null,
      sub_task_id: null,
      reason: "kept after delete",
      score_delta: 1,
      created_at: "2026-01-04T00:00:00.000Z",
    });
    expect(logs.body.items[1]).toMatchObject({ agent_id: b.id, agent_name: "bob", score_delta: 3 });
    const reasons = async (query: CallOptions["query"]) =>
      (await get(admin, "/api/admin/scores/logs", query)).body.items.map((i: { reason: string }) => i.reason);
    expect(await reasons({ agent_id: a.id, sort_order: "asc" })).toEqual(["review score 5", "review score 1"]);
    expect(await reasons({ sub_task_id: "st-2" })).toEqual(["review score 1"]);
    expect(await reasons({ score_sign: "negative" })).toEqual(["review score 1"]);
    expect(await reasons({ score_sign: "positive", keyword: "ADMIN" })).toEqual(["[admin adjustment] Helped"]);
    expect((await get(admin, "/api/admin/scores/logs", { score_sign: "zero" })).status).toBe(400);
    expect((await get(admin, "/api/admin/scores/logs", { page_size: 101 })).status).toBe(400);
  });
});

describe("POST /api/admin/scores/adjust", () => {
  const ledger = async (agentId: string) =>
    (await env.DB.prepare(
      "select (select total_score from agent where id = ?1) as total, (select coalesce(sum(score_delta), 0) from reward_log where agent_id = ?1) as sum, (select count(*) from reward_log where agent_id = ?1) as n",
    )
      .bind(agentId)
      .first<{ total: number; sum: number; n: number }>())!;

  it("writes the ledger row, the total and one audit row together, and returns the new total", async () => {
    const admin = await initialize();
    const a = await register("executor");
    await setScore(a, 0);
    const st = (await call("POST", "/api/tasks", { key: (await register("planner")).key, body: { name: "t" } })).body
      .id;
    await env.DB.prepare(
      "insert into sub_task (id, task_id, name, created_at, updated_at) values ('st-x', ?, 'S', ?, ?)",
    )
      .bind(st, ago(0), ago(0))
      .run();
    const adjust = (body: Record<string, unknown>) => call("POST", "/api/admin/scores/adjust", { admin, body });

    const res = await adjust({ agent_id: a.id, score_delta: 7, reason: "  Great teamwork 🎉  ", sub_task_id: "st-x" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.any(String),
      agent_id: a.id,
      sub_task_id: "st-x",
      reason: "[admin adjustment] Great teamwork 🎉",
      score_delta: 7,
      created_at: expect.stringMatching(/Z$/),
      current_total_score: 7,
    });
    expect((await adjust({ agent_id: a.id, score_delta: -1000, reason: "big penalty" })).body.current_total_score).toBe(
      -993,
    );
    expect(await ledger(a.id)).toEqual({ total: -993, sum: -993, n: 2 });
    const audit = await auditRows();
    expect(audit.map((r) => [r.action, r.target_type, r.target_id])).toEqual([
      ["score.adjust", "agent", a.id],
      ["score.adjust", "agent", a.id],
    ]);
    expect(JSON.parse(audit[0]!.detail)).toEqual({
      reward_log_id: res.body.id,
      score_delta: 7,
      reason: "Great teamwork 🎉",
      sub_task_id: "st-x",
    });
    // The ledger shows up in the admin logs and the agent's own.
    expect((await get(admin, `/api/admin/agents/${a.id}/score-logs`)).body.total).toBe(2);

    // Refusals change nothing and leave no audit row. The reason, prefixed, may be 100 characters.
    const before = await dbSnapshot();
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ agent_id: a.id, score_delta: 0, reason: "r" }, 400, "invalid_input"],
      [{ agent_id: a.id, score_delta: 1001, reason: "r" }, 400, "invalid_input"],
      [{ agent_id: a.id, score_delta: -1001, reason: "r" }, 400, "invalid_input"],
      [{ agent_id: a.id, score_delta: 1.5, reason: "r" }, 400, "invalid_input"],
      [{ agent_id: a.id, score_delta: 1, reason: "   " }, 400, "invalid_input"],
      [{ agent_id: a.id, score_delta: 1, reason: "x".repeat(82) }, 400, "reason_too_long"],
      [{ agent_id: a.id, score_delta: 1, reason: "x".repeat(101) }, 400, "invalid_input"],
      [{ agent_id: "nope", score_delta: 1, reason: "r" }, 404, "agent_not_found"],
      [{ agent_id: a.id, score_delta: 1, reason: "r", sub_task_id: "nope" }, 404, "sub_task_not_found"],
    ];
    for (const [body, status, code] of refusals) {
      const r = await adjust(body);
      expect([body, r.status, r.body.code]).toEqual([body, status, code]);
    }
    expect(await dbSnapshot()).toEqual(before);
    expect(await auditRows()).toHaveLength(2);
    // 81 characters after the 19-character prefix is exactly 100: accepted (an emoji counts once).
    const max = await adjust({ agent_id: a.id, score_delta: 1, reason: `${"x".repeat(80)}🎉` });
    expect(max.status).toBe(200);
    expect([...max.body.reason]).toHaveLength(100);
  });

  it("20 concurrent adjustments: total = sum of the ledger, every total seen once, one audit row each", async () => {
    const admin = await initialize();
    const a = await register("executor");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call("POST", "/api/admin/scores/adjust", { admin, body: { agent_id: a.id, score_delta: 1, reason: `r${i}` } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(results.map((r) => r.body.current_total_score).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(await ledger(a.id)).toEqual({ total: 20, sum: 20, n: 20 });
    expect(await n("select count(*) n from audit_log where action = 'score.adjust'")).toBe(20);
  });
});

describe("GET /api/admin/logs", () => {
  it("lists activity of all agents with names and roles; the server's patrol entries are named system", async () => {
    const admin = await initialize();
    const a = await register("executor", "ann");
    const p = await register("patrol", "pat");
    await insertActivity(a.id, "coding", "wrote the parser", ago(3 * MIN), "st-1");
    await insertActivity("system", "patrol", "timeout: sub-task st-1 blocked", ago(2 * MIN), "st-1");
    await insertActivity(p.id, "patrol", "all quiet", ago(MIN));
    await insertActivity(a.id, "reflection", "old thoughts", ago(90 * DAY));
    await insertActivity("deleted-agent", "plan", "kept", ago(4 * MIN));

    const logs = await get(admin, "/api/admin/logs");
    expect(logs.status).toBe(200);
    expect(logs.body.total).toBe(5);
    expect(logs.body.items.map((l: { agent_name: string | null }) => l.agent_name)).toEqual([
      "pat",
      "system",
      "ann",
      null,
      "ann",
    ]);
    expect(logs.body.items[1]).toEqual({
      id: expect.any(String),
      agent_id: "system",
      agent_name: "system",
      agent_role: null,
      sub_task_id: "st-1",
      action: "patrol",
      summary: "timeout: sub-task st-1 blocked",
      session_id: null,
      created_at: expect.any(String),
    });
    expect(logs.body.items[2]).toMatchObject({ agent_id: a.id, agent_role: "executor", summary: "wrote the parser" });

    const summaries = async (query: CallOptions["query"]) =>
      (await get(admin, "/api/admin/logs", query)).body.items.map((l: { summary: string }) => l.summary);
    expect(await summaries({ agent_id: "system" })).toEqual(["timeout: sub-task st-1 blocked"]);
    expect(await summaries({ action: "patrol", sort_order: "asc" })).toEqual([
      "timeout: sub-task st-1 blocked",
      "all quiet",
    ]);
    expect(await summaries({ sub_task_id: "st-1" })).toHaveLength(2);
    expect(await summaries({ keyword: "PARSER" })).toEqual(["wrote the parser"]);
    // days is clamped to 60: a 90-day-old entry never shows with a window.
    expect(await summaries({ days: 1000 })).not.toContain("old thoughts");
    expect(await summaries({ days: 1 })).toHaveLength(4);
    const page = await get(admin, "/api/admin/logs", { page_size: 2, page: 3 });
    expect(page.body).toMatchObject({ total: 5, total_pages: 3, has_more: false });
    expect(page.body.items).toHaveLength(1);

    for (const query of [
      { action: "dancing" },
      { days: 0 },
      { sort_order: "x" },
      { page_size: 101 },
      { page_size: 0 },
      { keyword: "k".repeat(101) },
    ]) {
      const res = await get(admin, "/api/admin/logs", query);
      expect([query, res.status]).toEqual([query, 400]);
    }
  });
});
