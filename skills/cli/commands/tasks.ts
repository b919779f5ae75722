// `task …` and `module …`: tasks and their modules (writes are the planner's).
import { TASK_STATUSES } from "../../../contract/vocabulary";
import type { Group } from "../context";
import { type Envelope, print, printJson, printList } from "../output";
import { PAGE_FLAGS, pageQuery, seg } from "./shared";
import type { Module, Task } from "./types";

const TASK_ID = { name: "id", help: "task id", id: "task" } as const;
const OF_TASK = { name: "task_id", help: "task id", id: "task" } as const;
const DESC = { name: "desc", metavar: "TEXT", help: "description ('-' reads standard input)" };
/** One line after a create or edit: the planner just sent the rest (`task get` or --json shows it all). */
const taskFacts = (t: Task) => `"${t.name}" (${t.status}${t.workspace ? `, workspace ${t.workspace}` : ""})`;
const WORKSPACE = {
  name: "workspace",
  metavar: "PATH_OR_URL",
  help: "where work that spans sub-tasks lives: a folder or repository ('' clears it)",
};

export const taskGroup: Group = {
  name: "task",
  summary: "Tasks: create, list, get, edit, status, cancel",
  commands: [
    {
      name: "create",
      summary: "Create a task (it starts in status planning) [planner]",
      positionals: [{ name: "name", help: "task name" }],
      flags: [
        DESC,
        { name: "type", metavar: "TYPE", choices: ["once", "recurring"], help: "once (default) or recurring" },
        WORKSPACE,
      ],
      async run(c) {
        const task = await c.api.post<Task>("/api/tasks", {
          name: c.arg("name"),
          description: (await c.text("desc")) ?? "",
          type: c.str("type") ?? "once",
          workspace: c.str("workspace") ?? "",
        });
        c.show(task, () => print(`✅ Task created: ${task.id} ${taskFacts(task)}`));
      },
    },
    {
      name: "list",
      summary: "List tasks, newest first",
      flags: [
        {
          name: "status",
          metavar: "STATUS",
          choices: TASK_STATUSES,
          help: "planning, active, in_progress, completed, archived or cancelled",
        },
        ...PAGE_FLAGS,
      ],
      async run(c) {
        const body = await c.api.get<Envelope<Task>>("/api/tasks", { status: c.str("status"), ...pageQuery(c) });
        c.show(body, () =>
          printList(
            body,
            "No tasks",
            (t) => `[${t.status}] ${t.name} (ID:${t.id})${t.workspace ? ` Workspace: ${t.workspace}` : ""}`,
          ),
        );
      },
    },
    {
      name: "get",
      summary: "Show a task",
      positionals: [TASK_ID],
      async run(c) {
        printJson(await c.api.get<Task>(`/api/tasks/${seg(c.arg("id"))}`));
      },
    },
    {
      name: "edit",
      summary: "Change a task's name, description or workspace (planning or active only) [planner]",
      positionals: [TASK_ID],
      flags: [{ name: "name", metavar: "NAME", help: "new name" }, DESC, WORKSPACE],
      async run(c) {
        const body = { name: c.str("name"), description: await c.text("desc"), workspace: c.str("workspace") };
        const task = await c.api.put<Task>(`/api/tasks/${seg(c.arg("id"))}`, body);
        c.show(task, () => print(`✅ Task updated: ${task.id} ${taskFacts(task)}`));
      },
    },
    {
      name: "status",
      summary: "Set a task's status (e.g. active once its sub-tasks exist) [planner]",
      positionals: [
        TASK_ID,
        {
          name: "status",
          choices: TASK_STATUSES,
          help: "planning, active, in_progress, completed, archived or cancelled",
        },
      ],
      async run(c) {
        const task = await c.api.put<Task>(`/api/tasks/${seg(c.arg("id"))}/status`, { status: c.arg("status") });
        c.show(task, () => print(`✅ Task status updated: ${task.status}`));
      },
    },
    {
      name: "cancel",
      summary: "Cancel a task and every open sub-task in it [planner]",
      positionals: [TASK_ID],
      async run(c) {
        const task = await c.api.post<Task>(`/api/tasks/${seg(c.arg("id"))}/cancel`);
        c.show(task, () => print(`✅ Task cancelled: ${task.id}`));
      },
    },
  ],
};

export const moduleGroup: Group = {
  name: "module",
  summary: "Modules of a task: create, list",
  commands: [
    {
      name: "create",
      summary: "Create a module in an open task [planner]",
      positionals: [OF_TASK, { name: "name", help: "module name" }],
      flags: [DESC],
      async run(c) {
        const body = { name: c.arg("name"), description: (await c.text("desc")) ?? "" };
        const mod = await c.api.post<Module>(`/api/tasks/${seg(c.arg("task_id"))}/modules`, body);
        c.show(mod, () => print(`✅ Module created: ${mod.id}`));
      },
    },
    {
      name: "list",
      summary: "List a task's modules",
      positionals: [OF_TASK],
      async run(c) {
        const mods = await c.api.get<Module[]>(`/api/tasks/${seg(c.arg("task_id"))}/modules`);
        c.show(mods, () => printList(mods, "No modules", (m) => `${m.name} (ID:${m.id})`));
      },
    },
  ],
};
