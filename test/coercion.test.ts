// Compatibility (docs/compatibility.md): integer body fields take a string of digits, as upstream's
// do, while the OpenAPI document and the MCP tool schemas keep saying `type: integer`.
import { beforeEach, describe, expect, it } from "vitest";
import { call, dbSnapshot, initialize, register, type TestAgent } from "./helpers";

let planner: TestAgent, exec: TestAgent, reviewer: TestAgent;

beforeEach(async () => {
  await initialize();
  [planner, exec, reviewer] = await Promise.all([register("planner"), register("executor"), register("reviewer")]);
});

async function submitted(): Promise<string> {
  const taskId = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "T" } })).body.id;
  const id = (await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: taskId, name: "S" } })).body
    .id as string;
  for (const op of ["claim", "start", "submit"])
    expect((await call("POST", `/api/sub-tasks/${id}/${op}`, { key: exec.key })).status).toBe(200);
  return id;
}

const NOT_INTEGERS = ["4.5", "", "4abc", " 4", "4 ", "0x4", "1e1", 4.5, null, true];

describe("integer body fields", () => {
  it('review score: "4" is 4; other strings, fractions and out-of-range values are 400 and change nothing', async () => {
    const id = await submitted();
    const review = (score: unknown) =>
      call("POST", "/api/review-records", {
        key: reviewer.key,
        body: { sub_task_id: id, result: "approved", score, comment: "ok" },
      });
    const before = await dbSnapshot();
    for (const score of [...NOT_INTEGERS, "6", "0", 6]) {
      const res = await review(score);
      expect([JSON.stringify(score), res.status, res.body.code]).toEqual([JSON.stringify(score), 400, "invalid_input"]);
    }
    expect(await dbSnapshot()).toEqual(before);
    const ok = await review("4");
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ score: 4, result: "approved" });
  });

  it('score adjustment: "2" and "-2" are integers, "2.0" is not', async () => {
    const adjust = (score_delta: unknown) =>
      call("POST", "/api/scores/adjust", {
        key: planner.key,
        body: { agent_id: exec.id, score_delta, reason: "quoted number" },
      });
    expect((await adjust("2")).body).toMatchObject({ score_delta: 2 });
    expect((await adjust("-2")).body).toMatchObject({ score_delta: -2 });
    for (const bad of ["2.0", "0", ""]) expect((await adjust(bad)).status).toBe(400);
  });

  it("the OpenAPI document and the MCP tool schemas still say type integer", async () => {
    const doc = (await call("GET", "/api/openapi.json")).body;
    const bodyOf = (path: string) => doc.paths[path].post.requestBody.content["application/json"].schema;
    expect(bodyOf("/api/review-records").properties.score).toEqual({ type: "integer", minimum: 1, maximum: 5 });
    expect(bodyOf("/api/scores/adjust").properties.score_delta).toMatchObject({
      type: "integer",
      minimum: -1000,
      maximum: 1000,
    });

    const rpc = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };
    const res = await call("POST", "/mcp", {
      key: reviewer.key,
      body: rpc,
      headers: { accept: "application/json, text/event-stream" },
    });
    const tools: { name: string; inputSchema: { properties: Record<string, unknown> } }[] = res.body.result.tools;
    const schemaOf = (name: string) => tools.find((t) => t.name === name)!.inputSchema.properties;
    expect(schemaOf("review_sub_task").score).toEqual({ type: "integer", minimum: 1, maximum: 5 });
    expect(schemaOf("adjust_score").score_delta).toMatchObject({ type: "integer" });
  });
});
