// Retrospectives from the dashboard (issue 18): two rejections with the same issue (up to a figure's
// number) make a repeated problem; the admin runs today's daily retrospective from the list page, reads
// it (totals, the repeated problem, the rejections), turns the finding into a task rule through the
// prefilled dialog (the rule lands as edited, the finding is marked, a repeat is refused), filters the
// list by scope, reads both pages in Chinese, and sets the retro schedule, zone and retention in
// Settings (an unknown zone is refused before anything is sent).
// Runs its own throw-away Worker, so other files' data cannot change what today's period holds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiCall,
  initializeOwnServer,
  type OwnServer,
  openBrowser,
  ownServer,
  type Session,
  snap,
  stepsDependOnEachOther,
  where,
} from "./harness";
import { englishLeftovers, waitUntilLoaded } from "./i18n-walk";

const PASSWORD = "retro-secret-1";
const ISSUES = ["Missing the source links for figure 3", "missing the source links for figure 7!"];
const setupToken = crypto.randomUUID().replaceAll("-", "");
const registrationToken = crypto.randomUUID().replaceAll("-", "");

let s: Session;
let server: OwnServer;
let adminToken = "";
let taskId = "";
let retroId = "";
const admin = <T = any>(method: string, path: string, body?: unknown) =>
  apiCall<T>(server.base, method, path, { "x-admin-token": adminToken }, body);

/** Registers an agent and returns a POST as that agent. */
async function agent(name: string, role: string) {
  const a = await apiCall<{ api_key: string }>(
    server.base,
    "POST",
    "/api/agents/register",
    { "x-registration-token": registrationToken },
    { name, role, description: `${role} of the retro test` },
  );
  return <T = any>(path: string, body: unknown = {}) =>
    apiCall<T>(server.base, "POST", path, { authorization: `Bearer ${a.api_key}` }, body);
}

beforeAll(async () => {
  server = await ownServer("retrospectives", 8917, setupToken);
  adminToken = await initializeOwnServer(server, { setupToken, password: PASSWORD, registrationToken, label: "retro" });
  const planner = await agent("planner-ria", "planner");
  const executor = await agent("executor-eli", "executor");
  const reviewer = await agent("reviewer-ora", "reviewer");
  taskId = (await planner<{ id: string }>("/api/tasks", { name: "Market report", description: "charts", type: "once" }))
    .id;
  for (const [i, issue] of ISSUES.entries()) {
    const st = await planner<{ id: string }>("/api/sub-tasks", {
      task_id: taskId,
      name: `chart ${i + 1}`,
      description: "draw it",
      deliverable: "a chart",
      acceptance: "sourced",
      priority: "medium",
      type: "once",
    });
    await executor(`/api/sub-tasks/${st.id}/claim`);
    await executor(`/api/sub-tasks/${st.id}/start`, { session_id: "retro-test" });
    await executor(`/api/sub-tasks/${st.id}/submit`);
    await reviewer("/api/review-records", {
      sub_task_id: st.id,
      result: "rejected",
      score: 2,
      comment: "not yet",
      issues: issue,
    });
  }
  s = await openBrowser();
  await s.page.goto(`${server.base}/login`);
  await s.page.evaluate(
    `localStorage.setItem('openmoss.admin_token', ${JSON.stringify(adminToken)}); localStorage.setItem('openmoss.lang', 'en')`,
  );
});

afterAll(async () => {
  await s?.context.close();
  await server?.dispose();
});

describe("retrospectives in the dashboard", () => {
  stepsDependOnEachOther();

  it("runs today's daily retrospective from the list page and opens it", async () => {
    const { page } = s;
    await page.goto(`${server.base}/retrospectives`);
    await page.getByRole("heading", { name: "Retrospectives", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Run now" }).click();
    const form = page.getByTestId("retro-run");
    await form.getByLabel("Period", { exact: true }).selectOption("daily");
    // The retro zone is UTC by default: today in UTC is the period that holds the rejections.
    await form.getByLabel("A day in the period (optional)").fill(new Date().toISOString().slice(0, 10));
    await form.getByRole("button", { name: "Run", exact: true }).click();
    await page.waitForURL(/\/retrospectives\/[^/]+$/);
    retroId = where(page).split("/").pop() ?? "";

    const retro = await admin("GET", `/api/retrospectives/${retroId}`);
    expect(retro.scope).toBe("team");
    expect(retro.partial).toBe(true);
    expect(retro.body.counts.rejections).toBe(ISSUES.length);
    await page.getByRole("heading", { name: /^Team retrospective · / }).waitFor();
    await page.getByText("Partial", { exact: true }).first().waitFor();
    await page.getByText(`${ISSUES.length} rejections`, { exact: true }).waitFor();
    // One repeated problem with its count, and each rejection with its issue as written.
    const patterns = page.getByTestId("retro-patterns").locator("li");
    await expect(patterns.count()).resolves.toBe(retro.body.patterns.length);
    await expect(patterns.first().textContent()).resolves.toContain(`seen ${retro.body.patterns[0].count} times`);
    for (const issue of ISSUES) await page.getByText(issue, { exact: true }).waitFor();
    await snap(page, "retrospective-detail");
  });

  it("turns a finding into a task rule through the prefilled dialog, once", async () => {
    const { page } = s;
    const before = await admin("GET", `/api/retrospectives/${retroId}`);
    const [finding] = before.body.findings;
    const pattern = before.body.patterns[finding.pattern];
    const item = page.locator(`[data-finding="${finding.id}"]`);
    await item.getByRole("button", { name: "Make a task rule" }).click();
    const form = page.getByTestId("rule-form");
    await expect(form.getByLabel("Task").inputValue()).resolves.toBe(pattern.top_task_id);
    const content = form.getByLabel("Rule", { exact: true });
    const suggested = await content.inputValue();
    expect(suggested).toContain(pattern.sample);
    expect(suggested).toContain(`${pattern.count}×`);
    const edited = `${suggested} Link every figure to its source.`;
    await content.fill(edited);
    await form.getByRole("button", { name: "Make rule" }).click();
    await item.getByText("Rule made").waitFor();

    const after = await admin("GET", `/api/retrospectives/${retroId}`);
    const ruleId = after.body.findings[0].rule_id;
    expect(ruleId).toEqual(expect.any(String));
    const rules = await admin<{ id: string; scope: string; task_id: string; content: string }[]>(
      "GET",
      "/api/rules/list",
    );
    expect(rules.find((r) => r.id === ruleId)).toMatchObject({ scope: "task", task_id: taskId, content: edited });
    const again = await fetch(`${server.base}/api/retrospectives/${retroId}/findings/${finding.id}/rule`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-admin-token": adminToken },
      body: "{}",
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe("finding_already_ruled");
  });

  it("lists the team's and the agents' retrospectives and filters them by scope", async () => {
    const { page } = s;
    await page.getByRole("link", { name: "← Retrospectives" }).click();
    const list = page.getByTestId("retrospectives");
    const all = await admin("GET", "/api/retrospectives");
    await expect.poll(() => list.locator("li[data-retro-id]").count()).toBe(all.items.length);
    const team = list.locator(`li[data-retro-id="${retroId}"]`);
    await expect(team.textContent()).resolves.toContain(`${ISSUES.length} rejections`);
    // "Repeated" marks exactly the rows whose problems came up in an earlier period too.
    for (const r of all.items as { id: string; repeated: number }[]) {
      await expect(list.locator(`li[data-retro-id="${r.id}"] [data-testid="repeated"]`).count()).resolves.toBe(
        r.repeated > 0 ? 1 : 0,
      );
    }
    await page.getByRole("group", { name: "Scope" }).getByRole("button", { name: "Team" }).click();
    await expect.poll(() => where(page)).toContain("scope=team");
    const teamOnly = await admin("GET", "/api/retrospectives?scope=team");
    await expect.poll(() => list.locator("li[data-retro-id]").count()).toBe(teamOnly.items.length);
    await expect(list.locator('li[data-scope="agent"]').count()).resolves.toBe(0);
    await snap(page, "retrospectives");
  });

  it("shows the list and the retrospective in Chinese", async () => {
    const { page } = s;
    await page.evaluate("localStorage.setItem('openmoss.lang', 'zh-CN')");
    await page.goto(`${server.base}/retrospectives`);
    await waitUntilLoaded(page);
    await page.getByRole("heading", { name: "复盘", level: 1 }).waitFor();
    expect(await englishLeftovers(page)).toEqual([]);
    await page.goto(`${server.base}/retrospectives/${retroId}`);
    await waitUntilLoaded(page);
    await page.getByRole("heading", { name: /^团队复盘 · / }).waitFor();
    expect(await englishLeftovers(page)).toEqual([]);
    await snap(page, "retrospective-detail.zh-CN");
    await page.evaluate("localStorage.setItem('openmoss.lang', 'en')");
  });

  it("sets the retrospective schedule, zone and retention in Settings", async () => {
    const { page } = s;
    await page.goto(`${server.base}/settings`);
    const section = page.locator("#retrospectives");
    await section.getByRole("radio", { name: "Weekly" }).check();
    await section.getByLabel("Time zone of the periods").fill("Mars/Olympus_Mons");
    await section.getByRole("button", { name: "Save" }).click();
    await section.getByText("This browser does not know that time zone.").waitFor();
    expect((await admin("GET", "/api/admin/config")).retro.schedule).toBe("daily");

    await section.getByLabel("Time zone of the periods").fill("Europe/Berlin");
    await section.getByLabel("Keep for (days)").fill("30");
    await section.getByRole("button", { name: "Save" }).click();
    await section.getByText("Saved.").waitFor();
    expect((await admin("GET", "/api/admin/config")).retro).toEqual({
      schedule: "weekly",
      time_zone: "Europe/Berlin",
      retention_days: 30,
    });
    expect(s.errors).toEqual([]);
  });
});
