// The soak scenario's set-up (initialize, register the agents) and its checks afterwards: the
// client's ledger of acknowledged writes against what the server stores. Neither is measured.
import { randomBytes } from "node:crypto";
import type { Role } from "../../contract/vocabulary.ts";
import type { AdminSession, Created, Page, Registered, SubTaskRow } from "./api-types.ts";
import { type Client, type RequestOptions, send } from "./http.ts";
import type { Ledger, SoakAgent } from "./soak-client.ts";

export async function setUp({
  api,
  setupToken,
  counts,
  log,
}: {
  api: Client;
  setupToken: string;
  counts: Record<Role, number>;
  log: (msg: string) => void;
}): Promise<{ adminPassword: string; agents: SoakAgent[] }> {
  const adminPassword = randomBytes(12).toString("hex");
  const registrationToken = randomBytes(16).toString("hex");
  await api.request("POST", "/api/setup/initialize", {
    headers: { "x-setup-token": setupToken },
    body: {
      admin_password: adminPassword,
      project_name: "Bench soak",
      workspace_root: "/bench",
      registration_token: registrationToken,
      registration_roles: Object.keys(counts),
    },
  });
  // 200 agents register with the one global token: lift its per-hour registration limit (default 20).
  const { json: login } = await api.request<AdminSession>("POST", "/api/admin/login", {
    body: { password: adminPassword },
  });
  await api.request("PUT", "/api/admin/config", {
    adminToken: login.token,
    body: { agent: { registrations_per_hour: 10_000 } },
  });
  const wanted = Object.entries(counts).flatMap(([role, n]) =>
    Array.from({ length: n }, (_, i) => [`soak-${role}-${String(i + 1).padStart(3, "0")}`, role] as const),
  );
  const agents: SoakAgent[] = [];
  // A few at a time: registration is throttled per client, counting attempts still in flight.
  for (let i = 0; i < wanted.length; i += 4) {
    const batch = await Promise.all(
      wanted.slice(i, i + 4).map(([name, role]) =>
        api.request<Registered>("POST", "/api/agents/register", {
          headers: { "x-registration-token": registrationToken },
          body: { name, role, description: `soak ${role}` },
        }),
      ),
    );
    for (const r of batch)
      agents.push({ id: r.json.id, name: r.json.name, role: r.json.role, key: r.json.api_key, tasks: [] });
  }
  log(`soak: registered ${agents.length} agents`);
  return { adminPassword, agents };
}

/** Runs `fn` over `items`, `width` at a time. */
export async function pool<T, R>(items: T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

async function allPages<T>(api: Client, pathname: string, auth: RequestOptions): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const sep = pathname.includes("?") ? "&" : "?";
    const { json } = await api.request<Page<T>>("GET", `${pathname}${sep}page=${page}&page_size=100`, auth);
    items.push(...json.items);
    if (!json.has_more || json.items.length === 0) return items;
  }
}

/** GET /api/admin/integrity, or `{ available: false }` when this server does not have it. */
export interface Integrity {
  available: boolean;
  /** The checks could not run at all. */
  notChecked?: boolean;
  ok?: boolean;
  error?: string;
  checked?: Record<string, unknown>;
  violations?: unknown[];
  total?: number;
}

async function integrity(base: string, adminToken: string): Promise<Integrity> {
  const res = await send<{
    ok?: unknown;
    checked?: Record<string, unknown>;
    violations?: unknown[];
    total_violations?: number;
  } | null>(base, "GET", "/api/admin/integrity", { adminToken });
  if (res.status === 404) return { available: false };
  const json = typeof res.json === "object" ? res.json : null; // text when the body is not JSON
  if (!res.ok || !json || typeof json.ok !== "boolean")
    return { available: true, ok: false, error: `${res.status} ${res.text.slice(0, 300)}` };
  return {
    available: true,
    ok: json.ok,
    checked: json.checked ?? {},
    violations: json.violations ?? [],
    total: json.total_violations ?? 0,
  };
}

/** The ledger against the stored state; returns the figures and a list of problems. */
/** One event of GET /api/sub-tasks/{id}/events (the fields compared). */
interface SubTaskEvent {
  op: string;
  actor_kind: string;
  actor_id: string;
  from_status: string | null;
  to_status: string;
}

/** Per kind of row: [acknowledged, stored, the ledger's name for its unanswered calls]. */
type Totals = Record<string, [acked: number, stored: number, kind: string]>;

export async function verify({
  api,
  ledger,
  agents,
  adminPassword,
}: {
  api: Client;
  ledger: Ledger;
  agents: SoakAgent[];
  adminPassword: string;
}) {
  const problems: string[] = [];
  const { json: login } = await api.request<AdminSession>("POST", "/api/admin/login", {
    body: { password: adminPassword },
  });
  const admin: RequestOptions = { adminToken: login.token };
  const planner: RequestOptions = { key: agents.find((x) => x.role === "planner")?.key };
  // The load ran under the default per-agent rate limit; the checks below read every history with
  // one planner's key, far faster than any agent would, so they lift it first.
  await api.request("PUT", "/api/admin/config", {
    ...admin,
    body: { agent: { rate_limit_per_minute: 1_000_000, rate_limit_burst: 1_000_000 } },
  });

  // 1. Every acknowledged journal entry is stored, under its agent; anything else stored is at most
  //    what went unanswered.
  let logsAcked = 0;
  let logsStored = 0;
  let unacknowledged = 0;
  const logProblems: string[] = [];
  await pool(agents, 8, async (agent) => {
    const acked = ledger.logs.get(agent.id) ?? new Set();
    const stored = new Set(
      (await allPages<Created>(api, `/api/admin/logs?agent_id=${agent.id}`, admin)).map((l) => l.id),
    );
    logsAcked += acked.size;
    logsStored += stored.size;
    const lost = [...acked].filter((id) => !stored.has(id)).length;
    const extra = [...stored].filter((id) => !acked.has(id)).length;
    const allowed = Math.min(extra, ledger.unansweredOf(`log ${agent.id}`));
    unacknowledged += allowed;
    if (lost || extra > allowed)
      logProblems.push(`${agent.name}: ${lost} acknowledged entries missing, ${extra - allowed} stored but never sent`);
  });
  if (logProblems.length)
    problems.push(`journal: ${logProblems.length} agent(s) differ (${logProblems.slice(0, 5).join("; ")})`);

  // 2. Every acknowledged create and transition is one event in its sub-task's history (by op and
  //    agent), the history is a chain ending in the sub-task's status, and any other agent event
  //    is at most what went unanswered.
  const subTasks = new Map((await allPages<SubTaskRow>(api, "/api/sub-tasks", planner)).map((s) => [s.id, s]));
  let eventsAcked = 0;
  let eventsStored = 0;
  let systemEvents = 0;
  const eventProblems: string[] = [];
  await pool([...ledger.transitions.keys()], 12, async (id) => {
    const acked = ledger.transitions.get(id) ?? [];
    const { json: events } = await api.request<SubTaskEvent[]>("GET", `/api/sub-tasks/${id}/events`, planner);
    const byAgents = events.filter((e) => e.actor_kind === "agent").map((e) => `${e.op} ${e.actor_id}`);
    systemEvents += events.length - byAgents.length;
    eventsAcked += acked.length;
    eventsStored += byAgents.length;
    const left = [...byAgents];
    const lost = acked.filter((x) => {
      const i = left.indexOf(x);
      if (i < 0) return true;
      left.splice(i, 1);
      return false;
    });
    const unexplained = left.filter((x) => !ledger.unansweredOf(x.startsWith("create ") ? "sub_task" : `${id} ${x}`));
    unacknowledged += left.length - unexplained.length;
    const broken = events.findIndex((e, i) =>
      i === 0 ? e.op !== "create" || e.from_status !== null : e.from_status !== events[i - 1]?.to_status,
    );
    const status = subTasks.get(id)?.status;
    if (lost.length || unexplained.length)
      eventProblems.push(`${id}: acknowledged [${acked.join(", ")}], stored [${byAgents.join(", ")}]`);
    else if (broken >= 0)
      eventProblems.push(
        `${id}: event ${broken} (${events[broken]?.op}) does not follow from ${events[broken - 1]?.to_status ?? "nothing"}`,
      );
    else if (events.at(-1)?.to_status !== status)
      eventProblems.push(`${id}: last event to ${events.at(-1)?.to_status}, status ${status}`);
  });
  if (eventProblems.length)
    problems.push(`sub-task histories: ${eventProblems.length} differ (${eventProblems.slice(0, 5).join("; ")})`);

  // 3. Totals: tasks, sub-tasks, review records, task rules; stored minus acknowledged must lie
  //    between 0 and what went unanswered.
  const total = async (p: string) =>
    (await api.request<Page<unknown>>("GET", `${p}${p.includes("?") ? "&" : "?"}page_size=1`, planner)).json.total;
  const createdAcked = [...ledger.transitions.values()].filter((t) => t.some((x) => x.startsWith("create "))).length;
  const totals: Totals = {
    tasks: [ledger.tasks.size, await total("/api/tasks"), "task"],
    sub_tasks: [createdAcked, subTasks.size, "sub_task"],
    reviews: [ledger.counts.approved + ledger.counts.rejected, await total("/api/review-records"), "review"],
  };
  let taskRules = 0;
  for (const taskId of ledger.rules.keys()) {
    taskRules += (await api.request<unknown[]>("GET", `/api/rules/list?scope=task&task_id=${taskId}`, planner)).json
      .length;
  }
  totals.task_rules = [[...ledger.rules.values()].reduce((x, y) => x + y, 0), taskRules, "rule"];
  for (const [what, [acked, stored, kind]] of Object.entries(totals)) {
    if (stored < acked || stored - acked > ledger.unansweredOf(kind)) {
      problems.push(`${what}: ${acked} acknowledged, ${stored} stored, ${ledger.unansweredOf(kind)} unanswered`);
    }
  }

  const byStatus: Record<string, number> = {};
  for (const s of subTasks.values()) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
  const check = await integrity(api.base, login.token);
  if (check.available && !check.ok) {
    problems.push(
      `integrity: ${check.error ?? `${check.total} violation(s): ${JSON.stringify(check.violations?.slice(0, 5))}`}`,
    );
  }
  return {
    problems,
    integrity: check,
    byStatus,
    systemEvents,
    totals,
    unacknowledged,
    logs: { agents: agents.length, acked: logsAcked, stored: logsStored },
    events: { subTasks: ledger.transitions.size, acked: eventsAcked, stored: eventsStored },
  };
}

export type Checked = Awaited<ReturnType<typeof verify>>;
