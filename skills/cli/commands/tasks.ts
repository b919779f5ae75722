// `task …` and `module …`: tasks and their modules (writes are the planner's).
import { TASK_STATUSES } from "../../../contract/vocabulary";
import type { FlagSpec, PositionalSpec } from "../args";
import type { Group } from "../context";
import { t } from "../i18n/index";
import { type Envelope, print, printJson, printList } from "../output";
import { roundsCommand, runRoundCommand, scheduleCommand } from "./schedule";
import { PAGE_FLAGS, pageQuery, seg } from "./shared";
import type { Module, Task } from "./types";

const TASK_ID: PositionalSpec = { name: "id", help: (m) => m.task.id, id: "task" };
const OF_TASK: PositionalSpec = { name: "task_id", help: (m) => m.task.id, id: "task" };
const DESC: FlagSpec = { name: "desc", metavar: "TEXT", help: (m) => m.common.readsStdin(m.task.desc) };
/** One line after a create or edit: the planner just sent the rest (`task get` or --json shows it all). */
const taskFacts = (task: Task) =>
  `"${task.name}" (${task.status}${task.workspace ? t().task.workspaceFact(task.workspace) : ""})`;
const WORKSPACE: FlagSpec = { name: "workspace", metavar: "PATH_OR_URL", help: (m) => m.task.workspace };
const TYPE: FlagSpec = { name: "type", metavar: "TYPE", choices: ["once", "recurring"], help: (m) => m.task.type };

export const taskGroup: Group = {
  name: "task",
  summary: (m) => m.task.group,
  commands: [
    {
      name: "create",
      summary: (m) => m.task.create,
      positionals: [{ name: "name", help: (m) => m.task.name }],
      flags: [DESC, TYPE, WORKSPACE],
      async run(c) {
        const task = await c.api.post<Task>("/api/tasks", {
          name: c.arg("name"),
          description: (await c.text("desc")) ?? "",
          type: c.str("type") ?? "once",
          workspace: c.str("workspace") ?? "",
        });
        c.show(task, () => print(t().task.created(task.id, taskFacts(task))));
      },
    },
    {
      name: "list",
      summary: (m) => m.task.list,
      flags: [
        { name: "status", metavar: "STATUS", choices: TASK_STATUSES, help: (m) => m.common.oneOf(TASK_STATUSES) },
        ...PAGE_FLAGS,
      ],
      async run(c) {
        const body = await c.api.get<Envelope<Task>>("/api/tasks", { status: c.str("status"), ...pageQuery(c) });
        c.show(body, () =>
          printList(
            body,
            t().task.none,
            (task) =>
              `[${task.status}] ${task.name} (ID:${task.id})${task.workspace ? t().task.workspaceCol(task.workspace) : ""}`,
          ),
        );
      },
    },
    {
      name: "get",
      summary: (m) => m.task.get,
      positionals: [TASK_ID],
      async run(c) {
        printJson(await c.api.get<Task>(`/api/tasks/${seg(c.arg("id"))}`));
      },
    },
    {
      name: "edit",
      summary: (m) => m.task.edit,
      positionals: [TASK_ID],
      flags: [{ name: "name", metavar: "NAME", help: (m) => m.task.newName }, DESC, WORKSPACE],
      async run(c) {
        const body = { name: c.str("name"), description: await c.text("desc"), workspace: c.str("workspace") };
        const task = await c.api.put<Task>(`/api/tasks/${seg(c.arg("id"))}`, body);
        c.show(task, () => print(t().task.updated(task.id, taskFacts(task))));
      },
    },
    {
      name: "status",
      summary: (m) => m.task.status,
      positionals: [TASK_ID, { name: "status", choices: TASK_STATUSES, help: (m) => m.common.oneOf(TASK_STATUSES) }],
      async run(c) {
        const task = await c.api.put<Task>(`/api/tasks/${seg(c.arg("id"))}/status`, { status: c.arg("status") });
        c.show(task, () => print(t().task.statusSet(task.status)));
      },
    },
    {
      name: "cancel",
      summary: (m) => m.task.cancel,
      positionals: [TASK_ID],
      async run(c) {
        const task = await c.api.post<Task>(`/api/tasks/${seg(c.arg("id"))}/cancel`);
        c.show(task, () => print(t().task.cancelled(task.id)));
      },
    },
    scheduleCommand,
    roundsCommand,
    runRoundCommand,
  ],
};

export const moduleGroup: Group = {
  name: "module",
  summary: (m) => m.module.group,
  commands: [
    {
      name: "create",
      summary: (m) => m.module.create,
      positionals: [OF_TASK, { name: "name", help: (m) => m.module.name }],
      flags: [DESC],
      async run(c) {
        const body = { name: c.arg("name"), description: (await c.text("desc")) ?? "" };
        const mod = await c.api.post<Module>(`/api/tasks/${seg(c.arg("task_id"))}/modules`, body);
        c.show(mod, () => print(t().module.created(mod.id)));
      },
    },
    {
      name: "list",
      summary: (m) => m.module.list,
      positionals: [OF_TASK],
      async run(c) {
        const mods = await c.api.get<Module[]>(`/api/tasks/${seg(c.arg("task_id"))}/modules`);
        c.show(mods, () => printList(mods, t().module.none, (mod) => `${mod.name} (ID:${mod.id})`));
      },
    },
  ],
};
