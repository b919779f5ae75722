// Agent-written text reaches Slack and Feishu inert, through the real path: a rejection and a patrol
// record with hostile text are filed over HTTP, and the dispatcher delivers the events they raised
// through a scripted fetch. The generic webhook carries the same text unchanged, as JSON strings.
import { describe, expect, it } from "vitest";
import { call, initialize, ok, register } from "./helpers";
import { dispatch, fakeFetch, type Sent } from "./notification-helpers";

const HOSTILE =
  "<!channel> <!here> <https://evil.example|https://our-server.example/login> <@U123> <#C1> & " +
  '<at user_id="all">all</at> [log in](https://evil.example) @channel';
const OUR_BASE = "https://moss.example.com";
const SLACK_URL = "https://hooks.slack.com/services/T1/B1/s";
const FEISHU_URL = "https://open.feishu.cn/open-apis/bot/v2/hook/f";
const WEBHOOK_URL = "https://receiver.example.com/hook";

/** Sets up three channels and our external URL through the admin API, then raises two events with hostile text. */
async function hostileEvents(): Promise<{ subTaskId: string }> {
  const admin = await initialize();
  await ok(
    call("PUT", "/api/admin/config", {
      admin,
      body: {
        server: { external_url: OUR_BASE },
        notification: {
          enabled: true,
          events: ["review_rejected", "patrol_alert"],
          webhooks: [
            { name: "slack", type: "slack", url: SLACK_URL },
            { name: "feishu", type: "feishu", url: FEISHU_URL },
            { name: "hook", type: "webhook", url: WEBHOOK_URL },
          ],
        },
      },
    }),
  );
  const [planner, exec, reviewer, patrol] = await Promise.all([
    register("planner"),
    register("executor"),
    register("reviewer"),
    register("patrol"),
  ]);
  const task = await ok(
    call("POST", "/api/tasks", { key: planner.key, body: { name: "Data pipeline", description: HOSTILE } }),
  );
  const st = await ok(
    call("POST", "/api/sub-tasks", {
      key: planner.key,
      body: { task_id: task.id, name: "clean data", description: HOSTILE },
    }),
  );
  for (const op of ["claim", "start", "submit"])
    await ok(call("POST", `/api/sub-tasks/${st.id}/${op}`, { key: exec.key }));
  await ok(
    call("POST", "/api/review-records", {
      key: reviewer.key,
      body: { sub_task_id: st.id, result: "rejected", score: 1, issues: HOSTILE, comment: HOSTILE },
    }),
  );
  await ok(
    call("POST", "/api/patrol/records", {
      key: patrol.key,
      body: { type: "stuck", severity: "critical", sub_task_id: st.id, description: HOSTILE },
    }),
  );
  return { subTaskId: st.id };
}

describe("notifications carry hostile agent text inert", () => {
  it("Slack: no mention or link forms from agent text; Feishu: no tag or foreign link; webhook: the raw text", async () => {
    const { subTaskId } = await hostileEvents();
    const { fetcher, sent } = fakeFetch((req) =>
      req.url === FEISHU_URL ? Response.json({ code: 0 }) : new Response("ok"),
    );
    const run = await dispatch(new Date(), fetcher);
    expect(run).toMatchObject({ sent: 6, failed: 0 }); // two events (rejected, patrol alert) to three channels
    const to = (url: string) => sent.filter((r: Sent) => r.url === url).map((r) => JSON.parse(r.body));
    // Our only link: the sub-task's page for the rejection; the patrol page for the alert (it names no sub-task).
    const ourLink = (text: string) =>
      text.includes("Patrol alert")
        ? [`${OUR_BASE}/patrol`, "Open the patrol page"]
        : [`${OUR_BASE}/sub-tasks/${subTaskId}`, "Open the sub-task"];

    const slack = to(SLACK_URL);
    expect(slack).toHaveLength(2);
    for (const body of slack) {
      for (const text of [body.text as string, body.blocks[0].text.text as string]) {
        const [agentPart, link] = [text.slice(0, text.lastIndexOf("\n")), text.slice(text.lastIndexOf("\n") + 1)];
        const [url, label] = ourLink(text);
        expect(link).toBe(`<${url}|${label}>`);
        for (const bad of ["<!", "<http", "<@", "<#", "<at", "](", "@channel"])
          expect(agentPart, bad).not.toContain(bad);
        expect(agentPart).not.toMatch(/[<>]/);
        expect(agentPart).toContain("&lt;!channel&gt;");
      }
      expect(body.blocks[0].text.verbatim).toBe(true);
    }

    const feishu = to(FEISHU_URL);
    expect(feishu).toHaveLength(2);
    for (const body of feishu) {
      expect(JSON.stringify(body)).not.toMatch(/<at|[<>]|\]\(/);
      const elements = (body.content.post.zh_cn.content as { tag: string; text: string; href?: string }[][]).flat();
      const [url, label] = ourLink(elements[0]!.text);
      expect(elements.filter((e) => e.tag !== "text")).toEqual([{ tag: "a", text: label, href: url }]);
    }

    const hooks = to(WEBHOOK_URL);
    expect(hooks.map((b) => b.event).sort()).toEqual(["patrol_alert", "review_rejected"]);
    const rejected = hooks.find((b) => b.event === "review_rejected");
    expect(rejected.data.review).toMatchObject({ issues: HOSTILE, comment: HOSTILE });
    expect(rejected.text).toContain(HOSTILE);
    expect(hooks.find((b) => b.event === "patrol_alert").data.patrol.description).toBe(HOSTILE);
  });
});
