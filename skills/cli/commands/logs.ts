// `log …`: the activity journal (coding, delivery, blocked, reflection, plan, review, patrol).
import type { Ctx, Group } from "../context";
import { print, printList } from "../output";
import type { ActivityLog } from "./types";

const ACTIONS = "coding, delivery, blocked, reflection, plan, review or patrol";
const WINDOW_FLAGS = [
  { name: "action", metavar: "ACTION", help: `only this action (${ACTIONS})` },
  { name: "days", metavar: "N", int: true, help: "look back N days (default 7, at most 60)" },
  { name: "limit", metavar: "N", int: true, help: "at most N entries (default 20, at most 500)" },
];

const windowQuery = (c: Ctx) => ({ action: c.str("action"), days: c.int("days"), limit: c.int("limit") });
const show = (c: Ctx, rows: ActivityLog[]) => c.show(rows, () => printList(rows, "No log records", (l) => `[${l.action}] ${l.summary}`));

export const logGroup: Group = {
  name: "log",
  summary: "Activity log: create, mine, list",
  commands: [
    {
      name: "create",
      summary: "Write a log entry",
      positionals: [
        { name: "action", help: ACTIONS },
        { name: "summary", help: "what happened ('-' reads standard input)" },
      ],
      flags: [{ name: "sub-task-id", metavar: "ID", help: "the sub-task it is about" }],
      async run(c) {
        const row = await c.api.post<ActivityLog>("/api/logs", {
          action: c.arg("action"),
          summary: (await c.text("summary")) ?? "",
          sub_task_id: c.str("sub-task-id"),
        });
        c.show(row, () => print(`✅ Log written: ${row.action}`));
      },
    },
    {
      name: "mine",
      summary: "My recent log entries, newest first",
      flags: WINDOW_FLAGS,
      async run(c) {
        show(c, await c.api.get<ActivityLog[]>("/api/logs/mine", windowQuery(c)));
      },
    },
    {
      name: "list",
      summary: "Everyone's recent log entries, newest first",
      flags: [
        { name: "sub-task-id", metavar: "ID", help: "only about this sub-task" },
        { name: "agent-id", metavar: "ID", help: "only by this agent" },
        ...WINDOW_FLAGS,
      ],
      async run(c) {
        const query = { ...windowQuery(c), sub_task_id: c.str("sub-task-id"), agent_id: c.str("agent-id") };
        show(c, await c.api.get<ActivityLog[]>("/api/logs", query));
      },
    },
  ],
};
