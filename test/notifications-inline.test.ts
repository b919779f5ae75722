// The request path: a transition that raises an event has it delivered right after the response
// (waitUntil), without waiting for the cron.
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, env, initialize, register } from "./helpers";

afterEach(() => {
  vi.restoreAllMocks();
  env.NOTIFY_INLINE = "off";
});

describe("inline notification delivery", () => {
  it("delivers a submit notification right after the response, once", async () => {
    const sent: { url: string; body: string }[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      sent.push({ url: String(input instanceof Request ? input.url : input), body: String(init?.body ?? "") });
      return new Response("ok", { status: 200 });
    });
    env.NOTIFY_INLINE = "on";
    const admin = await initialize();
    await call("PUT", "/api/admin/config", {
      admin,
      body: {
        notification: {
          enabled: true,
          webhooks: [
            { name: "team", type: "slack", url: "https://hooks.slack.example/T1/B2", events: ["sub_task_submitted"] },
          ],
        },
      },
    });
    const [planner, exec] = await Promise.all([register("planner"), register("executor")]);
    const task = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "Ship it" } })).body;
    const st = (
      await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: task.id, name: "Write the docs" } })
    ).body;
    for (const op of ["claim", "start", "submit"])
      expect((await call("POST", `/api/sub-tasks/${st.id}/${op}`, { key: exec.key })).status).toBe(200);

    for (let i = 0; i < 100 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe("https://hooks.slack.example/T1/B2");
    expect(JSON.parse(sent[0]!.body).text).toContain("Write the docs");
    const delivery = await env.DB.prepare("select status, attempts from notification_delivery").all();
    expect(delivery.results).toEqual([{ status: "sent", attempts: 1 }]);
  });
});
