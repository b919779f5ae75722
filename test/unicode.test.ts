// CJK, emoji and other non-ASCII text round-trips exactly through every text field the API stores:
// what goes in is what comes back out of every read endpoint, and what sits in D1. The exceptions are
// deliberate (issue 11, domain/text-rules.ts): CRLF is stored as LF; controls other than tab and
// newline, bidi overrides and hidden tag text are refused; names are one visible line; agent names are
// stored NFKC-normalized. The last tests here pin those exceptions down.
import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, ALL_ROLES, call, env, login, ok, SETUP_TOKEN } from "./helpers";

/** The headline sample, plus the usual suspects for text handling bugs. */
const SAMPLES = {
  headline: "数据清洗 ✅ 🚀 日本語テキスト 한국어 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  zwj: "👨‍👩‍👧‍👦 family · 🏳️‍🌈 flag · 🇯🇵🇰🇷 flags · 👍🏽 skin tone",
  // Not normalized on purpose: NFD "é" next to NFC "é"; neither may be rewritten.
  combining: "e\u0301 ≠ \u00e9 · A\u030a ≠ \u00c5 · 가 ≠ \u1100\u1161",
  rtl: "مرحبا بالعالم · שלום עולם · ‏mark‏",
  oddities: "Zero\u200bwidth · nbsp\u00a0here · tab\there · line\nbreak · ﬁ ligature · ß · \u2028sep",
  markup: "<script>alert('x')</script> & \"quotes\" \\ backslash {{project_name}} $& $1 %s %n",
} as const;

const ALL = Object.values(SAMPLES).join(" | ");
/** Distinct text per field, so a mix-up between two fields is caught too. */
const T = (field: string) => `${SAMPLES.headline} ⟨${field}⟩ ${ALL}`;
/** Names are trimmed and shorter; keep them free of edge whitespace and within 100 characters. */
const N = (field: string) => `${SAMPLES.headline} ${field} 🇯🇵`;
/** Agent names: letters of many scripts (Latin mixed with no other look-alike script), NFKC-stable, no symbols. */
const AN = (field: string) => `数据清洗 日本語テキスト 한국어 Zoë ${field}`;

const bytes = (s: string) => Array.from(new TextEncoder().encode(s));

/** Exact equality, reported both as text and as UTF-8 bytes. */
function same(actual: unknown, expected: string, what: string): void {
  expect(typeof actual, what).toBe("string");
  expect(actual, what).toBe(expected);
  expect(bytes(actual as string), what).toEqual(bytes(expected));
}

async function stored(sql: string, ...binds: unknown[]): Promise<Record<string, unknown>> {
  const row = await env.DB.prepare(sql)
    .bind(...binds)
    .first<Record<string, unknown>>();
  if (!row) throw new Error(`no row for ${sql}`);
  return row;
}

const PROJECT = N("project");
// A path is one visible line: no zero-width joiner, so no ZWJ emoji sequence here (descriptions keep them).
const WORKSPACE = `/srv/${SAMPLES.headline}/👍🏽 🇯🇵`;
const REG_TOKEN = "unicode-registration-token";

async function setupUnicode(): Promise<string> {
  await ok(
    call("POST", "/api/setup/initialize", {
      headers: { "x-setup-token": SETUP_TOKEN },
      body: {
        admin_password: ADMIN_PASSWORD,
        project_name: PROJECT,
        workspace_root: WORKSPACE,
        registration_token: REG_TOKEN,
        registration_roles: ALL_ROLES,
      },
    }),
  );
  return login();
}

interface Agent {
  id: string;
  key: string;
  name: string;
}

async function registerAgent(role: string, name: string, description: string): Promise<Agent> {
  const res = await ok(
    call("POST", "/api/agents/register", {
      headers: { "x-registration-token": REG_TOKEN },
      body: { name, role, description },
    }),
  );
  same(res.name, name, "register response name");
  return { id: res.id, key: res.api_key, name };
}

describe("unicode round-trips", () => {
  it("setup: project_name and workspace_root come back through /health, the merged rules and D1", async () => {
    await setupUnicode();
    same((await ok(call("GET", "/api/health"))).service, PROJECT, "health service");
    const settings = await env.DB.prepare(
      "select key, value from setting where key in ('project.name', 'workspace.root')",
    ).all<{ key: string; value: string }>();
    const byKey = Object.fromEntries(settings.results.map((r) => [r.key, JSON.parse(r.value) as string]));
    same(byKey["project.name"], PROJECT, "stored project.name");
    same(byKey["workspace.root"], WORKSPACE, "stored workspace.root");

    const agent = await registerAgent("executor", AN("reader"), "");
    const rules = await ok(call("GET", "/api/rules", { key: agent.key, query: { cli_version: 2 } }));
    expect(rules.content).toContain(PROJECT);
    expect(rules.content).toContain(WORKSPACE);
    expect(rules.content).not.toContain("{{project_name}}");
    expect(rules.content).not.toContain("{{workspace_root}}");
  });

  it("agents, tasks, modules, sub-tasks, sessions, reviews, logs, score reasons, block reasons and rules", async () => {
    const admin = await setupUnicode();

    // --- agents: self-registered and admin-created -------------------------------------------
    const planner = await registerAgent("planner", AN("planner"), T("planner description"));
    const exec = await registerAgent("executor", AN("executor"), T("executor description"));
    const reviewer = await registerAgent("reviewer", AN("reviewer"), T("reviewer description"));
    const patrol = await registerAgent("patrol", AN("patrol"), T("patrol description"));
    const created = await ok(
      call("POST", "/api/agents", {
        admin,
        body: { name: AN("admin-made"), role: "executor", description: T("admin-made description") },
      }),
    );
    same(created.name, AN("admin-made"), "admin create response name");
    const exec2: Agent = { id: created.id, key: created.api_key, name: AN("admin-made") };

    const agents = await ok(call("GET", "/api/agents", { key: exec.key }));
    const expectedAgents: [Agent, string][] = [
      [planner, T("planner description")],
      [exec, T("executor description")],
      [reviewer, T("reviewer description")],
      [patrol, T("patrol description")],
      [exec2, T("admin-made description")],
    ];
    for (const [a, description] of expectedAgents) {
      const row = agents.find((x: { id: string }) => x.id === a.id);
      same(row?.name, a.name, `GET /api/agents name of ${a.name}`);
      same(row?.description, description, `GET /api/agents description of ${a.name}`);
      const db = await stored("select name, description from agent where id = ?", a.id);
      same(db.name, a.name, "stored agent name");
      same(db.description, description, "stored agent description");
    }
    same((await ok(call("GET", "/api/scores/me", { key: exec.key }))).agent_name, exec.name, "scores/me agent_name");
    const board = await ok(call("GET", "/api/scores/leaderboard", { key: exec.key }));
    same(
      board.find((e: { agent_id: string }) => e.agent_id === planner.id)?.agent_name,
      planner.name,
      "leaderboard agent_name",
    );

    // --- task: create, then edit -------------------------------------------------------------
    const task = await ok(
      call("POST", "/api/tasks", { key: planner.key, body: { name: N("task"), description: T("task description") } }),
    );
    same(task.name, N("task"), "task create response name");
    same(task.description, T("task description"), "task create response description");
    let read = await ok(call("GET", `/api/tasks/${task.id}`, { key: exec.key }));
    same(read.name, N("task"), "task name");
    same(read.description, T("task description"), "task description");
    const edited = await ok(
      call("PUT", `/api/tasks/${task.id}`, {
        key: planner.key,
        body: { name: N("task edited"), description: T("task description edited") },
      }),
    );
    same(edited.name, N("task edited"), "task edit response name");
    read = await ok(call("GET", `/api/tasks/${task.id}`, { key: exec.key }));
    same(read.name, N("task edited"), "edited task name");
    same(read.description, T("task description edited"), "edited task description");
    const listedTask = (await ok(call("GET", "/api/tasks", { key: exec.key }))).items.find(
      (t: { id: string }) => t.id === task.id,
    );
    same(listedTask?.name, N("task edited"), "task list name");
    same(listedTask?.description, T("task description edited"), "task list description");
    const taskRow = await stored("select name, description from task where id = ?", task.id);
    same(taskRow.name, N("task edited"), "stored task name");
    same(taskRow.description, T("task description edited"), "stored task description");

    // --- module ---------------------------------------------------------------------------------
    const mod = await ok(
      call("POST", `/api/tasks/${task.id}/modules`, {
        key: planner.key,
        body: { name: N("module"), description: T("module description") },
      }),
    );
    const modules = await ok(call("GET", `/api/tasks/${task.id}/modules`, { key: exec.key }));
    expect(modules).toHaveLength(1);
    same(modules[0].name, N("module"), "module name");
    same(modules[0].description, T("module description"), "module description");
    const modRow = await stored("select name, description from module where id = ?", mod.id);
    same(modRow.name, N("module"), "stored module name");
    same(modRow.description, T("module description"), "stored module description");

    // --- sub-task: create, edit, read through every read path ------------------------------------
    const fields = ["description", "deliverable", "acceptance"] as const;
    const st = await ok(
      call("POST", "/api/sub-tasks", {
        key: planner.key,
        body: {
          task_id: task.id,
          module_id: mod.id,
          name: N("sub-task"),
          description: T("st description"),
          deliverable: T("st deliverable"),
          acceptance: T("st acceptance"),
        },
      }),
    );
    same(st.name, N("sub-task"), "sub-task create response name");
    for (const f of fields) same(st[f], T(`st ${f}`), `sub-task create response ${f}`);
    const detail = await ok(call("GET", `/api/sub-tasks/${st.id}`, { key: exec.key }));
    same(detail.name, N("sub-task"), "sub-task detail name");
    for (const f of fields) same(detail[f], T(`st ${f}`), `sub-task detail ${f}`);
    const available = (await ok(call("GET", "/api/sub-tasks/available", { key: exec.key }))).items[0];
    same(available?.name, N("sub-task"), "available name");
    for (const f of fields) same(available?.[f], T(`st ${f}`), `available ${f}`);

    const stEdited = await ok(
      call("PUT", `/api/sub-tasks/${st.id}`, {
        key: planner.key,
        body: {
          name: N("sub-task edited"),
          description: T("st description edited"),
          deliverable: T("st deliverable edited"),
          acceptance: T("st acceptance edited"),
        },
      }),
    );
    same(stEdited.name, N("sub-task edited"), "sub-task edit response name");
    const expectEditedSubTask = (row: Record<string, unknown> | undefined, where: string) => {
      same(row?.name, N("sub-task edited"), `${where} name`);
      for (const f of fields) same(row?.[f], T(`st ${f} edited`), `${where} ${f}`);
    };
    expectEditedSubTask(await ok(call("GET", `/api/sub-tasks/${st.id}`, { key: exec.key })), "sub-task detail");
    expectEditedSubTask(
      (await ok(call("GET", "/api/sub-tasks", { key: exec.key, query: { task_id: task.id } }))).items[0],
      "sub-task list",
    );
    expectEditedSubTask(
      await stored("select name, description, deliverable, acceptance from sub_task where id = ?", st.id),
      "stored sub-task",
    );

    // --- session ids: claim, start, session ---------------------------------------------------------
    const sessions = [`cron:${SAMPLES.headline}:run:1`, `${SAMPLES.zwj}:2`, `${SAMPLES.combining} ${SAMPLES.rtl}:3`];
    same(
      (await ok(call("POST", `/api/sub-tasks/${st.id}/claim`, { key: exec.key, body: { session_id: sessions[0] } })))
        .current_session_id,
      sessions[0]!,
      "claim session",
    );
    same(
      (await ok(call("GET", `/api/sub-tasks/${st.id}`, { key: exec.key }))).current_session_id,
      sessions[0]!,
      "claimed session read back",
    );
    same(
      (await ok(call("POST", `/api/sub-tasks/${st.id}/start`, { key: exec.key, body: { session_id: sessions[1] } })))
        .current_session_id,
      sessions[1]!,
      "start session",
    );
    same(
      (await ok(call("GET", `/api/sub-tasks/${st.id}`, { key: exec.key }))).current_session_id,
      sessions[1]!,
      "started session read back",
    );
    same(
      (await ok(call("POST", `/api/sub-tasks/${st.id}/session`, { key: exec.key, body: { session_id: sessions[2] } })))
        .current_session_id,
      sessions[2]!,
      "session update",
    );
    const mineRow = (await ok(call("GET", "/api/sub-tasks/mine", { key: exec.key }))).items[0];
    same(mineRow?.current_session_id, sessions[2]!, "mine session");
    expectEditedSubTask(mineRow, "mine");
    same(
      (await stored("select current_session_id from sub_task where id = ?", st.id)).current_session_id,
      sessions[2]!,
      "stored session",
    );
    expectEditedSubTask(
      await ok(call("GET", "/api/sub-tasks/latest", { key: exec.key, query: { task_id: task.id } })),
      "latest",
    );

    // --- activity log: summary and session id ---------------------------------------------------------
    const log = await ok(
      call("POST", "/api/logs", {
        key: exec.key,
        body: { action: "coding", summary: T("log summary"), sub_task_id: st.id, session_id: sessions[2] },
      }),
    );
    same(log.summary, T("log summary"), "log create response summary");
    for (const [path, key, query] of [
      ["/api/logs", reviewer.key, { sub_task_id: st.id }],
      ["/api/logs/mine", exec.key, {}],
    ] as const) {
      const logs = await ok(call("GET", path, { key, query }));
      expect(logs, path).toHaveLength(1);
      same(logs[0].summary, T("log summary"), `${path} summary`);
      same(logs[0].session_id, sessions[2]!, `${path} session_id`);
    }
    const logRow = await stored("select summary, session_id from activity_log where id = ?", log.id);
    same(logRow.summary, T("log summary"), "stored log summary");
    same(logRow.session_id, sessions[2]!, "stored log session_id");

    // --- review: issues and comment --------------------------------------------------------------------
    await ok(call("POST", `/api/sub-tasks/${st.id}/submit`, { key: exec.key }));
    const rejected = await ok(
      call("POST", "/api/review-records", {
        key: reviewer.key,
        body: {
          sub_task_id: st.id,
          result: "rejected",
          score: 2,
          issues: T("review issues"),
          comment: T("review comment"),
        },
      }),
    );
    for (const rec of [
      rejected,
      await ok(call("GET", `/api/review-records/${rejected.id}`, { key: exec.key })),
      (await ok(call("GET", "/api/review-records", { key: exec.key, query: { sub_task_id: st.id } }))).items[0],
      await stored("select issues, comment from review_record where id = ?", rejected.id),
    ]) {
      same(rec?.issues, T("review issues"), "review issues");
      same(rec?.comment, T("review comment"), "review comment");
    }

    // --- block reason, visible in the event history ------------------------------------------------------
    await ok(call("POST", `/api/sub-tasks/${st.id}/block`, { key: patrol.key, body: { reason: T("block reason") } }));
    const events = await ok(call("GET", `/api/sub-tasks/${st.id}/events`, { key: exec.key }));
    same(events.find((e: { op: string }) => e.op === "block")?.detail, T("block reason"), "block reason in events");

    // --- score adjust reason (and the operator's name inside the stored reason) ---------------------------
    const reason = N("adjust reason");
    const adjusted = await ok(
      call("POST", "/api/scores/adjust", {
        key: planner.key,
        body: { agent_id: exec2.id, score_delta: 7, reason, sub_task_id: st.id },
      }),
    );
    expect(adjusted.reason).toContain(reason);
    expect(adjusted.reason).toContain(planner.name);
    const ledger = await ok(call("GET", `/api/scores/${exec2.id}/logs`, { key: exec.key }));
    same(ledger.items[0]?.reason, adjusted.reason, "ledger reason");
    same(
      (await ok(call("GET", "/api/scores/me/logs", { key: exec2.key }))).items[0]?.reason,
      adjusted.reason,
      "my ledger reason",
    );
    same(
      (await stored("select reason from reward_log where id = ?", adjusted.id)).reason,
      adjusted.reason,
      "stored reason",
    );
    // The stored reason is built around the text without altering it.
    const at = (adjusted.reason as string).indexOf(reason);
    same((adjusted.reason as string).slice(at, at + reason.length), reason, "reason inside the ledger text");

    // --- rules: create, edit, read, and merged with unicode variables ---------------------------------------
    const content = `${T("task rule")}\nroot={{workspace_root}} project={{project_name}}`;
    const rule = await ok(call("POST", "/api/rules", { admin, body: { scope: "task", task_id: task.id, content } }));
    same(rule.content, content, "rule create response content");
    same((await ok(call("GET", `/api/rules/${rule.id}`, { admin }))).content, content, "rule detail content");
    const contentEdited = `${T("task rule edited")}\nroot={{workspace_root}} project={{project_name}}`;
    same(
      (await ok(call("PUT", `/api/rules/${rule.id}`, { admin, body: { content: contentEdited } }))).content,
      contentEdited,
      "rule edit response",
    );
    const list = await ok(call("GET", "/api/rules/list", { admin, query: { scope: "task" } }));
    same(list[0]?.content, contentEdited, "rule list content");
    same(
      (await stored("select content from rule where id = ?", rule.id)).content,
      contentEdited,
      "stored rule content",
    );
    const merged = await ok(call("GET", "/api/rules", { key: exec.key, query: { cli_version: 2, task_id: task.id } }));
    // Variables are replaced by the unicode values verbatim; "$&" and "{{project_name}}" inside a value stay literal.
    expect(merged.content.endsWith(`\nroot=${WORKSPACE} project=${PROJECT}`)).toBe(true);
    // The sample itself contains "{{project_name}}", which the merge replaces like any other occurrence.
    expect(merged.content).toContain(T("task rule edited").replaceAll("{{project_name}}", () => PROJECT));

    // --- the feed echoes the bodies and names as sent -------------------------------------------------------
    await env.DB.prepare(
      "insert into setting (key, value, updated_at) values ('webui.public_feed', 'true', '2026-01-01T00:00:00.000Z') on conflict(key) do update set value = 'true'",
    ).run();
    const feed = await eventually(async () => {
      const rows = await ok(call("GET", "/api/feed/logs", { query: { agent_id: exec.id, limit: 200 } }));
      return rows.find((r: { path: string }) => r.path === "/api/logs") ? rows : undefined;
    });
    const logCall = feed.find((r: { path: string }) => r.path === "/api/logs");
    same(logCall.agent_name, exec.name, "feed agent_name");
    expect(JSON.parse(logCall.request_body)).toEqual({
      action: "coding",
      summary: T("log summary"),
      sub_task_id: st.id,
      session_id: sessions[2],
    });
  });

  it("length limits count characters, not UTF-16 units or bytes", async () => {
    await setupUnicode();
    const astral = "𝔘"; // one character, two UTF-16 units, four UTF-8 bytes
    // An agent name is stored NFKC-normalized, which makes 𝔘 a plain U: this CJK character stays itself.
    const name100 = "𠀀".repeat(100);
    const agent = await registerAgent("planner", name100, astral.repeat(2000));
    same((await ok(call("GET", "/api/agents", { key: agent.key })))[0].name, name100, "100-character agent name");
    const tooLong = await call("POST", "/api/agents/register", {
      headers: { "x-registration-token": REG_TOKEN },
      body: { name: "𠀀".repeat(101), role: "executor" },
    });
    expect(tooLong.status).toBe(400);

    const name200 = "🚀".repeat(200);
    const task = await ok(
      call("POST", "/api/tasks", { key: agent.key, body: { name: name200, description: "数".repeat(10_000) } }),
    );
    same((await ok(call("GET", `/api/tasks/${task.id}`, { key: agent.key }))).name, name200, "200-character task name");
    expect((await call("POST", "/api/tasks", { key: agent.key, body: { name: "🚀".repeat(201) } })).status).toBe(400);
  });

  it("a log body truncated for the request log is cut on a character boundary", async () => {
    await setupUnicode();
    await env.DB.prepare(
      "insert into setting (key, value, updated_at) values ('webui.public_feed', 'true', '2026-01-01T00:00:00.000Z')",
    ).run();
    const agent = await registerAgent("executor", AN("long writer"), "");
    // Put an emoji across the 10,000-character cut of the logged body.
    const prefix = JSON.stringify({ action: "coding", summary: "" }).slice(0, -2);
    const summary = "x".repeat(9_999 - prefix.length) + "🚀".repeat(10);
    expect(JSON.stringify({ action: "coding", summary }).charCodeAt(9_999)).toBeGreaterThanOrEqual(0xd800);
    await ok(call("POST", "/api/logs", { key: agent.key, body: { action: "coding", summary } }));
    const rows = await eventually(async () => {
      const r = await ok(call("GET", "/api/feed/logs", { query: { agent_id: agent.id } }));
      return r.length ? r : undefined;
    });
    // Only booleans and escaped text go into assertions: a lone surrogate in a failure message would
    // break the test runner's channel.
    const body = rows[0].request_body as string;
    expect(body.endsWith("...(truncated)"), "ends with the truncation marker").toBe(true);
    expect(body.startsWith(prefix + "x".repeat(9_999 - prefix.length)), "keeps the text before the cut").toBe(true);
    const cut = body.slice(9_990, -"...(truncated)".length);
    expect(JSON.stringify(cut), "the text at the cut has no replacement character").not.toContain("\ufffd");
    expect(isWellFormed(body), `the text at the cut has no lone surrogate: ${JSON.stringify(cut)}`).toBe(true);
  });

  it("a string that is not valid Unicode (a lone surrogate) is refused with invalid_text, and nothing is stored", async () => {
    await setupUnicode();
    const agent = await registerAgent("planner", AN("surrogates"), "");
    const res = await call("POST", "/api/tasks", {
      key: agent.key,
      rawBody: '{"name":"bad \\ud800 text","description":"\\udfff"}',
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: expect.any(String), code: "invalid_text", hint: expect.any(String) });
    expect((await stored("select count(*) as n from task")).n).toBe(0);
    // Other depths, object keys and nesting limits: test/json-body.test.ts.
  });

  it("CRLF in text is stored as LF; a lone CR, which overwrites a terminal line, is refused", async () => {
    await setupUnicode();
    const agent = await registerAgent("planner", AN("crlf"), "");
    const task = await ok(
      call("POST", "/api/tasks", { key: agent.key, body: { name: N("crlf"), description: "a\r\nb 数据\r\n" } }),
    );
    same(task.description, "a\nb 数据\n", "create response description");
    same(
      (await stored("select description from task where id = ?", task.id)).description,
      "a\nb 数据\n",
      "stored description",
    );
    const lone = await call("POST", "/api/tasks", {
      key: agent.key,
      body: { name: N("lone cr"), description: "progress 10%\rprogress 100%" },
    });
    expect(lone.status).toBe(400);
    expect(lone.body).toMatchObject({ code: "invalid_text" });
    expect(lone.body.detail).toContain("U+000D");
  });

  it("NUL, ESC, C1 controls, bidi overrides and isolates, and hidden tag text are refused in text and in names; nothing is stored", async () => {
    await setupUnicode();
    const agent = await registerAgent("planner", AN("controls"), "");
    for (const [char, label] of [
      ["\u0000", "U+0000"],
      ["\u001b", "U+001B"],
      ["\u0085", "U+0085"],
      ["\u202e", "U+202E"],
      ["\u2066", "U+2066"],
      ["\u{E0041}", "U+E0041"],
    ] as const) {
      const inText = await call("POST", "/api/tasks", {
        key: agent.key,
        body: { name: N("ok"), description: `x${char}${SAMPLES.headline}` },
      });
      expect(inText.status, label).toBe(400);
      expect(inText.body, label).toMatchObject({ code: "invalid_text", detail: expect.stringContaining(label) });
      const inName = await call("POST", "/api/tasks", { key: agent.key, body: { name: `before${char}after 数据` } });
      expect(inName.status, label).toBe(400);
      expect(inName.body, label).toMatchObject({ code: "invalid_name", detail: expect.stringContaining(label) });
    }
    expect((await stored("select count(*) as n from task")).n).toBe(0);
  });

  it("a name is one visible line: zero-width, newline, U+2028 and NBSP are refused there, and kept in descriptions", async () => {
    await setupUnicode();
    const agent = await registerAgent("planner", AN("lines"), "");
    for (const [char, label] of [
      ["\u200b", "U+200B"],
      ["\n", "U+000A"],
      ["\u2028", "U+2028"],
      ["\u00a0", "U+00A0"],
    ] as const) {
      const res = await call("POST", "/api/tasks", {
        key: agent.key,
        body: { name: `a${char}b`, description: `a${char}b` },
      });
      expect(res.status, label).toBe(400);
      expect(res.body, label).toMatchObject({ code: "invalid_name", detail: expect.stringContaining(label) });
      const task = await ok(
        call("POST", "/api/tasks", { key: agent.key, body: { name: N(label), description: `a${char}b` } }),
      );
      same(
        (await stored("select description from task where id = ?", task.id)).description,
        `a${char}b`,
        `description with ${label}`,
      );
    }
  });

  it("an agent name is stored NFKC-normalized: stylised and full-width letters come back plain", async () => {
    await setupUnicode();
    const res = await ok(
      call("POST", "/api/agents/register", {
        headers: { "x-registration-token": REG_TOKEN },
        body: { name: "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ｂｏｔ", role: "executor" },
      }),
    );
    same(res.name, "Unicode bot", "register response name");
    same((await stored("select name from agent where id = ?", res.id)).name, "Unicode bot", "stored agent name");
  });
});

/** The request log is written after the response (waitUntil); poll briefly for it. */
async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out waiting for the request log");
}

function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}
