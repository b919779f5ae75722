// A sub-task's whole life, watched from the dashboard: setup → login → an agent created in the UI →
// more agents registered and a sub-task driven through claim/start/submit/approve over the agent
// API, seen moving across the task board and arriving in the admin's live feed without a reload
// (public feed off) → the public feed, logged out: off, then switched on and live → a score
// adjusted → a patrol anomaly resolved → a setting changed and a notification channel tested, with
// every page screenshotted and no console error anywhere.
//
// This file runs its own throw-away Worker (scripts/lib/dev-server.ts, as the global setup does):
// it needs a server that nobody has set up yet, whichever test file ran first against the shared one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, openBrowser, ownServer, type Session, snap, where } from "./harness";

const PASSWORD = "lifecycle-secret-1";
const TASK = "Quarterly report";
const SUB_TASK = "collect the figures";

let s: Session;
let base = "";
let stopServer: () => Promise<void> = async () => {};
const setupToken = crypto.randomUUID().replaceAll("-", "");
let registrationToken = "";

interface Agent {
  id: string;
  key: string;
}
const agents: Record<"planner" | "executor" | "reviewer" | "patrol", Agent> = {} as never;
let taskId = "";
let subTaskId = "";

const call = <T = any>(method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  apiCall<T>(base, method, path, headers, body);
const as = (a: Agent) => ({
  post: <T = any>(path: string, body: unknown = {}) =>
    call<T>("POST", path, { authorization: `Bearer ${a.key}` }, body),
});

beforeAll(async () => {
  const server = await ownServer("lifecycle", 8817, setupToken);
  stopServer = server.dispose;
  base = server.base;
  s = await openBrowser();
});

afterAll(async () => {
  await s?.context.close();
  await stopServer();
});

const go = (path: string) => s.page.goto(`${base}${path}`);
/** Client-side navigation through the main menu (no page load). */
async function nav(label: string, path: string) {
  await s.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true }).click();
  await s.page.waitForURL(`**${path}`);
}
/** Set before a step that must happen without a reload; checked after it. */
const markPage = () => s.page.evaluate("window.__sameDocument = true");
const samePage = () => s.page.evaluate("window.__sameDocument === true");

describe("a sub-task's lifecycle in the dashboard", () => {
  it("sets the server up and logs in", async () => {
    const { page } = s;
    await go("/");
    await page.waitForURL("**/setup");
    await page.getByLabel("Setup token").fill(setupToken);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Admin password").fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Project name").fill("Lifecycle project");
    await page.getByLabel("Workspace directory").fill("/srv/agents/lifecycle");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Service access URL (optional)").fill(base);
    // The shared token registers this test's executor, reviewer and patrol (a new install allows executors only).
    for (const role of ["Reviewer", "Patrol"]) await page.getByLabel(role).check();
    await page.getByRole("button", { name: "Initialize" }).click();
    await page.getByRole("heading", { name: "Setup complete" }).waitFor();
    registrationToken = (await page.getByTestId("registration-token").textContent())?.trim() ?? "";
    expect(registrationToken).toMatch(/^[0-9a-f]{32}$/);

    await page.getByRole("link", { name: "Go to login" }).click();
    await page.getByLabel("Admin password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/(overview|prompts)$/);
  });

  it("creates an agent in the UI and shows its key once", async () => {
    const { page } = s;
    await nav("Agents", "/agents");
    await page.getByText("No agents yet.").waitFor();
    await snap(page, "lifecycle-agents-empty");
    await page.getByRole("button", { name: "New agent" }).click();
    const dialog = page.getByRole("dialog", { name: "New agent" });
    await dialog.getByLabel("Name").fill("planner-ui");
    await dialog.getByLabel("Role").selectOption("planner");
    await dialog.getByLabel("Description").fill("plans the quarter");
    await dialog.getByRole("button", { name: "Create agent" }).click();
    const created = page.getByRole("dialog", { name: "Agent planner-ui created" });
    const key = (await created.getByTestId("secret-once").textContent())?.trim() ?? "";
    expect(key.length).toBeGreaterThan(20);
    await snap(page, "lifecycle-agent-key");
    await created.getByRole("button", { name: "Open the agent" }).click();
    await page.waitForURL(/\/agents\/[^/]+$/);
    agents.planner = { id: where(page).split("/").pop()!, key };
    await page.getByRole("heading", { name: "planner-ui" }).waitFor();

    // The onboarding prompt for its role, ready to copy.
    await page.getByRole("button", { name: "Onboarding prompt" }).click();
    const onboarding = page.getByRole("dialog", { name: "Onboarding prompt for a planner" });
    await expect.poll(() => onboarding.getByTestId("onboarding-prompt").textContent()).toContain(base);
    await snap(page, "lifecycle-onboarding-prompt");
    await page.keyboard.press("Escape");
    // Closing is a re-render: wait for the dialog to go rather than count it once.
    await onboarding.waitFor({ state: "detached" });
    await snap(page, "agent-detail", { docs: true });
  });

  it("shows the task board moving as agents work, without a reload", async () => {
    const { page } = s;
    const register = async (name: string, role: string): Promise<Agent> => {
      const a = await call<{ id: string; api_key: string }>(
        "POST",
        "/api/agents/register",
        { "x-registration-token": registrationToken },
        { name, role, description: `${role} of the lifecycle test` },
      );
      return { id: a.id, key: a.api_key };
    };
    agents.executor = await register("executor-eve", "executor");
    agents.reviewer = await register("reviewer-rex", "reviewer");
    agents.patrol = await register("patrol-pam", "patrol");

    const planner = as(agents.planner);
    taskId = (
      await planner.post<{ id: string }>("/api/tasks", {
        name: TASK,
        description: "figures, charts and a summary",
        type: "once",
      })
    ).id;

    await nav("Tasks", "/tasks");
    await page.getByRole("link", { name: TASK }).click();
    await page.waitForURL(`**/tasks/${taskId}`);
    await page.getByText("No sub-tasks yet.").waitFor();
    await markPage();

    const column = (status: string) => page.getByTestId("task-board").locator(`[data-status="${status}"]`);
    const seeIn = async (status: string) => {
      await column(status).getByRole("link", { name: SUB_TASK }).waitFor();
    };
    subTaskId = (
      await planner.post<{ id: string }>("/api/sub-tasks", {
        task_id: taskId,
        name: SUB_TASK,
        description: "gather Q3 numbers",
        deliverable: "a CSV",
        acceptance: "totals match",
        priority: "high",
        type: "once",
      })
    ).id;
    await seeIn("pending");
    await snap(page, "lifecycle-board-pending");

    const executor = as(agents.executor);
    await executor.post(`/api/sub-tasks/${subTaskId}/claim`);
    await seeIn("assigned");
    await executor.post(`/api/sub-tasks/${subTaskId}/start`, { session_id: "lifecycle" });
    await seeIn("in_progress");
    await executor.post("/api/logs", { action: "coding", summary: "pulled the Q3 figures", sub_task_id: subTaskId });
    await executor.post(`/api/sub-tasks/${subTaskId}/submit`);
    await seeIn("review");
    await snap(page, "lifecycle-board-review");
    await as(agents.reviewer).post("/api/review-records", {
      sub_task_id: subTaskId,
      result: "approved",
      score: 5,
      comment: "clean work",
      issues: "",
    });
    await seeIn("done");
    expect(await samePage()).toBe(true);
    await expect(column("review").getByText("None").isVisible()).resolves.toBe(true);
    await snap(page, "task-board", { docs: true });
  });

  it("shows the sub-task's timeline, logs, review and score change", async () => {
    const { page } = s;
    await page.getByTestId("task-board").getByRole("link", { name: SUB_TASK }).click();
    await page.waitForURL(`**/sub-tasks/${subTaskId}`);
    const timeline = page.getByTestId("sub-task-timeline");
    await timeline.waitFor();
    await expect(timeline.locator("li").count()).resolves.toBeGreaterThanOrEqual(4);
    await page.getByRole("region", { name: "Activity logs" }).getByText("pulled the Q3 figures").waitFor();
    await page.getByRole("region", { name: "Review rounds" }).getByText("clean work").waitFor();
    await expect(
      page.getByRole("region", { name: "Score changes" }).locator("li").count(),
    ).resolves.toBeGreaterThanOrEqual(1);
    await snap(page, "sub-task", { docs: true });
  });

  it("shows the admin the agents' calls live while the public feed is off, without a reload", async () => {
    const { page } = s;
    await nav("Feed", "/feed");
    // Off by default: the admin still watches, through the admin API, and is told who else can.
    await page.getByTestId("feed-public-status").getByText("The public feed is off").waitFor();
    const feed = page.getByTestId("feed");
    await feed.getByText("submitted a sub-task for review").waitFor();
    await feed.getByText("claimed a sub-task").waitFor();
    await feed.getByText("reviewed a sub-task").waitFor();
    await page.getByTestId("feed-activity").getByText("pulled the Q3 figures").waitFor();
    await markPage();

    await as(agents.executor).post("/api/logs", {
      action: "coding",
      summary: "double-checked the totals",
      sub_task_id: subTaskId,
    });
    await feed.getByText("Coding: double-checked the totals").waitFor();
    await page.getByTestId("feed-activity").getByText("double-checked the totals").waitFor();
    expect(await samePage()).toBe(true);
    await snap(page, "lifecycle-feed-admin");
  });

  it("shows a visitor without a session that the public feed is off, then the activity once it is on", async () => {
    const { page } = s;
    const token = String(await page.evaluate("localStorage.getItem('openmoss.admin_token')"));
    const logOut = () => page.evaluate("localStorage.removeItem('openmoss.admin_token')");
    const logIn = () => page.evaluate(`localStorage.setItem('openmoss.admin_token', ${JSON.stringify(token)})`);

    // The session comes back whatever happens, so a failure here does not take the later steps down with it.
    try {
      await logOut();
      await go("/feed");
      // No redirect to the login, no admin navigation, no failing request.
      await page.getByTestId("feed-off").getByText("The public feed is off").waitFor();
      expect(where(page)).toBe("/feed");
      await expect(page.getByRole("navigation", { name: "Main" }).count()).resolves.toBe(0);
      await page.getByRole("link", { name: "Admin log in" }).waitFor();
      await snap(page, "lifecycle-feed-off");

      await logIn();
      await go("/feed");
      await page.getByRole("link", { name: "Turn it on in Settings" }).click();
      await page.waitForURL("**/settings#feed");
      const feedSettings = page.locator("section#feed");
      await feedSettings.getByLabel("Public feed on").check();
      await feedSettings.getByRole("button", { name: "Save" }).click();
      await feedSettings.getByText("Saved.").waitFor();

      // Leave the settings page while still signed in: the save's live event makes it reload the
      // settings, and that request must not go out after the token is gone (a 401 on the console).
      await go("/feed");
      await logOut();
      await go("/feed");
      const feed = page.getByTestId("feed");
      await feed.getByText("claimed a sub-task").waitFor();
      await feed.getByText("Coding: double-checked the totals").waitFor();
      await page.getByTestId("feed-agents").getByText("executor-eve").waitFor();
      await expect(page.getByRole("navigation", { name: "Main" }).count()).resolves.toBe(0);
      await markPage();
      await as(agents.executor).post("/api/logs", {
        action: "reflection",
        summary: "next time, start with the charts",
        sub_task_id: subTaskId,
      });
      await feed.getByText("Reflection: next time, start with the charts").waitFor();
      expect(await samePage()).toBe(true);
      await snap(page, "lifecycle-feed-public");
    } finally {
      await logIn();
    }
    await go("/feed");
    await page.getByTestId("feed-public-status").getByText("The public feed is on").waitFor();
    await page.getByTestId("feed").getByText("Reflection: next time, start with the charts").waitFor();
    await page.getByTestId("feed-activity").getByText("next time, start with the charts").waitFor();
    await snap(page, "feed", { docs: true });
  });

  it("adjusts a score", async () => {
    const { page } = s;
    await nav("Scores", "/scores");
    const form = page.getByRole("region", { name: "Adjust a score" });
    await form.getByLabel("Agent").selectOption(agents.executor.id);
    await form.getByLabel("Change").fill("7");
    await form.getByLabel("Reason").fill("went beyond the brief");
    await form.getByRole("button", { name: "Adjust score" }).click();
    await form.getByText("executor-eve's score is now").waitFor();
    await page
      .getByTestId("leaderboard")
      .getByRole("row", { name: /executor-eve/ })
      .waitFor();
    await snap(page, "scores", { docs: true });

    await page.getByRole("button", { name: "Ledger" }).click();
    await page.waitForURL("**/scores?tab=ledger");
    await page.getByTestId("ledger").getByText("[admin adjustment] went beyond the brief").waitFor();
    await snap(page, "lifecycle-ledger");
  });

  it("resolves a patrol anomaly", async () => {
    const { page } = s;
    await as(agents.patrol).post("/api/patrol/records", {
      type: "stuck",
      severity: "warning",
      agent_id: agents.executor.id,
      description: "executor-eve has been quiet for a while",
      action_taken: "pinged it",
    });
    await nav("Patrol", "/patrol");
    const records = page.getByTestId("patrol-records");
    const record = records.locator("li", { hasText: "executor-eve has been quiet for a while" });
    await record.waitFor();
    await snap(page, "patrol", { docs: true });
    await record.getByRole("button", { name: "Resolve" }).click();
    const dialog = page.getByRole("dialog", { name: "Resolve: Stuck" });
    await dialog.getByLabel("Resolution note").fill("it was waiting for data; unblocked");
    await dialog.getByRole("button", { name: "Resolve" }).click();
    await page.getByText("No open anomalies: all clear.").waitFor();
    await page.getByRole("button", { name: "Resolved" }).click();
    await page.waitForURL("**/patrol?status=resolved");
    await page.getByTestId("patrol-records").getByText("Note: it was waiting for data; unblocked").waitFor();
    await snap(page, "lifecycle-patrol-resolved");
  });

  it("changes a setting", async () => {
    const { page } = s;
    await nav("Settings", "/settings");
    const project = page.locator("section#project");
    await project.getByLabel("Project name").fill("Lifecycle project, renamed");
    await project.getByRole("button", { name: "Save" }).click();
    await project.getByText("Saved.").waitFor();
    await page.reload();
    await expect(project.getByLabel("Project name").inputValue()).resolves.toBe("Lifecycle project, renamed");

    // A test message to a channel nobody listens on: the failure is reported, not thrown.
    const notifications = page.locator("section#notifications");
    await notifications.getByRole("button", { name: "Add channel" }).click();
    await notifications.getByLabel("Name", { exact: true }).fill("Nobody home");
    await notifications.getByLabel("Type").selectOption("webhook");
    await notifications.getByLabel("Webhook URL").fill("http://127.0.0.1:9/hook");
    await notifications
      .getByRole("button", { name: "Send test to channel 1" })
      .isDisabled()
      .then((d) => expect(d).toBe(true));
    await notifications.getByRole("button", { name: "Save", exact: true }).click();
    await notifications.getByText("Saved.").waitFor();
    await notifications.getByRole("button", { name: "Send test to channel 1" }).click();
    await notifications.getByRole("alert").filter({ hasText: "Not delivered" }).waitFor();
    await snap(page, "lifecycle-notification-test");
  });

  it("shows every other page with its data", async () => {
    const { page } = s;
    await nav("Tasks", "/tasks");
    await page.getByRole("link", { name: TASK }).waitFor();
    // Its only sub-task is done, so the task is completed. Each wait is for what only the new filter's
    // answer shows: while a filter loads, the page keeps the previous list on screen (no flicker), and
    // the checks here used to pass on that stale list (planning → the task, completed → no task), so
    // they failed whenever the answer came first.
    await page.getByLabel("Status").selectOption("planning");
    await page.waitForURL("**/tasks?status=planning");
    await page.getByText("No task matches these filters.").waitFor();
    await page.getByLabel("Status").selectOption("completed");
    await page.waitForURL("**/tasks?status=completed");
    await page.getByRole("link", { name: TASK }).waitFor();
    await snap(page, "tasks", { docs: true });

    await nav("Agents", "/agents");
    await page.getByRole("link", { name: "executor-eve" }).waitFor();
    await snap(page, "agents", { docs: true });

    await nav("Reviews", "/reviews");
    await page.getByRole("link", { name: SUB_TASK }).click();
    await page.getByRole("heading", { name: new RegExp(SUB_TASK) }).waitFor();
    await page.getByText("clean work").waitFor();
    await snap(page, "reviews", { docs: true });

    await nav("Logs", "/logs");
    await page.getByTestId("activity-logs").getByText("pulled the Q3 figures").waitFor();
    await page.getByLabel("Action").selectOption("reflection");
    await page.waitForURL("**/logs?action=reflection");
    await page.getByTestId("activity-logs").getByText("next time, start with the charts").waitFor();
    await expect.poll(() => page.getByTestId("activity-logs").getByText("pulled the Q3 figures").count()).toBe(0);
    await snap(page, "logs", { docs: true });

    await nav("Prompts & Rules", "/prompts");
    await page.getByRole("button", { name: "New prompt" }).click();
    await page.getByLabel("Name").fill("Figures executor");
    await page.getByLabel("Role").selectOption("executor");
    await page.getByLabel("Slug").fill("figures");
    await page
      .getByLabel("Prompt", { exact: true })
      .fill("You collect figures for {{project_name}} in {{workspace_root}}.");
    await page.getByRole("button", { name: "Create prompt" }).click();
    await page.waitForURL("**/prompts?slug=executor-figures");
    await expect
      .poll(() => page.getByTestId("composed-prompt").textContent())
      .toContain("You collect figures for Lifecycle project, renamed in /srv/agents/lifecycle.");
    await snap(page, "prompts", { docs: true });
    await page.getByRole("button", { name: "Rules" }).click();
    await page.getByLabel("Global rule text").waitFor();
    await snap(page, "lifecycle-rules");
    await page.getByRole("button", { name: "Role templates" }).click();
    await page.getByRole("textbox", { name: "Template" }).waitFor();
    await snap(page, "lifecycle-templates");
  });

  it("works on a phone and in the dark", async () => {
    const { page } = s;
    await page.setViewportSize({ width: 375, height: 812 });
    for (const [path, ready] of [
      [`/tasks/${taskId}`, "task-board"],
      [`/sub-tasks/${subTaskId}`, "sub-task-timeline"],
      ["/feed", "feed"],
      ["/scores", "leaderboard"],
    ] as const) {
      await go(path);
      await page.getByTestId(ready).waitFor();
      // Nothing wider than the screen.
      await expect(page.evaluate("document.documentElement.scrollWidth")).resolves.toBeLessThanOrEqual(375);
      await snap(page, `lifecycle-phone-${path.split("/")[1]}`, { fullPage: false });
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.emulateMedia({ colorScheme: "dark" });
    await go(`/tasks/${taskId}`);
    await page.getByTestId("task-board").waitFor();
    await snap(page, "lifecycle-board-dark");
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("creates a task and a sub-task from the dashboard's forms, and edits both", async () => {
    const { page } = s;
    await go("/tasks");
    await page.getByRole("button", { name: "New task" }).click();
    const newTask = page.getByRole("dialog", { name: "New task" });
    await newTask.getByLabel("Name").fill("Launch plan");
    await newTask.getByLabel("Description").fill("what ships when");
    await newTask.getByLabel("Workspace").fill("/srv/launch");
    await newTask.getByRole("button", { name: "Create task" }).click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: "Launch plan" }).waitFor();

    await page.getByRole("button", { name: "Edit" }).click();
    const editTask = page.getByRole("dialog", { name: "Edit task" });
    await expect(editTask.getByLabel("Workspace").inputValue()).resolves.toBe("/srv/launch");
    await editTask.getByLabel("Description").fill("what ships when, and who signs off");
    await editTask.getByRole("button", { name: "Save" }).click();
    await page.getByText("what ships when, and who signs off").waitFor();

    await page.getByRole("button", { name: "New sub-task" }).click();
    const newSubTask = page.getByRole("dialog", { name: "New sub-task" });
    await newSubTask.getByLabel("Name").fill("draft the outline");
    await newSubTask.getByLabel("Deliverable").fill("an outline");
    await newSubTask.getByLabel("Acceptance criteria").fill("every section has an owner");
    await newSubTask.getByRole("button", { name: "Create sub-task" }).click();
    await page
      .getByTestId("task-board")
      .locator('[data-status="pending"]')
      .getByRole("link", { name: "draft the outline" })
      .click();
    await page.waitForURL(/\/sub-tasks\/[0-9a-f-]{36}$/);

    await page.getByRole("button", { name: "Edit" }).click();
    const editSubTask = page.getByRole("dialog", { name: "Edit sub-task" });
    await expect(editSubTask.getByLabel("Acceptance criteria").inputValue()).resolves.toBe(
      "every section has an owner",
    );
    await editSubTask.getByLabel("Deliverable").fill("an outline in docs/launch.md");
    await editSubTask.getByRole("button", { name: "Save" }).click();
    await page.getByText("an outline in docs/launch.md").waitFor();
  });

  it("logged no console error on any page", () => {
    expect(s.errors).toEqual([]);
  });
});
