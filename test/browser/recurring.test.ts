// A recurring task from the dashboard (issue 18): a planner's task with two sub-tasks is made recurring
// from the task page (every N hours in another zone, stack policy), the card shows the schedule in
// words and the next run in the task's zone and the viewer's; a round started by hand appears in the
// rounds table and filters the board to its own sub-tasks; the card, the table and the form read
// Chinese in zh-CN; pause, resume and end go through confirmations and land on the server.
// Runs its own throw-away Worker, so the data and the clock of other files do not matter.
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

const PASSWORD = "recurring-secret-1";
const ZONE = "Asia/Shanghai";
const TEMPLATE = ["collect sources {round}", "write the digest {round}"];
const setupToken = crypto.randomUUID().replaceAll("-", "");
const registrationToken = crypto.randomUUID().replaceAll("-", "");

let s: Session;
let server: OwnServer;
let adminToken = "";
let taskId = "";
let roundId = "";
const admin = <T = any>(method: string, path: string, body?: unknown) =>
  apiCall<T>(server.base, method, path, { "x-admin-token": adminToken }, body);
const schedule = () => admin("GET", `/api/tasks/${taskId}/schedule`);

beforeAll(async () => {
  server = await ownServer("recurring", 8897, setupToken);
  adminToken = await initializeOwnServer(server, {
    setupToken,
    password: PASSWORD,
    registrationToken,
    label: "recurring",
  });
  const planner = await apiCall<{ api_key: string }>(
    server.base,
    "POST",
    "/api/agents/register",
    { "x-registration-token": registrationToken },
    { name: "planner-rea", role: "planner", description: "plans the digest" },
  );
  const asPlanner = { authorization: `Bearer ${planner.api_key}` };
  taskId = (
    await apiCall<{ id: string }>(server.base, "POST", "/api/tasks", asPlanner, {
      name: "Daily digest",
      description: "collect and summarize",
      type: "once",
    })
  ).id;
  for (const name of TEMPLATE) {
    await apiCall(server.base, "POST", "/api/sub-tasks", asPlanner, {
      task_id: taskId,
      name,
      description: name,
      deliverable: "a file",
      acceptance: "reviewed",
      priority: "medium",
      type: "once",
    });
  }
  // Planned: rounds start only once the plan is active (a task in planning gets none).
  await apiCall(server.base, "PUT", `/api/tasks/${taskId}/status`, asPlanner, { status: "active" });
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

/** What formatInZone shows for `iso` in `zone` (the viewer's own when undefined), computed by the page. */
const shownIn = (iso: string, zone?: string) =>
  s.page.evaluate(
    ([value, tz]) =>
      new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: tz ?? undefined }).format(
        new Date(value),
      ),
    [iso, zone ?? null] as const,
  );

describe("a recurring task in the dashboard", () => {
  stepsDependOnEachOther();

  it("makes a task recurring from its page, with the current sub-tasks as the template", async () => {
    const { page } = s;
    await page.goto(`${server.base}/tasks/${taskId}`);
    const card = page.getByTestId("schedule-card");
    await card.getByText("This task does not repeat.", { exact: false }).waitFor();
    await card.getByRole("button", { name: "Make recurring" }).click();
    const form = page.getByTestId("schedule-form");
    await form.getByRole("radio", { name: "Every N minutes, hours or days" }).check();
    await form.getByLabel("Every", { exact: true }).fill("6");
    await form.getByLabel("Unit", { exact: true }).selectOption("hours");
    await form.getByLabel("Time zone", { exact: true }).fill(ZONE);
    await form.getByLabel("When the previous round is unfinished").selectOption("stack");
    await form.getByLabel("Open rounds at most").fill("2");
    await form.getByRole("button", { name: "Save schedule" }).click();
    await card.getByText("Active", { exact: true }).waitFor();

    const saved = await schedule();
    expect(saved.status).toBe("active");
    expect(saved.recurring_config.schedule).toMatchObject({ kind: "every", every: 6, unit: "hours", tz: ZONE });
    expect(saved.recurring_config.policy).toMatchObject({ when_unfinished: "stack", max_open_rounds: 2 });
    expect(saved.recurring_config.template.sub_tasks.map((st: { name: string }) => st.name).sort()).toEqual(
      [...TEMPLATE].sort(),
    );
    expect((await admin("GET", `/api/admin/tasks/${taskId}`)).type).toBe("recurring");

    await card.getByText("Every 6 hours", { exact: false }).waitFor();
    await card.getByText("Start it anyway (at most 2 open)").waitFor();
    await snap(page, "task-detail-schedule");
    const nextRun = await card.getByTestId("schedule-next-run").textContent();
    expect(nextRun).toContain(await shownIn(saved.next_run_at, ZONE));
    // The viewer's zone is not Shanghai's (the browser runs in the machine's zone, UTC here): both show.
    const viewer = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    if (viewer !== ZONE) expect(nextRun).toContain(`${await shownIn(saved.next_run_at)} your time`);
  });

  it("starts a round by hand and filters the board to that round's sub-tasks", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Start a round now" }).click();
    const table = page.getByTestId("rounds-table");
    const row = table.locator("tbody tr").first();
    await row.waitFor();
    const rounds = await admin("GET", `/api/tasks/${taskId}/rounds`);
    expect(rounds.total).toBe(1);
    const [round] = rounds.items;
    roundId = round.id;
    expect(round).toMatchObject({ round_no: 1, status: "open" });
    expect(round.sub_tasks.total).toBe(TEMPLATE.length);
    await expect(row.getAttribute("data-round-id")).resolves.toBe(roundId);
    await expect(row.textContent()).resolves.toContain("Round 1");
    await expect(row.textContent()).resolves.toContain(`0 of ${TEMPLATE.length}`);
    await page.getByText("Round 1 started.").waitFor();

    // The board holds the hand-made sub-tasks and the round's; the round's button keeps only the latter.
    const board = page.getByTestId("task-board");
    await expect.poll(() => board.locator(".board-card").count()).toBe(TEMPLATE.length * 2);
    await page.getByRole("button", { name: "Show the sub-tasks of round 1" }).click();
    await expect.poll(() => where(page)).toContain(`round=${roundId}`);
    const ofRound = await admin("GET", `/api/admin/tasks/${taskId}/sub-tasks?round_id=${roundId}`);
    expect(ofRound.total).toBe(TEMPLATE.length);
    await expect.poll(() => board.locator(".board-card").count()).toBe(TEMPLATE.length);
    const shown = await board.locator(".board-card a").allTextContents();
    expect(shown.sort()).toEqual(ofRound.items.map((st: { name: string }) => st.name).sort());
    await snap(page, "task-detail-round");
    await page.getByRole("button", { name: "Show every round" }).click();
    await expect.poll(() => board.locator(".board-card").count()).toBe(TEMPLATE.length * 2);
  });

  it("shows the schedule, its rounds and its form in Chinese", async () => {
    const { page } = s;
    await page.evaluate("localStorage.setItem('openmoss.lang', 'zh-CN')");
    await page.reload();
    await waitUntilLoaded(page);
    const card = page.getByTestId("schedule-card");
    await card.getByText("每 6 小时", { exact: false }).waitFor();
    await page.getByTestId("rounds-table").getByText("第 1 轮").waitFor();
    expect(await englishLeftovers(page)).toEqual([]);
    await card.getByRole("button", { name: "修改调度计划" }).click();
    await page.getByTestId("schedule-form").waitFor();
    await page.waitForLoadState("networkidle");
    expect(await englishLeftovers(page)).toEqual([]);
    await snap(page, "schedule-form.zh-CN", { fullPage: false });
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByTestId("schedule-form").count()).toBe(0);
    await page.evaluate("localStorage.setItem('openmoss.lang', 'en')");
    await page.reload();
    await page.getByTestId("schedule-card").getByText("Active", { exact: true }).waitFor();
  });

  it("pauses, resumes and ends the schedule, each after a confirmation", async () => {
    const { page } = s;
    const card = page.getByTestId("schedule-card");
    const confirm = async (button: string, title: string, action: string) => {
      await card.getByRole("button", { name: button, exact: true }).click();
      const dialog = page.getByRole("dialog", { name: title });
      await dialog.getByRole("button", { name: action, exact: true }).click();
      await expect.poll(() => dialog.count()).toBe(0);
    };

    await confirm("Pause", "Pause the schedule?", "Pause");
    await card.getByText("Paused", { exact: true }).waitFor();
    await card.getByText("None planned").waitFor();
    const paused = await schedule();
    expect(paused.status).toBe("paused");
    expect(paused.next_run_at).toBeNull();

    await confirm("Resume", "Resume the schedule?", "Resume");
    await card.getByText("Active", { exact: true }).waitFor();
    const resumed = await schedule();
    expect(resumed.status).toBe("active");
    expect(Date.parse(resumed.next_run_at)).toBeGreaterThan(Date.now());
    await expect(card.getByTestId("schedule-next-run").textContent()).resolves.toContain(
      await shownIn(resumed.next_run_at, ZONE),
    );

    await confirm("End schedule", "End the schedule?", "End schedule");
    await card.getByText("Ended by hand").waitFor();
    const ended = await schedule();
    expect(ended).toMatchObject({ status: "ended", ended_reason: "manual", next_run_at: null });
    await expect(card.getByRole("button", { name: "Pause" }).count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: "Start a round now" }).count()).resolves.toBe(0);
    // The round started earlier stays listed.
    await expect(page.locator(`[data-round-id="${roundId}"]`).count()).resolves.toBe(1);
    expect(s.errors).toEqual([]);
  });
});
