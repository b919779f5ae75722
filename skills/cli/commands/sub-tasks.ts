// `st …`: sub-tasks, from creation (planner) through claim/start/submit (executor) to block (patrol).
import { SUB_TASK_STATUSES } from "../../../contract/vocabulary";
import type { FlagSpec, PositionalSpec } from "../args";
import type { Command, Ctx, Group } from "../context";
import { type Catalogue, t } from "../i18n/index";
import { type Envelope, minute, print, printJson, printList, shortId } from "../output";
import { FILE_COMMANDS } from "./files";
import { PAGE_FLAGS, pageQuery, seg } from "./shared";
import type { SubTask, SubTaskEvent } from "./types";

const ID: PositionalSpec = { name: "id", help: (m) => m.st.id, id: "sub_task" };
const OF_TASK: PositionalSpec = { name: "task_id", help: (m) => m.task.id, id: "task" };
const STATUS: FlagSpec = {
  name: "status",
  metavar: "STATUS",
  choices: SUB_TASK_STATUSES,
  help: () => SUB_TASK_STATUSES.join(", "),
};
const PRIORITIES = ["high", "medium", "low"];
const PRIORITY: FlagSpec = {
  name: "priority",
  metavar: "PRIORITY",
  choices: PRIORITIES,
  help: (m) => m.common.oneOf(PRIORITIES),
};
const longText = (name: string, help: (st: Catalogue["st"]) => string): FlagSpec => ({
  name,
  metavar: "TEXT",
  help: (m) => m.common.readsStdin(help(m.st)),
});
const DESC = longText("desc", (st) => st.desc);
const DELIVERABLE = longText("deliverable", (st) => st.deliverable);
const ACCEPTANCE = longText("acceptance", (st) => st.acceptance);

/** The assignee by name; a deleted one by its short id. */
const assignee = (s: SubTask) =>
  s.assigned_agent_name ?? (s.assigned_agent ? t().common.deletedAgent(shortId(s.assigned_agent)) : "-");
/** Who made a change: an agent by name, else the admin or the server (a deleted agent by its short id). */
const actor = (e: SubTaskEvent) =>
  e.actor_name ??
  (e.actor_id
    ? t().common.deletedAgent(shortId(e.actor_id))
    : e.actor_kind === "system"
      ? t().st.theServer
      : e.actor_kind);

/** One line after a create or edit: the planner just sent the rest (`st get` or --json shows it all). */
const subTaskFacts = (st: SubTask) => {
  const deps = st.depends_on?.length ? t().st.waitsFor(st.depends_on.length) : "";
  return `"${st.name}" (${st.status}, ${st.priority}${deps})`;
};

const path = (c: Ctx, suffix = "") => `/api/sub-tasks/${seg(c.arg("id"))}${suffix}`;

/** A state change through POST /api/sub-tasks/{id}/<op>, printing one line about the result. */
function transition(
  name: string,
  summary: Command["summary"],
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
  summary: (m) => m.st.group,
  commands: [
    {
      name: "create",
      summary: (m) => m.st.create,
      positionals: [OF_TASK, { name: "name", help: (m) => m.st.name }],
      flags: [
        DESC,
        DELIVERABLE,
        ACCEPTANCE,
        { ...PRIORITY, help: (m) => m.st.priorityDefault },
        { name: "type", metavar: "TYPE", choices: ["once", "recurring"], help: (m) => m.task.type },
        { name: "module-id", metavar: "ID", id: "module", help: (m) => m.st.moduleOfTask },
        { name: "assign", metavar: "AGENT_ID", id: "agent", help: (m) => m.st.assign },
        { name: "depends-on", metavar: "ID[,ID…]", list: true, id: "sub_task", help: (m) => m.st.dependsOn },
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
        c.show(st, () => print(t().st.created(st.id, subTaskFacts(st))));
      },
    },
    {
      name: "list",
      summary: (m) => m.st.list,
      flags: [
        { name: "task-id", metavar: "ID", id: "task", help: (m) => m.st.onlyTask },
        { name: "module-id", metavar: "ID", id: "module", help: (m) => m.st.onlyModule },
        // Round ids are shown in full by `task rounds`; they have no short-id lookup.
        { name: "round", metavar: "ROUND_ID", help: (m) => m.st.onlyRound },
        STATUS,
        ...PAGE_FLAGS,
      ],
      async run(c) {
        const query = {
          task_id: c.str("task-id"),
          module_id: c.str("module-id"),
          round_id: c.str("round"),
          status: c.str("status"),
          ...pageQuery(c),
        };
        const body = await c.api.get<Envelope<SubTask>>("/api/sub-tasks", query);
        c.show(body, () =>
          printList(body, t().st.none, (s) => `[${s.status}] ${s.name} (ID:${s.id} ${t().st.agentCol(assignee(s))})`),
        );
      },
    },
    {
      name: "get",
      summary: (m) => m.st.get,
      positionals: [ID],
      async run(c) {
        printJson(await c.api.get<SubTask>(path(c)));
      },
    },
    {
      name: "mine",
      summary: (m) => m.st.mine,
      flags: [STATUS, ...PAGE_FLAGS],
      async run(c) {
        const body = await c.api.get<Envelope<SubTask>>("/api/sub-tasks/mine", {
          status: c.str("status"),
          ...pageQuery(c),
        });
        c.show(body, () => printList(body, t().st.noneMine, (s) => `[${s.status}] ${s.name} (ID:${s.id})`));
      },
    },
    {
      name: "available",
      summary: (m) => m.st.available,
      flags: PAGE_FLAGS,
      async run(c) {
        const body = await c.api.get<Envelope<SubTask>>("/api/sub-tasks/available", pageQuery(c));
        c.show(body, () => printList(body, t().st.noneAvailable, (s) => `[${s.priority}] ${s.name} (ID:${s.id})`));
      },
    },
    {
      name: "latest",
      summary: (m) => m.st.latest,
      positionals: [OF_TASK],
      async run(c) {
        const st = await c.api.get<SubTask>("/api/sub-tasks/latest", { task_id: c.arg("task_id") });
        c.show(st, () => {
          const m = t().st;
          print(`[${st.status}] ${st.name}`, `ID: ${st.id}`);
          if (st.description) print(m.description(st.description));
          if (st.deliverable) print(m.deliverableLine(st.deliverable));
          if (st.acceptance) print(m.acceptanceLine(st.acceptance));
        });
      },
    },
    transition(
      "claim",
      (m) => m.st.claim,
      (s) => [t().st.claimed(s.name)],
    ),
    transition(
      "start",
      (m) => m.st.start,
      (s) => [t().st.started(s.name), ...(s.current_session_id ? [t().st.sessionLine(s.current_session_id)] : [])],
      { flags: [{ name: "session", metavar: "SESSION_ID", help: (m) => m.st.session }] },
      (c) => ({ session_id: c.str("session") }),
    ),
    transition(
      "submit",
      (m) => m.st.submit,
      (s) => [t().st.submitted(s.name)],
    ),
    {
      name: "edit",
      summary: (m) => m.st.edit,
      positionals: [ID],
      flags: [{ name: "name", metavar: "NAME", help: (m) => m.task.newName }, DESC, DELIVERABLE, ACCEPTANCE, PRIORITY],
      async run(c) {
        const st = await c.api.put<SubTask>(path(c), {
          name: c.str("name"),
          description: await c.text("desc"),
          deliverable: await c.text("deliverable"),
          acceptance: await c.text("acceptance"),
          priority: c.str("priority"),
        });
        c.show(st, () => print(t().st.updated(st.id, subTaskFacts(st))));
      },
    },
    transition(
      "cancel",
      (m) => m.st.cancel,
      (s) => [t().st.cancelled(s.id)],
    ),
    transition(
      "block",
      (m) => m.st.block,
      (s) => [t().st.blocked(s.name)],
      { flags: [{ name: "reason", metavar: "TEXT", help: (m) => m.common.readsStdin(m.st.why) }] },
      async (c) => ({ reason: await c.text("reason") }),
    ),
    transition(
      "session",
      (m) => m.st.sessionCmd,
      (s) => [t().st.sessionSet(s.name), t().st.sessionIdLine(s.current_session_id ?? "-")],
      { positionals: [ID, { name: "session_id", help: (m) => m.st.newSession }] },
      (c) => ({ session_id: c.arg("session_id") }),
    ),
    transition(
      "reassign",
      (m) => m.st.reassign,
      (_s, c) => [t().st.reassigned(c.arg("agent_id"))],
      { positionals: [ID, { name: "agent_id", help: (m) => m.st.newAgent, id: "agent" }] },
      (c) => ({ agent_id: c.arg("agent_id") }),
    ),
    {
      name: "deps",
      summary: (m) => m.st.deps,
      positionals: [ID, { name: "dep_id", help: (m) => m.st.depIds, variadic: true, id: "sub_task" }],
      async run(c) {
        const st = await c.api.put<SubTask>(path(c, "/dependencies"), { depends_on: c.list("dep_id") });
        const deps = st.depends_on ?? [];
        c.show(st, () =>
          print(deps.length > 0 ? t().st.dependsNow(st.name, deps.join(", ")) : t().st.depsCleared(st.name)),
        );
      },
    },
    {
      name: "events",
      summary: (m) => m.st.events,
      positionals: [ID],
      async run(c) {
        const events = await c.api.get<SubTaskEvent[]>(path(c, "/events"));
        c.show(events, () =>
          printList(events, t().st.noEvents, (e) => {
            return `${minute(e.created_at)} ${e.op}: ${e.from_status ?? "-"} → ${e.to_status} ${t().st.by(actor(e))}${e.detail ? `: ${e.detail}` : ""}`;
          }),
        );
      },
    },
    ...FILE_COMMANDS,
  ],
};
