/// <reference types="vite/client" />
// Errors that teach (issue 12): every 4xx carries a hint, the next command to run, and names what
// blocks it (the holder, the open dependencies). The scenarios drive the real path (HTTP → Worker →
// Durable Object → D1); the coverage check scans the Worker's sources, which the Workers pool cannot
// read as files, so Vite bundles them into this test as text (import.meta.glob).
import { describe, expect, it } from "vitest";
import { idHint } from "../worker/domain/hints";
import { hintedCodes, defaultHint as hintIn, render } from "../worker/i18n";

const defaultHint = (code: string) => hintIn(code, "en");

import { type CallOptions, type CallResult, initialize, call as rawCall, register, type TestAgent } from "./helpers";

const SOURCES = import.meta.glob<string>(["../worker/**/*.ts", "!../worker/generated/**"], {
  query: "?raw",
  import: "default",
  eager: true,
});

/** Where a code literal is written: the error helpers, ApiError, `code: "…"` objects, HTTPException's table. */
const CODE_PATTERNS = [
  /\b(?:badRequest|unauthorized|forbidden|notFound|conflict|tooManyRequests)\(\s*"([a-z_]+)"/g,
  /\bnew ApiError\(\s*\d{3},\s*"([a-z_]+)"/g,
  /\bcode: "([a-z_]+)"/g,
  /^\s*\d{3}: "([a-z_]+)",$/gm,
];
/** Literals those patterns catch that are not error codes a client gets: zod's issue kind, and the 500. */
const NOT_CLIENT_CODES = new Set(["custom", "internal"]);

function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  for (const [path, text] of Object.entries(SOURCES)) {
    for (const pattern of CODE_PATTERNS) {
      for (const m of text.matchAll(pattern)) if (!NOT_CLIENT_CODES.has(m[1]!)) found.set(m[1]!, path);
    }
  }
  return found;
}

describe("default hints by code", () => {
  it("the scan sees the Worker's sources and the codes thrown across lines", () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(50);
    const codes = codesInSources();
    for (const code of [
      "illegal_transition",
      "rate_limited",
      "invalid_text",
      "payload_too_large",
      "enrollment_token_expired",
      "too_deep",
    ]) {
      expect(codes.has(code), code).toBe(true);
    }
  });

  it("every error code written in worker/ has a default hint", () => {
    const missing = [...codesInSources()]
      .filter(([code]) => defaultHint(code) === undefined)
      .map(([code, path]) => `${code} (${path})`);
    expect(missing).toEqual([]);
  });

  it("every hint is one short sentence or two, and every code it lists is still thrown", () => {
    const codes = codesInSources();
    const stale = hintedCodes().filter((code) => !codes.has(code));
    expect(stale).toEqual([]);
    for (const code of hintedCodes()) expect(defaultHint(code)!.length, code).toBeLessThanOrEqual(160);
  });

  it("an id shorter than a UUID is explained as a prefix; a full one gets the listing command", () => {
    expect(render(idHint("sub_task", "0123abcd"), "en")).toContain("full UUIDs");
    expect(render(idHint("sub_task", "0123abcd"), "en")).toContain("prefix of 8+");
    const full = render(idHint("task", "01234567-89ab-4def-8123-456789abcdef"), "en");
    expect(full).not.toContain("UUID");
    expect(full).toContain("task list");
  });
});

/** helpers.call, failing the test when an error answer comes without a hint. */
async function call(method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const res = await rawCall(method, path, opts);
  if (res.status >= 400 && res.status < 500) {
    expect(res.body.hint, `${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`).toEqual(expect.any(String));
  }
  return res;
}

async function team() {
  await initialize();
  const [planner, exec, other, reviewer] = await Promise.all([
    register("planner"),
    register("executor", "Ada Executor"),
    register("executor", "Bob Executor"),
    register("reviewer"),
  ]);
  const taskId = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "T" } })).body.id as string;
  const create = async (name: string, body: Record<string, unknown> = {}, task = taskId) => {
    const res = await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: task, name, ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.id as string;
  };
  return { planner, exec, other, reviewer, taskId, create };
}

const act = (agent: TestAgent, id: string, op: string, body: Record<string, unknown> = {}) =>
  call("POST", `/api/sub-tasks/${id}/${op}`, { key: agent.key, body });

function expectRefusal(res: CallResult, status: number, code: string): { detail: string; hint: string } {
  expect({ status: res.status, code: res.body.code }, JSON.stringify(res.body)).toEqual({ status, code });
  return res.body;
}

describe("refused sub-task commands say whose it is and what to run instead", () => {
  it("claim, start and submit mistakes by the holder and by another executor", async () => {
    const { exec, other, create } = await team();
    const id = await create("Parser");
    expect((await act(exec, id, "claim")).status).toBe(200);

    const again = expectRefusal(await act(exec, id, "claim"), 409, "illegal_transition");
    expect(again.detail).toBe("this sub-task is already yours (status assigned)");
    expect(again.hint).toContain(`node task-cli.mjs st start ${id}`);

    expect(expectRefusal(await act(exec, id, "submit"), 409, "illegal_transition").hint).toContain(`st start ${id}`);

    const taken = expectRefusal(await act(other, id, "claim"), 409, "illegal_transition");
    expect(taken.detail).toContain('"Ada Executor" holds this sub-task');
    expect(taken.hint).toContain("st available");

    expect((await act(exec, id, "start")).status).toBe(200);
    const started = expectRefusal(await act(exec, id, "start"), 409, "illegal_transition");
    expect(started.hint).toContain(`log create delivery "<what you delivered>" --sub-task-id ${id}`);
    expect(started.hint).toContain(`st submit ${id}`);

    const notYours = expectRefusal(await act(other, id, "submit"), 403, "not_owner");
    expect(notYours.detail).toBe('this sub-task is assigned to "Ada Executor", not to you');
    expect(notYours.hint).toContain("st mine");
  });

  it("dependencies_pending names each open dependency with its id and status", async () => {
    const { exec, create } = await team();
    const schema = await create("Design the schema");
    const api = await create("Write the API", { depends_on: [schema] });
    const refused = expectRefusal(await act(exec, api, "claim"), 409, "dependencies_pending");
    expect(refused.detail).toBe(`waits for 1 sub-task(s) that are not done: "Design the schema" (${schema}, pending)`);
    expect(refused.hint).toContain("st available");
  });

  it("a rejection without --issues is shown the review command that works", async () => {
    const { exec, reviewer, create } = await team();
    const id = await create("Parser");
    for (const op of ["claim", "start", "submit"]) expect((await act(exec, id, op)).status).toBe(200);
    const body = { sub_task_id: id, result: "rejected", score: 2, comment: "not yet" };
    const refused = expectRefusal(
      await call("POST", "/api/review-records", { key: reviewer.key, body }),
      400,
      "issues_required",
    );
    expect(refused.hint).toContain(`review create ${id} rejected 2 --issues "<what to fix>"`);
  });

  it("st create on a completed task says how to reopen it, and that command works", async () => {
    const { planner, exec, reviewer, taskId, create } = await team();
    const id = await create("Only step");
    for (const op of ["claim", "start", "submit"]) expect((await act(exec, id, op)).status).toBe(200);
    expect((await act(reviewer, id, "complete")).status).toBe(200);
    expect((await call("GET", `/api/tasks/${taskId}`, { key: planner.key })).body.status).toBe("completed");

    const post = () => call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: taskId, name: "More" } });
    const refused = expectRefusal(await post(), 409, "task_closed");
    expect(refused.detail).toBe("the task is completed");
    expect(refused.hint).toContain(`node task-cli.mjs task status ${taskId} active`);
    expect(
      (await call("PUT", `/api/tasks/${taskId}/status`, { key: planner.key, body: { status: "active" } })).status,
    ).toBe(200);
    expect((await post()).status).toBe(200);
  });

  it("a planner reassigns a claimed, not started sub-task; the old holder is told who has it now", async () => {
    const { planner, exec, other, create } = await team();
    const id = await create("Parser");
    expect((await act(exec, id, "claim")).status).toBe(200);
    const moved = await act(planner, id, "reassign", { agent_id: other.id });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ status: "assigned", assigned_agent: other.id });
    const refused = expectRefusal(await act(exec, id, "start"), 403, "not_owner");
    expect(refused.detail).toContain('"Bob Executor"');
    expect((await act(other, id, "start")).status).toBe(200);
    // Once work has started, reassign is refused and says which statuses it takes.
    expect(
      expectRefusal(await act(planner, id, "reassign", { agent_id: exec.id }), 409, "illegal_transition").hint,
    ).toContain("assigned or blocked");
  });

  it("wrong_role, invalid input and unknown ids carry the next step", async () => {
    const { exec, reviewer, create } = await team();
    const id = await create("Parser");
    const role = expectRefusal(await act(exec, id, "reassign", { agent_id: exec.id }), 403, "wrong_role");
    expect(role.hint).toContain("briefing");

    const score = { sub_task_id: id, result: "approved", score: 9, comment: "" };
    const invalid = expectRefusal(
      await call("POST", "/api/review-records", { key: reviewer.key, body: score }),
      400,
      "invalid_input",
    );
    expect(invalid.hint).toBe("Fix `score`; `node task-cli.mjs help review create` shows the arguments it takes.");
    const session = expectRefusal(await act(exec, id, "claim", { session_id: "x".repeat(201) }), 400, "invalid_input");
    expect(session.hint).toContain("help st claim");

    const prefix = id.slice(0, 8);
    for (const res of [
      await call("GET", `/api/sub-tasks/${prefix}`, { key: exec.key }),
      await act(exec, prefix, "claim"),
    ]) {
      const short = expectRefusal(res, 404, "sub_task_not_found");
      expect(short.hint).toContain("full UUIDs");
      expect(short.hint).toContain("prefix of 8+");
    }
    const gone = expectRefusal(await act(exec, crypto.randomUUID(), "claim"), 404, "sub_task_not_found");
    expect(gone.hint).not.toContain("UUID");
    expect(gone.hint).toContain("st mine");
    const task = expectRefusal(await call("GET", `/api/tasks/${prefix}`, { key: exec.key }), 404, "task_not_found");
    expect(task.hint).toContain("task list");
  });
});
