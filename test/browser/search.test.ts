// The team memory from the dashboard (issue 19): agents leave reflections (one in Chinese, one with
// a hostile HTML tag), a delivery, a rejected review and a task rule over the API; the admin types
// in the header's search box, sees the hits with their matches marked, narrows them to reviews,
// opens a hit's sub-task, searches in Chinese, sees the stored tag as text (nothing runs), and
// sees a refused query with the API's detail, and reads the page in Chinese with no English left.
// Runs its own throw-away Worker, so other files' data cannot change what the words find.
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

const PASSWORD = "search-secret-1";
const HOSTILE = `<img src=x onerror="window.__pwned = 1">timeout in the webhook`;
const setupToken = crypto.randomUUID().replaceAll("-", "");
const registrationToken = crypto.randomUUID().replaceAll("-", "");

let s: Session;
let server: OwnServer;
let adminToken = "";
let subTaskId = "";
const admin = <T = any>(method: string, path: string) =>
  apiCall<T>(server.base, method, path, { "x-admin-token": adminToken });

/** Registers an agent and returns a POST as that agent. */
async function agent(name: string, role: string) {
  const a = await apiCall<{ api_key: string }>(
    server.base,
    "POST",
    "/api/agents/register",
    { "x-registration-token": registrationToken },
    { name, role, description: `${role} of the search test` },
  );
  return <T = any>(path: string, body: unknown = {}) =>
    apiCall<T>(server.base, "POST", path, { authorization: `Bearer ${a.api_key}` }, body);
}

beforeAll(async () => {
  server = await ownServer("search", 8947, setupToken);
  adminToken = await initializeOwnServer(server, {
    setupToken,
    password: PASSWORD,
    registrationToken,
    label: "search",
  });
  const planner = await agent("planner-ivy", "planner");
  const executor = await agent("executor-max", "executor");
  const reviewer = await agent("reviewer-kai", "reviewer");
  const task = await planner<{ id: string }>("/api/tasks", { name: "Payments", description: "webhooks", type: "once" });
  await planner("/api/rules", { scope: "task", task_id: task.id, content: "Every webhook call sets a timeout." });
  const st = await planner<{ id: string }>("/api/sub-tasks", {
    task_id: task.id,
    name: "Retry the webhook",
    description: "Add backoff to the webhook sender",
    deliverable: "a retrying sender",
    acceptance: "tested",
    priority: "medium",
    type: "once",
  });
  subTaskId = st.id;
  await executor(`/api/sub-tasks/${st.id}/claim`);
  await executor(`/api/sub-tasks/${st.id}/start`, { session_id: "search-test" });
  await executor("/api/logs", { action: "delivery", summary: "Sender retries three times", sub_task_id: st.id });
  await executor(`/api/sub-tasks/${st.id}/submit`);
  await reviewer("/api/review-records", {
    sub_task_id: st.id,
    result: "rejected",
    score: 2,
    comment: "close",
    issues: "No test for the timeout of the retry",
  });
  await executor("/api/logs", { action: "reflection", summary: "Set a timeout before retrying", sub_task_id: st.id });
  await executor("/api/logs", { action: "reflection", summary: "下次先写超时测试，再改重试逻辑", sub_task_id: st.id });
  await executor("/api/logs", { action: "reflection", summary: HOSTILE });
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

describe("team memory search in the dashboard", () => {
  stepsDependOnEachOther();
  const hits = () => s.page.getByTestId("search-hits").locator(":scope > li");

  it("searches from the header box: every hit shown with its match marked", async () => {
    const { page } = s;
    await page.goto(`${server.base}/overview`);
    const box = page.getByRole("search", { name: "Search the team memory" }).getByRole("searchbox");
    await box.fill("timeout");
    await box.press("Enter");
    await page.waitForURL("**/search?q=timeout");
    await page.getByRole("heading", { name: "Search", level: 1 }).waitFor();
    const api = await admin<{ hits: { kind: string; snippet: string }[] }>("GET", "/api/search?q=timeout&limit=50");
    // The rule, the rejected review, the English reflection and the hostile one.
    expect(api.hits.map((h) => h.kind).sort()).toEqual(["reflection", "reflection", "review", "rule"]);
    await expect.poll(() => hits().count()).toBe(api.hits.length);
    await expect(page.getByRole("searchbox", { name: "Words" }).inputValue()).resolves.toBe("timeout");
    // Each hit marks its match, and only the match.
    for (let i = 0; i < api.hits.length; i++) {
      const marks = await hits().nth(i).locator("mark").allTextContents();
      expect(marks.length).toBeGreaterThan(0);
      for (const m of marks) expect(m.toLowerCase()).toBe("timeout");
    }
    await page.getByText("4 hits", { exact: true }).waitFor();
    await snap(page, "search", { docs: true });
  });

  it("shows a stored HTML tag as text: no element made, nothing run", async () => {
    const { page } = s;
    const hostile = hits().filter({ hasText: "onerror" });
    await expect(hostile.locator(".snippet").textContent()).resolves.toContain(
      '<img src=x onerror="window.__pwned = 1">',
    );
    await expect(page.getByTestId("search-hits").locator("img").count()).resolves.toBe(0);
    await expect(page.evaluate("window.__pwned")).resolves.toBeUndefined();
  });

  it("narrows to reviews with a kind chip, then opens the hit's sub-task", async () => {
    const { page } = s;
    await page.getByRole("list", { name: "Kinds" }).getByRole("button", { name: "Review" }).click();
    await expect.poll(() => where(page)).toBe("/search?q=timeout&kinds=review");
    await expect.poll(() => hits().count()).toBe(1);
    const review = hits().first();
    await review.getByText("Rejected", { exact: true }).waitFor();
    await review.getByText("reviewer-kai", { exact: true }).waitFor();
    await review.getByRole("link", { name: "Sub-task Retry the webhook" }).click();
    await page.waitForURL(`**/sub-tasks/${subTaskId}`);
    await page.getByRole("heading", { name: "Retry the webhook", level: 1 }).waitFor();
  });

  it("finds the Chinese reflection by two of its characters", async () => {
    const { page } = s;
    await page.goto(`${server.base}/search?q=${encodeURIComponent("超时")}`);
    await expect.poll(() => hits().count()).toBe(1);
    const hit = hits().first();
    await expect(hit.locator("mark").allTextContents()).resolves.toEqual(["超时"]);
    await hit.getByText("Reflection", { exact: true }).waitFor();
    await hit.getByText("executor-max", { exact: true }).waitFor();
  });

  it("says so when nothing matches, and reads in Chinese with no English left", async () => {
    const { page } = s;
    await page.goto(`${server.base}/search?q=zebracrossing`);
    await page.getByText("Nothing matches these words.").waitFor();
    // A refusal shows the API's own detail (the browser logs the 400 itself).
    s.allow.push(/status of 400/);
    await page.goto(`${server.base}/search?q=${encodeURIComponent("!!! ??")}`);
    const refused = page.getByRole("alert");
    await refused.getByText("The search was refused").waitFor();
    await refused.getByText("the query has no word to search for", { exact: false }).waitFor();
    s.allow.pop();
    await page.evaluate("localStorage.setItem('openmoss.lang', 'zh-CN')");
    await page.goto(`${server.base}/search?q=timeout&kinds=review,rule`);
    await waitUntilLoaded(page);
    await page.getByRole("heading", { name: "搜索", level: 1 }).waitFor();
    await expect.poll(() => hits().count()).toBe(2);
    expect(await englishLeftovers(page)).toEqual([]);
    await page.evaluate("localStorage.setItem('openmoss.lang', 'en')");
    expect(s.errors).toEqual([]);
  });
});
