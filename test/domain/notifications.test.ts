import { describe, expect, it } from "vitest";
import {
  buildRequest,
  type ChannelConfig,
  channelWants,
  type EventData,
  feishuSign,
  formatMessage,
  judgeResponse,
  MAX_ATTEMPTS,
  type OutboxEvent,
  retryDelayMs,
  scrubError,
  webhookSignature,
} from "../../worker/domain/notifications";

const MIN = 60_000;
const NOW = new Date("2026-11-28T12:00:00.500Z");
const NOW_S = "1795867200"; // NOW in whole seconds

const channel = (over: Partial<ChannelConfig> = {}): ChannelConfig => ({
  id: "ch",
  type: "webhook",
  url: "https://hooks.example.com/in/abc?token=t0ken",
  secret: "",
  events: [],
  enabled: true,
  ...over,
});

const PAYLOAD: EventData = {
  task: { id: "t1", name: "Data pipeline" },
  sub_task: { id: "s1", name: "clean data", status: "rework", assigned_agent: "a1" },
  actor: { kind: "agent", id: "r1", name: "reviewer-cy" },
  review: { round: 2, result: "rejected", score: 2, issues: "nulls are dropped\nsilently", comment: "needs work" },
};

const EVENT: OutboxEvent = {
  id: "evt-1",
  event: "review_rejected",
  payload: PAYLOAD,
  createdAt: "2026-11-28T11:59:59.000Z",
};

const enc = new TextEncoder();
const hmacKey = (key: string) =>
  crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const fromHex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

describe("channelWants", () => {
  const cases: [notifOn: boolean, chanOn: boolean, chanEvents: string[], globalEvents: string[], wants: boolean][] = [
    [true, true, [], ["review_rejected"], true],
    [true, true, [], ["all_done"], false],
    [true, true, [], [], false],
    [true, true, ["review_rejected"], [], true],
    [true, true, ["review_rejected"], ["all_done"], true],
    // A channel's own list replaces the global one, it does not add to it.
    [true, true, ["all_done"], ["review_rejected"], false],
    [false, true, [], ["review_rejected"], false],
    [false, true, ["review_rejected"], ["review_rejected"], false],
    [true, false, [], ["review_rejected"], false],
    [true, false, ["review_rejected"], ["review_rejected"], false],
    [false, false, ["review_rejected"], ["review_rejected"], false],
  ];
  for (const [notifOn, chanOn, chanEvents, globalEvents, wants] of cases) {
    it(`notification ${notifOn ? "on" : "off"}, channel ${chanOn ? "on" : "off"}, channel events [${chanEvents}], global [${globalEvents}] → ${wants}`, () => {
      expect(
        channelWants(
          channel({ enabled: chanOn, events: chanEvents }),
          { enabled: notifOn, events: globalEvents },
          "review_rejected",
        ),
      ).toBe(wants);
    });
  }
});

describe("retryDelayMs", () => {
  it("doubles from one minute and is capped at one hour", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelayMs)).toEqual(
      [1, 2, 4, 8, 16, 32, 60, 60, 60].map((m) => m * MIN),
    );
  });

  it("treats anything under one attempt as the first", () => {
    expect(retryDelayMs(0)).toBe(MIN);
  });

  it("gives up after six attempts, having waited 1+2+4+8+16 minutes between them", () => {
    expect(MAX_ATTEMPTS).toBe(6);
    let total = 0;
    for (let a = 1; a < MAX_ATTEMPTS; a++) total += retryDelayMs(a);
    expect(total).toBe(31 * MIN);
  });
});

describe("formatMessage", () => {
  it("review_rejected names the project, task, sub-task, round, score, reviewer, issues and comment", () => {
    const text = formatMessage("review_rejected", PAYLOAD, "Moss");
    expect(text).toBe(
      '[Moss] Sub-task "clean data" of task "Data pipeline" was rejected in review round 2, score 2 by reviewer-cy.\n' +
        "Issues: nulls are dropped silently\nComment: needs work",
    );
  });

  it("task_completed, all_done, submitted and blocked", () => {
    const approved = { ...PAYLOAD, review: { round: 1, result: "approved", score: 5, issues: "", comment: "" } };
    expect(formatMessage("task_completed", approved, "Moss")).toBe(
      '[Moss] Sub-task "clean data" of task "Data pipeline" is done (approved in review round 1, score 5 by reviewer-cy).',
    );
    expect(formatMessage("task_completed", { ...PAYLOAD, review: undefined }, "Moss")).toBe(
      '[Moss] Sub-task "clean data" of task "Data pipeline" is done (completed by reviewer-cy).',
    );
    expect(formatMessage("all_done", approved, "Moss")).toBe(
      '[Moss] All sub-tasks of task "Data pipeline" are done: the task is completed.',
    );
    const byExec = { ...PAYLOAD, actor: { kind: "agent", id: "e", name: "executor-bob" } };
    expect(formatMessage("sub_task_submitted", byExec, "Moss")).toBe(
      '[Moss] Sub-task "clean data" of task "Data pipeline" was submitted for review by executor-bob.',
    );
    expect(formatMessage("sub_task_blocked", byExec, "Moss")).toBe(
      '[Moss] Sub-task "clean data" of task "Data pipeline" was blocked by executor-bob.',
    );
  });

  it("patrol_alert gives severity, type and description", () => {
    const patrol = {
      patrol: {
        type: "timeout",
        severity: "critical",
        description: 'sub-task "x" in progress for 130 min',
        target: "sub_task:x",
      },
    };
    expect(formatMessage("patrol_alert", patrol, "Moss")).toBe(
      '[Moss] Patrol alert, critical: timeout: sub-task "x" in progress for 130 min',
    );
  });

  it("quotes long free text shortly", () => {
    const long = { ...PAYLOAD, review: { ...PAYLOAD.review!, issues: "x".repeat(5000), comment: "" } };
    expect(formatMessage("review_rejected", long, "Moss").length).toBeLessThan(500);
  });
});

const CTX = { projectName: "Moss", externalUrl: "" };
const LINKED = { projectName: "Moss", externalUrl: "https://moss.example.com/" };

describe("buildRequest", () => {
  it("slack: one verbatim mrkdwn section, the same text as fallback, no previews", async () => {
    const req = await buildRequest(
      channel({ type: "slack", url: "https://hooks.slack.com/services/T0/B0/XYZ" }),
      EVENT,
      NOW,
      CTX,
    );
    expect(req.url).toBe("https://hooks.slack.com/services/T0/B0/XYZ");
    expect(req.headers).toEqual({ "Content-Type": "application/json" });
    const text = formatMessage("review_rejected", PAYLOAD, "Moss");
    expect(JSON.parse(req.body)).toEqual({
      text,
      blocks: [{ type: "section", text: { type: "mrkdwn", text, verbatim: true } }],
      unfurl_links: false,
      unfurl_media: false,
    });
  });

  it("slack with an external URL: a link to the sub-task's page, after the text", async () => {
    const req = await buildRequest(channel({ type: "slack" }), EVENT, NOW, LINKED);
    expect(JSON.parse(req.body).text).toBe(
      `${formatMessage("review_rejected", PAYLOAD, "Moss")}\n<https://moss.example.com/sub-tasks/s1|Open the sub-task>`,
    );
  });

  it("feishu without a secret: a rich-text post, one plain text paragraph per line", async () => {
    const req = await buildRequest(channel({ type: "feishu" }), EVENT, NOW, CTX);
    expect(req.headers).toEqual({ "Content-Type": "application/json" });
    const lines = formatMessage("review_rejected", PAYLOAD, "Moss").split("\n");
    expect(JSON.parse(req.body)).toEqual({
      msg_type: "post",
      content: { post: { zh_cn: { content: lines.map((text) => [{ tag: "text", text }]) } } },
    });
  });

  it("feishu with an external URL: the only link element is ours", async () => {
    const body = JSON.parse((await buildRequest(channel({ type: "feishu" }), EVENT, NOW, LINKED)).body);
    expect(body.content.post.zh_cn.content.at(-1)).toEqual([
      { tag: "a", text: "Open the sub-task", href: "https://moss.example.com/sub-tasks/s1" },
    ]);
  });

  it("feishu with a secret: timestamp in seconds and a sign the bot can verify", async () => {
    const secret = "feishu-secret-123";
    const req = await buildRequest(channel({ type: "feishu", secret }), EVENT, NOW, CTX);
    const body = JSON.parse(req.body);
    expect(body).toEqual({
      timestamp: NOW_S,
      sign: expect.any(String),
      msg_type: "post",
      content: { post: { zh_cn: { content: expect.any(Array) } } },
    });
    // What Feishu does: HMAC-SHA256 keyed by "timestamp\nsecret" over an empty message, base64.
    const key = await hmacKey(`${body.timestamp}\n${secret}`);
    expect(await crypto.subtle.verify("HMAC", key, fromBase64(body.sign), new Uint8Array(0))).toBe(true);
    expect(
      await crypto.subtle.verify(
        "HMAC",
        await hmacKey(`${body.timestamp}\nwrong`),
        fromBase64(body.sign),
        new Uint8Array(0),
      ),
    ).toBe(false);
    expect(await feishuSign(NOW_S, secret)).toBe(body.sign);
    expect(req.body).not.toContain(secret);
  });

  it("webhook: event envelope and headers, unsigned without a secret", async () => {
    const req = await buildRequest(channel(), EVENT, NOW, LINKED);
    expect(req.headers).toEqual({
      "Content-Type": "application/json",
      "X-OpenMOSS-Event": "review_rejected",
      "X-OpenMOSS-Delivery": "evt-1",
      "X-OpenMOSS-Timestamp": NOW_S,
    });
    expect(JSON.parse(req.body)).toEqual({
      id: "evt-1",
      event: "review_rejected",
      created_at: "2026-11-28T11:59:59.000Z",
      project: "Moss",
      text: formatMessage("review_rejected", PAYLOAD, "Moss"),
      data: PAYLOAD,
    });
  });

  it("webhook with a secret: sha256=hex HMAC(secret, timestamp.body), verifiable by the receiver", async () => {
    const secret = "whsec-abc";
    const req = await buildRequest(channel({ secret }), EVENT, NOW, CTX);
    const sig = req.headers["X-OpenMOSS-Signature"]!;
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    const signed = enc.encode(`${req.headers["X-OpenMOSS-Timestamp"]}.${req.body}`);
    expect(await crypto.subtle.verify("HMAC", await hmacKey(secret), fromHex(sig.slice(7)), signed)).toBe(true);
    // Any change to the body or timestamp breaks it.
    expect(
      await crypto.subtle.verify(
        "HMAC",
        await hmacKey(secret),
        fromHex(sig.slice(7)),
        enc.encode(`${NOW_S}.${req.body} `),
      ),
    ).toBe(false);
    expect(
      await crypto.subtle.verify("HMAC", await hmacKey(secret), fromHex(sig.slice(7)), enc.encode(`1.${req.body}`)),
    ).toBe(false);
    expect(await webhookSignature(secret, NOW_S, req.body)).toBe(sig);
    expect(req.body).not.toContain(secret);
  });
});

describe("buildRequest with hostile agent text", () => {
  const HOSTILE =
    "<!channel> <!here> <https://evil.example|https://moss.example.com/login> <@U123> <#C1> <!subteam^S1> & " +
    '<at user_id="all">all</at> [log in](https://evil.example) @channel';
  const hostile: EventData = {
    task: { id: "t1", name: HOSTILE },
    sub_task: { id: "s1", name: HOSTILE, status: "rework", assigned_agent: "a1" },
    actor: { kind: "agent", id: "r1", name: HOSTILE },
    review: { round: 1, result: "rejected", score: 1, issues: HOSTILE, comment: HOSTILE },
    patrol: { type: "timeout", severity: "critical", description: HOSTILE, target: "sub_task:s1" },
  };
  const OUR_SLACK_LINK = "<https://moss.example.com/sub-tasks/s1|Open the sub-task>";

  for (const event of ["review_rejected", "patrol_alert", "task_completed", "sub_task_blocked"]) {
    it(`slack, ${event}: no mention, link or entity forms from agent text; ours is the only link`, async () => {
      const req = await buildRequest(channel({ type: "slack" }), { ...EVENT, event, payload: hostile }, NOW, LINKED);
      const body = JSON.parse(req.body);
      for (const text of [body.text as string, body.blocks[0].text.text as string]) {
        expect(text.endsWith(`\n${OUR_SLACK_LINK}`)).toBe(true);
        const agentPart = text.slice(0, -OUR_SLACK_LINK.length);
        for (const bad of ["<!", "<http", "<@", "<#", "<at", "](", "@channel"]) expect(agentPart).not.toContain(bad);
        expect(agentPart).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
        expect(agentPart).toContain("&lt;!channel&gt;"); // still readable, as text
      }
      expect(body.blocks[0].text.verbatim).toBe(true);
    });

    it(`feishu, ${event}: no tag forms from agent text; the only link element is ours`, async () => {
      const req = await buildRequest(channel({ type: "feishu" }), { ...EVENT, event, payload: hostile }, NOW, LINKED);
      expect(req.body).not.toMatch(/[<>]/);
      expect(req.body).not.toContain("](");
      const elements = JSON.parse(req.body).content.post.zh_cn.content.flat() as { tag: string; href?: string }[];
      expect(elements.filter((e) => e.tag !== "text")).toEqual([
        { tag: "a", text: "Open the sub-task", href: "https://moss.example.com/sub-tasks/s1" },
      ]);
    });

    it(`webhook, ${event}: the raw text, as JSON strings`, async () => {
      const body = JSON.parse((await buildRequest(channel(), { ...EVENT, event, payload: hostile }, NOW, LINKED)).body);
      expect(body.data).toEqual(hostile);
      expect(body.text).toBe(formatMessage(event, hostile, "Moss"));
      expect(body.text).toContain(HOSTILE);
    });
  }
});

describe("judgeResponse", () => {
  it("2xx is success, anything else a failure with the status", () => {
    expect(judgeResponse("slack", 200, "ok")).toEqual({ ok: true });
    expect(judgeResponse("webhook", 204, "")).toEqual({ ok: true });
    expect(judgeResponse("slack", 404, "no_service")).toEqual({ ok: false, error: "HTTP 404: no_service" });
    expect(judgeResponse("webhook", 302, "")).toEqual({ ok: false, error: "HTTP 302" });
  });

  it("feishu: 200 with a non-zero code is a failure", () => {
    expect(judgeResponse("feishu", 200, '{"code":0,"msg":"success","data":{}}')).toEqual({ ok: true });
    expect(judgeResponse("feishu", 200, '{"StatusCode":0,"StatusMessage":"success"}')).toEqual({ ok: true });
    expect(
      judgeResponse(
        "feishu",
        200,
        '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}',
      ),
    ).toEqual({
      ok: false,
      error: "Feishu code 19021: sign match fail or timestamp is not within one hour from current time",
    });
    expect(judgeResponse("feishu", 200, "not json")).toEqual({ ok: true });
    // Only Feishu speaks this dialect.
    expect(judgeResponse("webhook", 200, '{"code":1}')).toEqual({ ok: true });
  });
});

describe("scrubError", () => {
  it("keeps only the host of URLs, masks secrets and bounds the length", () => {
    const text = "TypeError: could not reach https://hooks.slack.com/services/T0/B0/XYZ?x=1 (secret s3cr3t-value)";
    expect(scrubError(text, ["s3cr3t-value"])).toBe("TypeError: could not reach hooks.slack.com (secret ***)");
    expect(scrubError("e ".repeat(600)).length).toBe(500);
  });
});
