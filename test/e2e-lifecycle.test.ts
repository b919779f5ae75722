// A whole multi-agent lifecycle over HTTP, sent the way upstream's task CLI sends it: every agent call
// carries `Authorization: Bearer <key>` and `Content-Type: application/json`, with the CLI's paths and
// bodies (claim sends `{}`, submit sends no body, rules sends ?cli_version=2, …).
import { describe, expect, it } from "vitest";
import { LATEST_CLI_VERSION } from "../worker/domain/rules";
import { ADMIN_PASSWORD, ALL_ROLES, type CallResult, call, dbSnapshot, env, login, ok, SETUP_TOKEN } from "./helpers";
import { expectInvariants } from "./invariants";

const CLI_VERSION = 2;
const PROJECT = "Lifecycle Project";
const WORKSPACE = "/srv/moss-ws";
const REG_TOKEN = "lifecycle-registration-token";
const NOTIFICATION = {
  enabled: true,
  channels: ["chat:oc_team", "user:ou_lead"],
  events: ["task_completed", "review_rejected", "all_done"],
};

interface CliAgent {
  id: string;
  name: string;
  role: string;
  key: string;
  get<T = any>(path: string, query?: Record<string, string | number>): Promise<CallResult<T>>;
  /** `json` undefined sends no body at all (still with the JSON content type), like the CLI's submit. */
  post<T = any>(path: string, json?: unknown): Promise<CallResult<T>>;
  put<T = any>(path: string, json: unknown): Promise<CallResult<T>>;
}

function cliHeaders(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}`, "content-type": "application/json" };
}

function cliAgent(id: string, name: string, role: string, key: string): CliAgent {
  const headers = cliHeaders(key);
  return {
    id,
    name,
    role,
    key,
    get: (path, query) => call("GET", path, { headers, ...(query ? { query } : {}) }),
    post: (path, json) => call("POST", path, { headers, ...(json !== undefined ? { body: json } : {}) }),
    put: (path, json) => call("PUT", path, { headers, body: json }),
  };
}

/** `task-cli.py register --name --role --token [--description]`. */
async function cliRegister(name: string, role: string, description = ""): Promise<CliAgent> {
  const res = await call("POST", "/api/agents/register", {
    headers: { "x-registration-token": REG_TOKEN, "content-type": "application/json" },
    body: { name, role, description },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toMatchObject({ name, role });
  expect(res.body.api_key).toMatch(/^ak_[0-9a-f]{32}$/);
  return cliAgent(res.body.id, name, role, res.body.api_key);
}

async function refused(p: Promise<CallResult>, status: number, code: string): Promise<void> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ detail: expect.any(String), code, hint: expect.any(String) });
}

async function setup(): Promise<string> {
  const status = await call("GET", "/api/setup/status");
  expect(status.body.initialized).toBe(false);
  const init = await call("POST", "/api/setup/initialize", {
    headers: { "x-setup-token": SETUP_TOKEN },
    body: {
      admin_password: ADMIN_PASSWORD,
      project_name: PROJECT,
      workspace_root: WORKSPACE,
      registration_token: REG_TOKEN,
      registration_roles: ALL_ROLES,
      notification: NOTIFICATION,
    },
  });
  expect(init.status, JSON.stringify(init.body)).toBe(200);
  expect(init.body.registration_token).toBe(REG_TOKEN);
  return login();
}

interface Team {
  admin: string;
  planner: CliAgent;
  exec: CliAgent;
  reviewer: CliAgent;
  patrol: CliAgent;
  other: CliAgent;
}

async function team(): Promise<Team> {
  const admin = await setup();
  return {
    admin,
    planner: await cliRegister("planner-ada", "planner", "plans the work"),
    exec: await cliRegister("executor-bob", "executor", "does the work"),
    reviewer: await cliRegister("reviewer-cy", "reviewer", "checks the work"),
    patrol: await cliRegister("patrol-dee", "patrol"),
    other: await cliRegister("executor-eve", "executor", "another executor"),
  };
}

/** `st create` as the CLI sends it. */
async function createSubTask(planner: CliAgent, taskId: string, name: string, extra: Record<string, unknown> = {}) {
  return ok(
    planner.post("/api/sub-tasks", {
      task_id: taskId,
      name,
      description: `${name}: description`,
      deliverable: `${name}: deliverable`,
      acceptance: `${name}: acceptance`,
      priority: "medium",
      type: "once",
      ...extra,
    }),
  );
}

const review = (
  reviewer: CliAgent,
  subTaskId: string,
  result: "approved" | "rejected",
  score: number,
  comment = "",
  issues = "",
) => reviewer.post("/api/review-records", { sub_task_id: subTaskId, result, score, comment, issues });

const taskStatus = async (agent: CliAgent, taskId: string) =>
  (await ok(agent.get(`/api/tasks/${taskId}`))).status as string;

const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id);

interface Event {
  op: string;
  from_status: string | null;
  to_status: string;
  actor_kind: string;
  actor_id: string | null;
}

const path = (events: Event[]) => events.map((e) => `${e.op}:${e.from_status ?? "∅"}→${e.to_status}`);

const stateChanges = (events: Event[]) => events.filter((e) => e.from_status !== e.to_status);

function expectContinuous(events: Event[]): void {
  for (let i = 1; i < events.length; i++)
    expect(events[i]!.from_status, path(events).join(", ")).toBe(events[i - 1]!.to_status);
}

describe("end-to-end lifecycle, the way upstream's CLI drives it", () => {
  it("setup → register → plan → claim/start/log/submit → reject → reflect/redo → approve → block/reassign → task completed, with scores, rounds, logs and events", async () => {
    const { admin, planner, exec, reviewer, patrol, other } = await team();
    const agents = [planner, exec, reviewer, patrol, other];

    // Every agent sees the rules (variables replaced; upstream's CLI v2 is told about v3 in the
    // handshake fields only, never inside the content) and the notification config.
    for (const a of agents) {
      const rules = await ok(a.get("/api/rules", { cli_version: CLI_VERSION }));
      expect(rules.content).toContain(PROJECT);
      expect(rules.content).toContain(WORKSPACE);
      expect(rules.content).not.toContain("{{project_name}}");
      expect(rules.content).not.toContain("{{workspace_root}}");
      expect(rules.content).not.toContain("Tool update notice");
      expect(rules).toMatchObject({ update_available: true, latest_version: LATEST_CLI_VERSION });
      expect(rules.update_instructions).toContain("/api/tools/cli");
      expect(rules.update_instructions).toContain("do not run your current CLI's update command");
      expect(typeof rules.message).toBe("string");
      expect(await ok(a.get("/api/config/notification"))).toEqual(NOTIFICATION);
    }
    // `agents` lists everyone without keys.
    const listed = await ok(exec.get("/api/agents"));
    expect(listed.map((a: { name: string }) => a.name).sort()).toEqual(agents.map((a) => a.name).sort());
    expect(JSON.stringify(listed)).not.toMatch(/ak_[0-9a-f]{32}/);

    // --- planner: task, module, two sub-tasks -------------------------------------------------
    const task = await ok(
      planner.post("/api/tasks", { name: "Data pipeline", description: "ingest and report", type: "once" }),
    );
    expect(task.status).toBe("planning");
    const mod = await ok(planner.post(`/api/tasks/${task.id}/modules`, { name: "ingest", description: "raw → clean" }));
    expect(mod).toEqual({ id: expect.any(String), task_id: task.id, name: "ingest", description: "raw → clean" });
    expect(await ok(exec.get(`/api/tasks/${task.id}/modules`))).toEqual([mod]);
    const a = await createSubTask(planner, task.id, "clean data", { priority: "high", module_id: mod.id });
    const b = await createSubTask(planner, task.id, "write report", { module_id: mod.id });
    for (const st of [a, b])
      expect(st).toMatchObject({
        status: "pending",
        assigned_agent: null,
        rework_count: 0,
        completed_at: null,
        module_id: mod.id,
      });
    // A task rule, added by the admin, is merged after the global one with its variables replaced too.
    await ok(
      call("POST", "/api/rules", {
        admin,
        body: {
          scope: "task",
          task_id: task.id,
          content: "Write into {{workspace_root}}/pipeline for {{project_name}}.",
        },
      }),
    );
    const taskRules = await ok(exec.get("/api/rules", { cli_version: CLI_VERSION, task_id: task.id }));
    expect(taskRules.content.endsWith(`\n\n---\n\nWrite into ${WORKSPACE}/pipeline for ${PROJECT}.`)).toBe(true);

    // --- executor: sub-task A, first attempt ---------------------------------------------------
    const available = await ok(exec.get("/api/sub-tasks/available"));
    expect(available).toMatchObject({ total: 2, page: 1, page_size: 0, total_pages: 1, has_more: false });
    expect(ids(available).sort()).toEqual([a.id, b.id].sort());

    const claimed = await ok(exec.post(`/api/sub-tasks/${a.id}/claim`, {}));
    expect(claimed).toMatchObject({ status: "assigned", assigned_agent: exec.id, current_session_id: null });
    expect(ids(await ok(exec.get("/api/sub-tasks/available")))).toEqual([b.id]);
    expect(await taskStatus(exec, task.id)).toBe("planning");

    // Another executor cannot start, session or submit it.
    let before = await dbSnapshot();
    await refused(other.post(`/api/sub-tasks/${a.id}/start`, { session_id: "intruder" }), 403, "not_owner");
    expect(await dbSnapshot()).toEqual(before);

    const started = await ok(exec.post(`/api/sub-tasks/${a.id}/start`, { session_id: "cron:job-1:run:aaa" }));
    expect(started).toMatchObject({ status: "in_progress", current_session_id: "cron:job-1:run:aaa" });
    expect(await taskStatus(exec, task.id)).toBe("in_progress");

    before = await dbSnapshot();
    await refused(other.post(`/api/sub-tasks/${a.id}/session`, { session_id: "intruder" }), 403, "not_owner");
    await refused(other.post(`/api/sub-tasks/${a.id}/submit`), 403, "not_owner");
    expect(await dbSnapshot()).toEqual(before);

    const session = await ok(exec.post(`/api/sub-tasks/${a.id}/session`, { session_id: "cron:job-1:run:bbb" }));
    expect(session).toMatchObject({ status: "in_progress", current_session_id: "cron:job-1:run:bbb" });
    const coding = await ok(
      exec.post("/api/logs", { action: "coding", summary: "wrote the cleaner", sub_task_id: a.id }),
    );
    expect(coding).toMatchObject({
      agent_id: exec.id,
      sub_task_id: a.id,
      action: "coding",
      summary: "wrote the cleaner",
      session_id: null,
    });
    const submitted = await ok(exec.post(`/api/sub-tasks/${a.id}/submit`));
    expect(submitted.status).toBe("review");

    // --- reviewer: reject with score 2 ----------------------------------------------------------
    const inReview = await ok(reviewer.get("/api/sub-tasks", { status: "review" }));
    expect(ids(inReview)).toEqual([a.id]);
    expect(inReview.items[0].recurring_config).toBeNull();
    const rejected = await ok(review(reviewer, a.id, "rejected", 2, "needs work", "nulls are dropped silently"));
    expect(rejected).toMatchObject({
      sub_task_id: a.id,
      reviewer_agent: reviewer.id,
      round: 1,
      result: "rejected",
      score: 2,
      issues: "nulls are dropped silently",
      comment: "needs work",
      rework_agent: null,
    });
    const afterReject = await ok(exec.get(`/api/sub-tasks/${a.id}`));
    expect(afterReject).toMatchObject({
      status: "rework",
      rework_count: 1,
      assigned_agent: exec.id,
      completed_at: null,
    });
    expect((await ok(exec.get("/api/scores/me"))).total_score).toBe(-5);

    // --- executor: read the review, reflect, redo --------------------------------------------
    const reviews = await ok(exec.get("/api/review-records", { sub_task_id: a.id }));
    expect(reviews.items).toEqual([rejected]);
    const mine = await ok(exec.get("/api/sub-tasks/mine"));
    expect(mine.items.find((s: { id: string }) => s.id === a.id)?.status).toBe("rework");
    await ok(exec.post("/api/logs", { action: "reflection", summary: "handle nulls explicitly", sub_task_id: a.id }));
    before = await dbSnapshot();
    await refused(other.post(`/api/sub-tasks/${a.id}/start`, {}), 403, "not_owner");
    expect(await dbSnapshot()).toEqual(before);
    expect((await ok(exec.post(`/api/sub-tasks/${a.id}/start`, { session_id: "cron:job-1:run:ccc" }))).status).toBe(
      "in_progress",
    );
    expect((await ok(exec.post(`/api/sub-tasks/${a.id}/submit`))).status).toBe("review");

    // --- reviewer: approve with score 5 ----------------------------------------------------------
    const approved = await ok(review(reviewer, a.id, "approved", 5, "great"));
    expect(approved).toMatchObject({ round: 2, result: "approved", score: 5, comment: "great", issues: "" });
    const doneA = await ok(exec.get(`/api/sub-tasks/${a.id}`));
    expect(doneA).toMatchObject({ status: "done", rework_count: 1, assigned_agent: exec.id });
    expect(doneA.completed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await taskStatus(exec, task.id)).toBe("in_progress"); // B is still open

    // --- sub-task B: another executor starts it, patrol blocks it, the planner reassigns it ----
    expect(ids(await ok(other.get("/api/sub-tasks/available")))).toEqual([b.id]);
    await ok(other.post(`/api/sub-tasks/${b.id}/claim`, {}));
    await ok(other.post(`/api/sub-tasks/${b.id}/start`, { session_id: "cron:job-2:run:xxx" }));
    expect(ids(await ok(patrol.get("/api/sub-tasks", { status: "in_progress" })))).toEqual([b.id]);
    const blocked = await ok(patrol.post(`/api/sub-tasks/${b.id}/block`, {}));
    expect(blocked).toMatchObject({ status: "blocked", assigned_agent: other.id, current_session_id: null });
    await ok(patrol.post("/api/logs", { action: "patrol", summary: "blocked a stuck sub-task", sub_task_id: b.id }));
    expect(ids(await ok(planner.get("/api/sub-tasks", { status: "blocked" })))).toEqual([b.id]);
    const reassigned = await ok(planner.post(`/api/sub-tasks/${b.id}/reassign`, { agent_id: exec.id }));
    expect(reassigned).toMatchObject({ status: "assigned", assigned_agent: exec.id, current_session_id: null });
    before = await dbSnapshot();
    await refused(other.post(`/api/sub-tasks/${b.id}/start`, {}), 403, "not_owner");
    expect(await dbSnapshot()).toEqual(before);

    // --- executor completes B; reviewer approves with 4 ------------------------------------------
    expect((await ok(exec.post(`/api/sub-tasks/${b.id}/start`, {}))).current_session_id).toBeNull();
    await ok(exec.post("/api/logs", { action: "delivery", summary: "report delivered", sub_task_id: b.id }));
    await ok(exec.post(`/api/sub-tasks/${b.id}/submit`));
    const approvedB = await ok(review(reviewer, b.id, "approved", 4, "good"));
    expect(approvedB).toMatchObject({ round: 1, result: "approved", score: 4 });

    // --- the task completed itself -----------------------------------------------------------------
    expect(await taskStatus(planner, task.id)).toBe("completed");
    expect(ids(await ok(planner.get("/api/tasks", { status: "completed" })))).toEqual([task.id]);
    expect((await ok(exec.get("/api/sub-tasks/latest", { task_id: task.id }))).id).toBe(b.id);

    // --- scores --------------------------------------------------------------------------------------
    const me = await ok(exec.get("/api/scores/me"));
    expect(me).toEqual({
      agent_id: exec.id,
      agent_name: exec.name,
      total_score: 5,
      rank: 1,
      total_agents: 5,
      reward_count: 2,
      penalty_count: 1,
      total_records: 3,
    });
    expect(await ok(other.get("/api/scores/me"))).toEqual({
      agent_id: other.id,
      agent_name: other.name,
      total_score: 0,
      rank: 2,
      total_agents: 5,
      reward_count: 0,
      penalty_count: 0,
      total_records: 0,
    });
    // Only executors earn points from reviews.
    for (const a2 of [planner, reviewer, patrol]) expect((await ok(a2.get("/api/scores/me"))).total_score).toBe(0);

    const ledger = await ok(exec.get("/api/scores/me/logs"));
    expect(ledger).toMatchObject({ total: 3, page: 1, page_size: 0, total_pages: 1, has_more: false });
    expect(
      ledger.items.map((r: { sub_task_id: string; score_delta: number }) => [r.sub_task_id, r.score_delta]),
    ).toEqual([
      [b.id, 5],
      [a.id, 5],
      [a.id, -5],
    ]);
    for (const r of ledger.items) {
      expect(r.agent_id).toBe(exec.id);
      expect(r.reason).toMatch(/\d/);
    }
    expect(ledger.items.map((r: { reason: string }) => r.reason.match(/\d/)?.[0])).toEqual(["4", "5", "2"]);
    expect(await ok(planner.get(`/api/scores/${exec.id}/logs`))).toEqual(ledger);
    const paged = await ok(exec.get("/api/scores/me/logs", { page: 2, page_size: 2 }));
    expect(paged).toMatchObject({ total: 3, page: 2, page_size: 2, total_pages: 2, has_more: false });
    expect(paged.items).toEqual([ledger.items[2]]);

    // Leaderboard: score desc, ties by registration order; rank is the row position.
    const rows = (
      await env.DB.prepare("select id, total_score, created_at from agent").all<{
        id: string;
        total_score: number;
        created_at: string;
      }>()
    ).results;
    const expectedOrder = [...rows]
      .sort(
        (x, y) => y.total_score - x.total_score || x.created_at.localeCompare(y.created_at) || x.id.localeCompare(y.id),
      )
      .map((r) => r.id);
    const board = await ok(patrol.get("/api/scores/leaderboard"));
    expect(board.map((e: { agent_id: string }) => e.agent_id)).toEqual(expectedOrder);
    expect(board.map((e: { rank: number }) => e.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(board[0]).toEqual({ rank: 1, agent_id: exec.id, agent_name: exec.name, role: "executor", total_score: 5 });
    const byId = new Map(agents.map((x) => [x.id, x]));
    for (const e of board)
      expect(e).toMatchObject({ agent_name: byId.get(e.agent_id)!.name, role: byId.get(e.agent_id)!.role });
    // The admin view agrees.
    expect(await ok(call("GET", `/api/scores/${exec.id}`, { admin }))).toEqual(me);
    // total_score equals the ledger sum for everyone.
    const sums = await env.DB.prepare(
      "select a.id, a.total_score, coalesce((select sum(score_delta) from reward_log r where r.agent_id = a.id), 0) as ledger from agent a",
    ).all<{ id: string; total_score: number; ledger: number }>();
    for (const s of sums.results) expect(s.total_score, s.id).toBe(s.ledger);

    // --- review rounds ---------------------------------------------------------------------------------
    const roundsA = await ok(planner.get("/api/review-records", { sub_task_id: a.id }));
    expect(
      roundsA.items.map((r: { round: number; result: string; score: number }) => [r.round, r.result, r.score]),
    ).toEqual([
      [2, "approved", 5],
      [1, "rejected", 2],
    ]);
    expect(await ok(planner.get(`/api/review-records/${approved.id}`))).toEqual(approved);

    // --- activity logs -----------------------------------------------------------------------------------
    const logsA = await ok(reviewer.get("/api/logs", { sub_task_id: a.id }));
    expect(
      logsA.map((l: { action: string; summary: string; agent_id: string }) => [l.action, l.summary, l.agent_id]),
    ).toEqual([
      ["reflection", "handle nulls explicitly", exec.id],
      ["coding", "wrote the cleaner", exec.id],
    ]);
    const logsB = await ok(planner.get("/api/logs", { sub_task_id: b.id }));
    expect(logsB.map((l: { action: string }) => l.action)).toEqual(["delivery", "patrol"]);
    const myLogs = await ok(exec.get("/api/logs/mine"));
    expect(myLogs.map((l: { action: string }) => l.action)).toEqual(["delivery", "reflection", "coding"]);
    expect(
      (await ok(planner.get("/api/logs", { action: "patrol" }))).map((l: { agent_id: string }) => l.agent_id),
    ).toEqual([patrol.id]);

    // --- event history: only legal steps, in order -------------------------------------------------
    const eventsA: Event[] = await ok(planner.get(`/api/sub-tasks/${a.id}/events`));
    expectContinuous(eventsA);
    // State changes follow the legal path; anything else recorded (a session update) keeps the state.
    const changesA = stateChanges(eventsA);
    expect(path(changesA)).toEqual([
      "create:∅→pending",
      "claim:pending→assigned",
      "start:assigned→in_progress",
      "submit:in_progress→review",
      "review:review→rework",
      "start:rework→in_progress",
      "submit:in_progress→review",
      "review:review→done",
    ]);
    expect(changesA.map((e) => e.actor_id)).toEqual([
      planner.id,
      exec.id,
      exec.id,
      exec.id,
      reviewer.id,
      exec.id,
      exec.id,
      reviewer.id,
    ]);
    for (const e of eventsA.filter((x) => x.from_status === x.to_status))
      expect(e).toMatchObject({ op: "session", actor_id: exec.id });
    expect(eventsA.every((e) => e.actor_kind === "agent")).toBe(true);
    // The refused attempts of the other executor left no trace.
    expect(eventsA.some((e) => e.actor_id === other.id)).toBe(false);

    const eventsB: Event[] = await ok(exec.get(`/api/sub-tasks/${b.id}/events`));
    expect(path(stateChanges(eventsB))).toEqual([
      "create:∅→pending",
      "claim:pending→assigned",
      "start:assigned→in_progress",
      "block:in_progress→blocked",
      "reassign:blocked→assigned",
      "start:assigned→in_progress",
      "submit:in_progress→review",
      "review:review→done",
    ]);
    expectContinuous(eventsB);
    expect(stateChanges(eventsB).map((e) => e.actor_id)).toEqual([
      planner.id,
      other.id,
      other.id,
      patrol.id,
      planner.id,
      exec.id,
      exec.id,
      reviewer.id,
    ]);
    await expectInvariants({ admin });
  });

  it("another executor cannot start, session or submit someone else's sub-task, in any of its states", async () => {
    const { planner, exec, reviewer, other } = await team();
    const task = await ok(planner.post("/api/tasks", { name: "t", description: "", type: "once" }));
    const st = await createSubTask(planner, task.id, "owned", { assigned_agent: exec.id });
    expect(st).toMatchObject({ status: "assigned", assigned_agent: exec.id });

    // In each state, the operations that state allows are refused to a non-owner (403, not 409).
    const tryAs = async (ops: ("start" | "session" | "submit")[]) => {
      const before = await dbSnapshot();
      for (const op of ops) {
        const body = op === "submit" ? undefined : { session_id: "intruder" };
        await refused(other.post(`/api/sub-tasks/${st.id}/${op}`, body), 403, "not_owner");
      }
      expect(await dbSnapshot()).toEqual(before);
    };
    await tryAs(["start"]); // assigned
    await ok(exec.post(`/api/sub-tasks/${st.id}/start`, {}));
    await tryAs(["session", "submit"]); // in_progress
    await ok(exec.post(`/api/sub-tasks/${st.id}/submit`));
    await ok(review(reviewer, st.id, "rejected", 1, "", "wrong file"));
    await tryAs(["start"]); // rework

    // A rejection that names another executor hands the work over: now the first one is refused.
    await ok(exec.post(`/api/sub-tasks/${st.id}/start`, {}));
    await ok(exec.post(`/api/sub-tasks/${st.id}/submit`));
    const handover = await ok(
      reviewer.post("/api/review-records", {
        sub_task_id: st.id,
        result: "rejected",
        score: 2,
        issues: "try someone else",
        comment: "",
        rework_agent: other.id,
      }),
    );
    expect(handover).toMatchObject({ round: 2, rework_agent: other.id });
    expect(await ok(exec.get(`/api/sub-tasks/${st.id}`))).toMatchObject({
      status: "rework",
      assigned_agent: other.id,
      rework_count: 2,
    });
    await refused(exec.post(`/api/sub-tasks/${st.id}/start`, {}), 403, "not_owner");
    await ok(other.post(`/api/sub-tasks/${st.id}/start`, {}));
    await ok(other.post(`/api/sub-tasks/${st.id}/submit`));
    // Both penalties went to the executor that was assigned when each review happened.
    expect((await ok(exec.get("/api/scores/me"))).total_score).toBe(-10);
    expect((await ok(other.get("/api/scores/me"))).total_score).toBe(0);
  });

  it("a reviewer cannot review a sub-task it worked on (reachable only by changing an agent's role in the database)", async () => {
    // Reviewers cannot claim, start or submit, so an API-only team never reaches own_work. Build the
    // case by turning executors that worked on a sub-task into reviewers.
    const { planner, exec, other, patrol, reviewer } = await team();
    const task = await ok(planner.post("/api/tasks", { name: "t", description: "", type: "once" }));

    // Case 1: the current assignee.
    const s1 = await createSubTask(planner, task.id, "s1");
    for (const step of ["claim", "start", "submit"])
      await ok(exec.post(`/api/sub-tasks/${s1.id}/${step}`, step === "submit" ? undefined : {}));
    // Case 2: an earlier worker that is no longer the assignee (blocked and reassigned away).
    const s2 = await createSubTask(planner, task.id, "s2");
    await ok(other.post(`/api/sub-tasks/${s2.id}/claim`, {}));
    await ok(other.post(`/api/sub-tasks/${s2.id}/start`, {}));
    await ok(patrol.post(`/api/sub-tasks/${s2.id}/block`, {}));
    await ok(planner.post(`/api/sub-tasks/${s2.id}/reassign`, { agent_id: exec.id }));
    await ok(exec.post(`/api/sub-tasks/${s2.id}/start`, {}));
    await ok(exec.post(`/api/sub-tasks/${s2.id}/submit`));

    await env.DB.prepare("update agent set role = 'reviewer' where id in (?, ?)").bind(exec.id, other.id).run();
    const before = await dbSnapshot();
    for (const [who, st] of [
      [exec, s1],
      [other, s2],
      [exec, s2],
    ] as const) {
      await refused(review(who, st.id, "approved", 5, "self-approval"), 403, "own_work");
      await refused(who.post(`/api/sub-tasks/${st.id}/complete`, {}), 403, "own_work");
      await refused(who.post(`/api/sub-tasks/${st.id}/rework`, {}), 403, "own_work");
    }
    expect(await dbSnapshot()).toEqual(before);
    // An independent reviewer may.
    expect((await ok(review(reviewer, s2.id, "approved", 5))).round).toBe(1);
  });

  it("a planner or reviewer cannot adjust its own score; others cannot adjust at all", async () => {
    const { planner, exec, reviewer, patrol } = await team();
    const before = await dbSnapshot();
    await refused(
      planner.post("/api/scores/adjust", { agent_id: planner.id, score_delta: 10, reason: "I deserve it" }),
      403,
      "self_adjustment",
    );
    await refused(
      reviewer.post("/api/scores/adjust", { agent_id: reviewer.id, score_delta: 10, reason: "me too" }),
      403,
      "self_adjustment",
    );
    await refused(
      exec.post("/api/scores/adjust", { agent_id: patrol.id, score_delta: 1, reason: "x" }),
      403,
      "wrong_role",
    );
    await refused(
      patrol.post("/api/scores/adjust", { agent_id: exec.id, score_delta: 1, reason: "x" }),
      403,
      "wrong_role",
    );
    await refused(
      planner.post("/api/scores/adjust", { agent_id: "no-such-agent", score_delta: 1, reason: "x" }),
      404,
      "agent_not_found",
    );
    expect(await dbSnapshot()).toEqual(before);

    const adjusted = await ok(
      planner.post("/api/scores/adjust", { agent_id: exec.id, score_delta: -3, reason: "late delivery" }),
    );
    expect(adjusted).toMatchObject({ agent_id: exec.id, score_delta: -3, sub_task_id: null });
    expect(adjusted.reason).toContain("late delivery");
    expect(adjusted.reason).toContain(planner.name);
    expect(await ok(exec.get("/api/scores/me"))).toMatchObject({
      total_score: -3,
      penalty_count: 1,
      reward_count: 0,
      total_records: 1,
    });
    expect((await ok(exec.get("/api/scores/me/logs"))).items).toEqual([adjusted]);
  });

  it("complete and rework leave a review record with score null, advance the round, and never score", async () => {
    const { planner, exec, reviewer } = await team();
    const task = await ok(planner.post("/api/tasks", { name: "t", description: "", type: "once" }));
    const st = await createSubTask(planner, task.id, "direct decisions");
    await ok(exec.post(`/api/sub-tasks/${st.id}/claim`, {}));
    await ok(exec.post(`/api/sub-tasks/${st.id}/start`, {}));
    await ok(exec.post(`/api/sub-tasks/${st.id}/submit`));

    const reworked = await ok(reviewer.post(`/api/sub-tasks/${st.id}/rework`, {}));
    expect(reworked).toMatchObject({ status: "rework", rework_count: 1, assigned_agent: exec.id });
    let records = (await ok(exec.get("/api/review-records", { sub_task_id: st.id }))).items;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      round: 1,
      result: "rejected",
      score: null,
      reviewer_agent: reviewer.id,
      sub_task_id: st.id,
    });

    await ok(exec.post(`/api/sub-tasks/${st.id}/start`, {}));
    await ok(exec.post(`/api/sub-tasks/${st.id}/submit`));
    const completed = await ok(reviewer.post(`/api/sub-tasks/${st.id}/complete`, {}));
    expect(completed).toMatchObject({ status: "done", rework_count: 1 });
    expect(completed.completed_at).toEqual(expect.any(String));
    records = (await ok(exec.get("/api/review-records", { sub_task_id: st.id }))).items;
    expect(
      records.map((r: { round: number; result: string; score: number | null }) => [r.round, r.result, r.score]),
    ).toEqual([
      [2, "approved", null],
      [1, "rejected", null],
    ]);

    // No score, no ledger row; the task still completes.
    expect(await ok(exec.get("/api/scores/me"))).toMatchObject({ total_score: 0, total_records: 0 });
    expect((await ok(exec.get("/api/scores/me/logs"))).total).toBe(0);
    expect(await taskStatus(planner, task.id)).toBe("completed");
    const events: Event[] = await ok(exec.get(`/api/sub-tasks/${st.id}/events`));
    expectContinuous(events);
    expect(path(stateChanges(events))).toEqual([
      "create:∅→pending",
      "claim:pending→assigned",
      "start:assigned→in_progress",
      "submit:in_progress→review",
      "rework:review→rework",
      "start:rework→in_progress",
      "submit:in_progress→review",
      "complete:review→done",
    ]);

    // A later scored review of another submission would be round 3: rounds count every decision.
    const st2 = await createSubTask(
      planner,
      (await ok(planner.post("/api/tasks", { name: "t2", description: "", type: "once" }))).id,
      "mixed",
    );
    await ok(exec.post(`/api/sub-tasks/${st2.id}/claim`, {}));
    await ok(exec.post(`/api/sub-tasks/${st2.id}/start`, {}));
    await ok(exec.post(`/api/sub-tasks/${st2.id}/submit`));
    await ok(reviewer.post(`/api/sub-tasks/${st2.id}/rework`, {}));
    await ok(exec.post(`/api/sub-tasks/${st2.id}/start`, {}));
    await ok(exec.post(`/api/sub-tasks/${st2.id}/submit`));
    const scored = await ok(review(reviewer, st2.id, "approved", 4));
    expect(scored).toMatchObject({ round: 2, score: 4 });
    expect((await ok(exec.get("/api/scores/me"))).total_score).toBe(5);
    await expectInvariants();
  });

  it("patrol blocks assigned, in-progress and rework sub-tasks (not pending or review ones); the planner reassigns them", async () => {
    const { planner, exec, reviewer, patrol, other } = await team();
    const task = await ok(planner.post("/api/tasks", { name: "t", description: "", type: "once" }));
    const st = await createSubTask(planner, task.id, "blockable");
    let before = await dbSnapshot();
    await refused(patrol.post(`/api/sub-tasks/${st.id}/block`, {}), 409, "illegal_transition"); // pending
    await refused(exec.post(`/api/sub-tasks/${st.id}/block`, {}), 403, "wrong_role");
    expect(await dbSnapshot()).toEqual(before);

    await ok(exec.post(`/api/sub-tasks/${st.id}/claim`, { session_id: "s-claim" }));
    expect(await ok(patrol.post(`/api/sub-tasks/${st.id}/block`, {}))).toMatchObject({
      status: "blocked",
      assigned_agent: exec.id,
      current_session_id: null,
    });
    before = await dbSnapshot();
    await refused(exec.post(`/api/sub-tasks/${st.id}/start`, {}), 409, "illegal_transition");
    await refused(other.post(`/api/sub-tasks/${st.id}/reassign`, { agent_id: other.id }), 403, "wrong_role");
    await refused(
      planner.post(`/api/sub-tasks/${st.id}/reassign`, { agent_id: "no-such-agent" }),
      404,
      "agent_not_found",
    );
    expect(await dbSnapshot()).toEqual(before);
    expect(await ok(planner.post(`/api/sub-tasks/${st.id}/reassign`, { agent_id: other.id }))).toMatchObject({
      status: "assigned",
      assigned_agent: other.id,
      current_session_id: null,
    });

    await ok(other.post(`/api/sub-tasks/${st.id}/start`, { session_id: "s-2" }));
    await ok(other.post(`/api/sub-tasks/${st.id}/submit`));
    await refused(patrol.post(`/api/sub-tasks/${st.id}/block`, {}), 409, "illegal_transition"); // review
    await ok(review(reviewer, st.id, "rejected", 3, "", "almost"));
    expect(await ok(patrol.post(`/api/sub-tasks/${st.id}/block`, { reason: "rework stalled" }))).toMatchObject({
      status: "blocked",
    });
    expect(await ok(planner.post(`/api/sub-tasks/${st.id}/reassign`, { agent_id: exec.id }))).toMatchObject({
      status: "assigned",
      assigned_agent: exec.id,
      rework_count: 1,
    });
    const events: Event[] = await ok(planner.get(`/api/sub-tasks/${st.id}/events`));
    expectContinuous(events);
    expect(path(stateChanges(events))).toEqual([
      "create:∅→pending",
      "claim:pending→assigned",
      "block:assigned→blocked",
      "reassign:blocked→assigned",
      "start:assigned→in_progress",
      "submit:in_progress→review",
      "review:review→rework",
      "block:rework→blocked",
      "reassign:blocked→assigned",
    ]);
    // A score-3 review moves nothing.
    expect((await ok(other.get("/api/scores/me"))).total_records).toBe(0);
    await expectInvariants();
  });

  it("cancelling a task cancels its open sub-tasks; pending ones become unclaimable (409) and leave /available", async () => {
    const { planner, exec, reviewer, other } = await team();
    const task = await ok(planner.post("/api/tasks", { name: "doomed", description: "", type: "once" }));
    const keep = await ok(planner.post("/api/tasks", { name: "survivor", description: "", type: "once" }));
    const pending = await createSubTask(planner, task.id, "pending one");
    const assigned = await createSubTask(planner, task.id, "assigned one", { assigned_agent: exec.id });
    const working = await createSubTask(planner, task.id, "in progress one");
    await ok(exec.post(`/api/sub-tasks/${working.id}/claim`, {}));
    await ok(exec.post(`/api/sub-tasks/${working.id}/start`, { session_id: "s-1" }));
    const inReview = await createSubTask(planner, task.id, "in review one");
    for (const step of ["claim", "start", "submit"])
      await ok(other.post(`/api/sub-tasks/${inReview.id}/${step}`, step === "submit" ? undefined : {}));
    const done = await createSubTask(planner, task.id, "done one");
    for (const step of ["claim", "start", "submit"])
      await ok(other.post(`/api/sub-tasks/${done.id}/${step}`, step === "submit" ? undefined : {}));
    await ok(review(reviewer, done.id, "approved", 3));
    const elsewhere = await createSubTask(planner, keep.id, "other task's pending");

    expect(ids(await ok(exec.get("/api/sub-tasks/available"))).sort()).toEqual([pending.id, elsewhere.id].sort());

    const cancelled = await ok(planner.post(`/api/tasks/${task.id}/cancel`, {}));
    expect(cancelled).toMatchObject({ id: task.id, status: "cancelled" });
    expect(await taskStatus(exec, task.id)).toBe("cancelled");

    for (const st of [pending, assigned, working, inReview]) {
      const row = await ok(exec.get(`/api/sub-tasks/${st.id}`));
      expect(row, st.name).toMatchObject({ status: "cancelled", current_session_id: null });
      const events: Event[] = await ok(exec.get(`/api/sub-tasks/${st.id}/events`));
      expect(events.at(-1), st.name).toMatchObject({ op: "cancel", to_status: "cancelled", actor_id: planner.id });
      expectContinuous(events);
    }
    expect(await ok(exec.get(`/api/sub-tasks/${assigned.id}`))).toMatchObject({ assigned_agent: exec.id });
    expect(await ok(exec.get(`/api/sub-tasks/${done.id}`))).toMatchObject({ status: "done" });
    expect(await ok(exec.get(`/api/sub-tasks/${elsewhere.id}`))).toMatchObject({ status: "pending" });

    expect(ids(await ok(exec.get("/api/sub-tasks/available")))).toEqual([elsewhere.id]);
    const before = await dbSnapshot();
    for (const agent of [exec, other]) {
      const res = await agent.post(`/api/sub-tasks/${pending.id}/claim`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body).toEqual({ detail: expect.any(String), code: expect.any(String), hint: expect.any(String) });
    }
    expect((await exec.post(`/api/sub-tasks/${assigned.id}/start`, {})).status).toBe(409);
    expect((await exec.post(`/api/sub-tasks/${working.id}/submit`)).status).toBe(409);
    expect((await review(reviewer, inReview.id, "approved", 5)).status).toBe(409);
    // No new sub-tasks or modules under a cancelled task, and it cannot be cancelled twice.
    expect(
      (
        await planner.post("/api/sub-tasks", {
          task_id: task.id,
          name: "late",
          description: "",
          deliverable: "",
          acceptance: "",
          priority: "medium",
          type: "once",
        })
      ).status,
    ).toBe(409);
    expect((await planner.post(`/api/tasks/${task.id}/modules`, { name: "late", description: "" })).status).toBe(409);
    expect((await planner.post(`/api/tasks/${task.id}/cancel`, {})).status).toBe(409);
    expect(await dbSnapshot()).toEqual(before);
    // No scores moved except the score-3 review (which moves nothing).
    expect((await ok(other.get("/api/scores/me"))).total_score).toBe(0);
    await expectInvariants();
  });
});
