// Live push in a real browser (docs/live.md): with the task board open, a sub-task driven over the
// agent API shows up in its new column because the hub pushed a notice over the live socket, with
// no reload and no polling (the board's fallback poll is 3 s and is off while the socket is up:
// checked). Then the server goes away for real (wrangler dev is stopped): the board says it is
// offline and, once the server is back, reconnects by itself, after which pushes arrive again. Last,
// with the socket refused while HTTP works, the board falls back to its 3 s poll, and returns to
// push when the socket can be had again.
// How fast a push shows is measured and printed (docs/live.md's figures), not asserted: on a loaded
// machine it is slower, and this file is about the page updating by push, not about the machine.
//
// This file runs its own throw-away Worker (scripts/lib/dev-server.ts), because it stops and
// restarts it; the state directory survives the restart (D1, the admin session).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, type OwnServer, openBrowser, ownServer, type Session, snap, stepsDependOnEachOther } from "./harness";

const PASSWORD = "live-secret-1";
const setupToken = crypto.randomUUID().replaceAll("-", "");
const registrationToken = crypto.randomUUID().replaceAll("-", "");
/** The board's fallback poll (dashboard/src/pages/task-detail.tsx). */
const BOARD_POLL_MS = 3000;
const KEEP_OPEN = "wait for the next quarter";

let s: Session;
let base = "";
let server: OwnServer;
let adminToken = "";
let taskId = "";
const agents: Record<"planner" | "executor" | "reviewer", string> = { planner: "", executor: "", reviewer: "" };
const latencies: Record<string, number> = {};

const call = <T = any>(method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  apiCall<T>(base, method, path, headers, body);
const post = <T = any>(key: string, path: string, body: unknown = {}) =>
  call<T>("POST", path, { authorization: `Bearer ${key}` }, body);

beforeAll(async () => {
  server = await ownServer("live", 8837, setupToken);
  base = server.base;

  await call(
    "POST",
    "/api/setup/initialize",
    { "x-setup-token": setupToken },
    {
      admin_password: PASSWORD,
      project_name: "Live project",
      workspace_root: "/srv/live",
      registration_token: registrationToken,
      registration_roles: ["planner", "executor", "reviewer"],
    },
  );
  adminToken = (await call<{ token: string }>("POST", "/api/admin/login", {}, { password: PASSWORD })).token;
  for (const role of ["planner", "executor", "reviewer"] as const) {
    agents[role] = (
      await call<{ api_key: string }>(
        "POST",
        "/api/agents/register",
        { "x-registration-token": registrationToken },
        {
          name: `${role}-live`,
          role,
          description: `${role} of the live test`,
        },
      )
    ).api_key;
  }
  taskId = (
    await post<{ id: string }>(agents.planner, "/api/tasks", {
      name: "Live board",
      description: "pushed, not polled",
      type: "once",
    })
  ).id;
  // Keeps the task open once the measured sub-task is done (a completed task takes no new sub-tasks).
  await post(agents.planner, "/api/sub-tasks", {
    task_id: taskId,
    name: KEEP_OPEN,
    description: "stays pending",
    deliverable: "-",
    acceptance: "-",
    priority: "low",
    type: "once",
  });

  s = await openBrowser();
  await s.page.goto(`${base}/login`);
  await s.page.evaluate(`localStorage.setItem('openmoss.admin_token', ${JSON.stringify(adminToken)})`);
});

afterAll(async () => {
  await s?.context.close();
  await server?.dispose();
  if (Object.keys(latencies).length > 0)
    console.log(`[live] state change → visible on the board (ms): ${JSON.stringify(latencies)}`);
});

const board = () => s.page.getByTestId("task-board");
const column = (status: string) => board().locator(`[data-status="${status}"]`);
const status = () => s.page.getByTestId("live-status");
const waitForState = (state: string) => s.page.locator(`[data-testid="live-status"][data-state="${state}"]`).waitFor();
/** Every request the page makes for the board's sub-tasks. */
const boardFetches: number[] = [];
/** The hub's change notices ("changed" frames) the page has received, over every socket it opened. */
let notices = 0;
const countNotice = (frame: unknown) => {
  if (typeof frame === "string" && frame.includes('"changed"')) notices++;
};

/**
 * Runs `change`, then waits for `name` in column `to`, and checks that it came by push: a change
 * notice arrived over the socket meanwhile and the board stayed live (so its poll was off).
 * The latency recorded is the page's own: a MutationObserver notes the wall-clock time the card
 * appears (Playwright's waitFor polls, which would add up to 100 ms).
 */
async function pushed(label: string, name: string, to: string, change: () => Promise<unknown>) {
  const noticesBefore = notices;
  await s.page.evaluate(`window.__seen = new Promise((resolve) => {
    const check = () => {
      const col = document.querySelector('[data-testid="task-board"] [data-status="${to}"]');
      if (!col || ![...col.querySelectorAll("a")].some((a) => a.textContent === ${JSON.stringify(name)})) return false;
      observer.disconnect();
      resolve(Date.now());
      return true;
    };
    const observer = new MutationObserver(check);
    if (!check()) observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  }); undefined`);
  await change();
  const returned = Date.now();
  await column(to).getByRole("link", { name, exact: true }).waitFor();
  latencies[label] = Number(await s.page.evaluate("window.__seen")) - returned;
  expect(notices, `${label}: no change notice arrived over the live socket`).toBeGreaterThan(noticesBefore);
  await expect(status().getAttribute("data-state")).resolves.toBe("live");
}

describe("live push to the task board", () => {
  stepsDependOnEachOther();

  it("opens the board with a live connection and does not poll while it is up", async () => {
    const { page } = s;
    page.on("request", (req) => {
      if (req.url().includes(`/api/admin/tasks/${taskId}/sub-tasks`)) boardFetches.push(Date.now());
    });
    page.on("websocket", (ws) => ws.on("framereceived", ({ payload }) => countNotice(payload)));
    await page.goto(`${base}/tasks/${taskId}`);
    await column("pending").getByRole("link", { name: KEEP_OPEN }).waitFor();
    await waitForState("live");
    await expect(status().textContent()).resolves.toBe("Live");
    await page.evaluate("window.__sameDocument = true");

    // Going live makes the board catch up once (one refetch); wait for that to finish, not a guess.
    await page.waitForLoadState("networkidle");
    // Then a window longer than the fallback poll's period, with the socket up: not one board fetch.
    // This is an observation window for an absence, not a budget: a slower machine only polls less.
    const before = boardFetches.length;
    await page.waitForTimeout(1.5 * BOARD_POLL_MS);
    expect(boardFetches.length - before).toBe(0);
    await expect(status().getAttribute("data-state")).resolves.toBe("live");
  });

  it("shows each state change pushed over the live socket, without a reload or a poll", async () => {
    const name = "stream the metrics";
    let subTaskId = "";
    await pushed("create → pending", name, "pending", async () => {
      subTaskId = (
        await post<{ id: string }>(agents.planner, "/api/sub-tasks", {
          task_id: taskId,
          name,
          description: "pushed",
          deliverable: "a stream",
          acceptance: "visible live",
          priority: "high",
          type: "once",
        })
      ).id;
    });
    await pushed("claim → assigned", name, "assigned", () =>
      post(agents.executor, `/api/sub-tasks/${subTaskId}/claim`),
    );
    await pushed("start → in_progress", name, "in_progress", () =>
      post(agents.executor, `/api/sub-tasks/${subTaskId}/start`, { session_id: "live" }),
    );
    await pushed("submit → review", name, "review", () => post(agents.executor, `/api/sub-tasks/${subTaskId}/submit`));
    await pushed("approve → done", name, "done", () =>
      post(agents.reviewer, "/api/review-records", {
        sub_task_id: subTaskId,
        result: "approved",
        score: 5,
        comment: "live",
        issues: "",
      }),
    );
    await expect(column("review").getByText("None").isVisible()).resolves.toBe(true);
    expect(await s.page.evaluate("window.__sameDocument === true")).toBe(true);
    await expect(status().textContent()).resolves.toBe("Live");
    await snap(s.page, "live-board");
  });

  it("goes offline when the server drops and reconnects by itself when it is back", async () => {
    const { page } = s;
    // While the server is away the page's fetches and socket attempts fail, and the browser logs that.
    s.allow.push(/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|Failed to load resource/);
    try {
      await server.stop();
      await waitForState("offline");
      await expect(status().textContent()).resolves.toBe("Offline: refreshing every 3 s");
      await snap(page, "live-board-offline", { fullPage: false });
      expect(await server.start()).toBe(base);
      // The backoff (doubling from 0.5 s, at most 10 s) brings the socket back without a reload.
      await waitForState("live");
    } finally {
      s.allow.pop();
    }
    const name = "survive a restart";
    await pushed("after a restart: create → pending", name, "pending", () =>
      post(agents.planner, "/api/sub-tasks", {
        task_id: taskId,
        name,
        description: "pushed again",
        deliverable: "-",
        acceptance: "-",
        priority: "medium",
        type: "once",
      }),
    );
    expect(await page.evaluate("window.__sameDocument === true")).toBe(true);
  });

  it("polls while the live socket cannot be had, and goes back to push when it can", async () => {
    const { page } = s;
    // Stands in for a network that lets HTTP through but drops WebSockets: Playwright's WebSocket
    // route passes the live socket through to the server until `refuse` is set, then ends it (and
    // every retry) at once, without the hub's hello. A routed socket's frames are counted here, as
    // they pass, and forwarded to the page.
    let refuse = false;
    const routed: { close(o?: { code?: number; reason?: string }): Promise<void> }[] = [];
    await s.context.routeWebSocket(/\/api\/admin\/live$/, (ws) => {
      if (refuse) {
        void ws.close({ code: 1013, reason: "live refused by the test" });
        return;
      }
      const server = ws.connectToServer();
      server.onMessage((frame) => {
        countNotice(frame);
        ws.send(frame);
      });
      routed.push(ws);
    });
    await page.reload();
    await waitForState("live");
    await page.evaluate("window.__sameDocument = true");

    refuse = true;
    for (const ws of routed.splice(0)) await ws.close({ code: 1012, reason: "dropped by the test" });
    await waitForState("offline");
    const fetchesBefore = boardFetches.length;
    const name = "found by polling";
    const id = (
      await post<{ id: string }>(agents.planner, "/api/sub-tasks", {
        task_id: taskId,
        name,
        description: "no push",
        deliverable: "-",
        acceptance: "-",
        priority: "low",
        type: "once",
      })
    ).id;
    const created = performance.now();
    // The 3 s fallback poll finds it (no socket, so no push could have).
    await column("pending").getByRole("link", { name, exact: true }).waitFor();
    latencies["polling fallback: create → pending (Playwright-timed)"] = Math.round(performance.now() - created);
    expect(boardFetches.length).toBeGreaterThan(fetchesBefore);
    await expect(status().getAttribute("data-state")).resolves.toBe("offline");

    refuse = false;
    await waitForState("live");
    await pushed("back to push: claim → assigned", name, "assigned", () =>
      post(agents.executor, `/api/sub-tasks/${id}/claim`),
    );
    expect(await page.evaluate("window.__sameDocument === true")).toBe(true);
    await s.context.unrouteAll();
  });

  it("logged no unexpected console error", () => {
    expect(s.errors).toEqual([]);
  });
});
