// `st …`: sub-tasks, from creation (planner) through claim/start/submit (executor) to block (patrol).
import { SUB_TASK_STATUSES } from "../../../contract/vocabulary";
import type { Command, Ctx, Group } from "../context";
import { type Envelope, minute, print, printJson, printList, shortId } from "../output";
import { PAGE_FLAGS, pageQuery, seg } from "./shared";
import type { SubTask, SubTaskEvent } from "./types";

const ID = { name: "id", help: "sub-task id", id: "sub_task" } as const;
const OF_TASK = { name: "task_id", help: "task id", id: "task" } as const;
const STATUS = { name: "status", metavar: "STATUS", choices: SUB_TASK_STATUSES, help: SUB_TASK_STATUSES.join(", ") };
const PRIORITY = {
  name: "priority",
  metavar: "PRIORITY",
  choices: ["high", "medium", "low"],
  help: "high, medium or low",
};
const longText = (name: string, help: string) => ({
  name,
  metavar: "TEXT",
  help: `${help} ('-' reads standard input)`,
});
const DESC = longText("desc", "what to do");
const DELIVERABLE = longText("deliverable", "what to hand in");
const ACCEPTANCE = longText("acceptance", "when it counts as done");

/** The assignee by name; a deleted one by its short id. */
const assignee = (s: SubTask) =>
  s.assigned_agent_name ?? (s.assigned_agent ? `deleted agent ${shortId(s.assigned_agent)}` : "-");
/** Who made a change: an agent by name, else the admin or the server (a deleted agent by its short id). */
const actor = (e: SubTaskEvent) =>
  e.actor_name ??
  (e.actor_id ? `deleted agent ${shortId(e.actor_id)}` : e.actor_kind === "system" ? "the server" : e.actor_kind);

/** One line after a create or edit: the planner just sent the rest (`st get` or --json shows it all). */
const subTaskFacts = (st: SubTask) => {
  const deps = st.depends_on?.length ? `, waits for ${st.depends_on.length}` : "";
  return `"${st.name}" (${st.status}, ${st.priority}${deps})`;
};

const path = (c: Ctx, suffix = "") => `/api/sub-tasks/${seg(c.arg("id"))}${suffix}`;

/** A state change through POST /api/sub-tasks/{id}/<op>, printing one line about the result. */
function transition(
  name: string,
  summary: string,
  done: (s: SubTask, c: Ctx) => string[],
  extra: Partial<Command> = {},
  body: (c: Ctx) => object | Promise<object> = () => ({}),
): Command {
  return {
    name,
    summary,
    positionals: [ID],
    ...extra,
    async run(c) {
      const st = await c.api.post<SubTask>(path(c, `/${name}`), await body(c));
      c.show(st, () => print(...done(st, c)));
    },
  };
}

export const subTaskGroup: Group = {
  name: "st",
  summary:
    "Sub-tasks: create, list, get, mine, available, latest, claim, start, submit, edit, cancel, block, session, reassign, deps, events",
  commands: [
    {
      name: "create",
      summary: "Create a sub-task (pending, or assigned with --assign) [planner]",
      positionals: [OF_TASK, { name: "name", help: "sub-task name" }],
      flags: [
        DESC,
        DELIVERABLE,
        ACCEPTANCE,
        { ...PRIORITY, help: "high, medium (default) or low" },
        { name: "type", metavar: "TYPE", choices: ["once", "recurring"], help: "once (default) or recurring" },
        { name: "module-id", metavar: "ID", id: "module", help: "module of the task" },
        { name: "assign", metavar: "AGENT_ID", id: "agent", help: "assign it to this agent right away" },
        {
          name: "depends-on",
          metavar: "ID[,ID…]",
          list: true,
          id: "sub_task",
          help: "sub-tasks of the same task that must be done before this one can be claimed",
        },
      ],
      async run(c) {
        const dependsOn = c.list("depends-on");
        const st = await c.api.post<SubTask>("/api/sub-tasks", {
          task_id: c.arg("task_id"),
          name: c.arg("name"),
          description: (await c.text("desc")) ?? "",
          deliverable: (await c.text("deliverable")) ?? "",
          acceptance: (await c.text("acceptance")) ?? "",
          priority: c.str("priority") ?? "medium",
          type: c.str("type") ?? "once",
          module_id: c.str("module-id"),
          assigned_agent: c.str("assign"),
          ...(dependsOn.length > 0 ? { depends_on: dependsOn } : {}),
        });
        c.show(st, () => print(`✅ Sub-task created: ${st.id} ${subTaskFacts(st)}`));
      },
    },
    {
      name: "list",
      summary: "List sub-tasks, newest first",
      flags: [
        { name: "task-id", metavar: "ID", id: "task", help: "only this task's" },
        { name: "module-id", metavar: "ID", id: "module", help: "only this module's" },
        STATUS,
        ...PAGE_FLAGS,
      ],
      async run(c) {
        const query = {
          task_id: c.str("task-id"),
          module_id: c.str("module-id"),
          status: c.str("status"),
          ...pageQuery(c),
        };
        const body = await c.api.get<Envelope<SubTask>>("/api/sub-tasks", query);
        c.show(body, () =>
          printList(body, "No sub-tasks", (s) => `[${s.status}] ${s.name} (ID:${s.id} Agent:${assignee(s)})`),
        );
      },
    },
    {
      name: "get",
      summary: "Show a sub-task, with the ids it depends on",
      positionals: [ID],
      async run(c) {
        printJson(await c.api.get<SubTask>(path(c)));
      },
    },
    {
      name: "mine",
      summary: "Sub-tasks assigned to me",
      flags: [STATUS, ...PAGE_FLAGS],
      async run(c) {
        const body = await c.api.get<Envelope<SubTask>>("/api/sub-tasks/mine", {
          status: c.str("status"),
          ...pageQuery(c),
        });
        c.show(body, () =>
          printList(body, "No sub-tasks assigned to you", (s) => `[${s.status}] ${s.name} (ID:${s.id})`),
        );
      },
    },
    {
      name: "available",
      summary: "Sub-tasks that can be claimed now (pending, open task, dependencies done)",
      flags: PAGE_FLAGS,
      async run(c) {
        const body = await c.api.get<Envelope<SubTask>>("/api/sub-tasks/available", pageQuery(c));
        c.show(body, () => printList(body, "No claimable sub-tasks", (s) => `[${s.priority}] ${s.name} (ID:${s.id})`));
      },
    },
    {
      name: "latest",
      summary: "My most recently updated sub-task in a task",
      positionals: [OF_TASK],
      async run(c) {
        const st = await c.api.get<SubTask>("/api/sub-tasks/latest", { task_id: c.arg("task_id") });
        c.show(st, () => {
          print(`[${st.status}] ${st.name}`, `ID: ${st.id}`);
          if (st.description) print(`Description: ${st.description}`);
          if (st.deliverable) print(`Deliverable: ${st.deliverable}`);
          if (st.acceptance) print(`Acceptance: ${st.acceptance}`);
        });
      },
    },
    transition("claim", "Claim a pending sub-task (its dependencies must be done) [executor]", (s) => [
      `✅ Claimed: ${s.name}`,
    ]),
    transition(
      "start",
      "Start (or restart after rework) a sub-task [executor]",
      (s) => [`✅ Started: ${s.name}`, ...(s.current_session_id ? [`Session: ${s.current_session_id}`] : [])],
      { flags: [{ name: "session", metavar: "SESSION_ID", help: "your current session id" }] },
      (c) => ({ session_id: c.str("session") }),
    ),
    transition("submit", "Submit a sub-task for review [executor]", (s) => [
      `✅ Submitted: ${s.name}, awaiting review`,
    ]),
    {
      name: "edit",
      summary: "Change a pending or assigned sub-task (only the fields given) [planner]",
      positionals: [ID],
      flags: [{ name: "name", metavar: "NAME", help: "new name" }, DESC, DELIVERABLE, ACCEPTANCE, PRIORITY],
      async run(c) {
        const st = await c.api.put<SubTask>(path(c), {
          name: c.str("name"),
          description: await c.text("desc"),
          deliverable: await c.text("deliverable"),
          acceptance: await c.text("acceptance"),
          priority: c.str("priority"),
        });
        c.show(st, () => print(`✅ Sub-task updated: ${st.id} ${subTaskFacts(st)}`));
      },
    },
    transition("cancel", "Cancel a sub-task [planner]", (s) => [`✅ Sub-task cancelled: ${s.id}`]),
    transition(
      "block",
      "Mark a sub-task blocked (from in_progress, assigned or rework) [patrol]",
      (s) => [`✅ Blocked: ${s.name}`],
      { flags: [{ name: "reason", metavar: "TEXT", help: "why ('-' reads standard input)" }] },
      async (c) => ({ reason: await c.text("reason") }),
    ),
    transition(
      "session",
      "Replace the session id of a sub-task in progress [executor]",
      (s) => [`✅ Session updated: ${s.name}`, `Session ID: ${s.current_session_id ?? "-"}`],
      { positionals: [ID, { name: "session_id", help: "the new session id" }] },
      (c) => ({ session_id: c.arg("session_id") }),
    ),
    transition(
      "reassign",
      "Give a sub-task to another agent (it becomes assigned) [planner]",
      (_s, c) => [`✅ Reassigned to Agent ${c.arg("agent_id")}`],
      { positionals: [ID, { name: "agent_id", help: "the new agent's id", id: "agent" }] },
      (c) => ({ agent_id: c.arg("agent_id") }),
    ),
    {
      name: "deps",
      summary: "Replace what a sub-task depends on (no ids: clear) [planner]",
      positionals: [
        ID,
        { name: "dep_id", help: "sub-tasks of the same task it waits for", variadic: true, id: "sub_task" },
      ],
      async run(c) {
        const st = await c.api.put<SubTask>(path(c, "/dependencies"), { depends_on: c.list("dep_id") });
        const deps = st.depends_on ?? [];
        c.show(st, () =>
          print(
            deps.length > 0
              ? `✅ ${st.name} now depends on: ${deps.join(", ")}`
              : `✅ Dependencies cleared: ${st.name}`,
          ),
        );
      },
    },
    {
      name: "events",
      summary: "Every state change of a sub-task, oldest first",
      positionals: [ID],
      async run(c) {
        const events = await c.api.get<SubTaskEvent[]>(path(c, "/events"));
        c.show(events, () =>
          printList(events, "No events", (e) => {
            return `${minute(e.created_at)} ${e.op}: ${e.from_status ?? "-"} → ${e.to_status} by ${actor(e)}${e.detail ? `: ${e.detail}` : ""}`;
          }),
        );
      },
    },
  ],
};
