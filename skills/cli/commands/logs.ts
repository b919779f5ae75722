// `log …`: the activity journal (coding, delivery, blocked, reflection, plan, review, patrol).
import { ACTIVITY_ACTIONS } from "../../../contract/vocabulary";
import type { Ctx, Group } from "../context";
import { minute, print, printList, shortId } from "../output";
import type { ActivityLog } from "./types";

const ACTIONS = "coding, delivery, blocked, reflection, plan, review or patrol";
const WINDOW_FLAGS = [
  { name: "action", metavar: "ACTION", choices: ACTIVITY_ACTIONS, help: `only this action (${ACTIONS})` },
  { name: "days", metavar: "N", int: true, help: "look back N days (default 7, at most 60)" },
  { name: "limit", metavar: "N", int: true, help: "at most N entries (default 20, at most 500)" },
];

const TASK_ID_FLAG = {
  name: "task-id",
  metavar: "ID",
  id: "task",
  help: "only about this task (its sub-tasks' logs and its own)",
} as const;
const windowQuery = (c: Ctx) => ({
  action: c.str("action"),
  days: c.int("days"),
  limit: c.int("limit"),
  task_id: c.str("task-id"),
});
/** What a log is about: ` on <sub-task> (<short id>) in <task>`, ` in <task>`, or nothing. */
const about = (l: ActivityLog) => {
  const subTask = l.sub_task_id ? ` on ${l.sub_task_name ?? "sub-task"} (${shortId(l.sub_task_id)})` : "";
  const task = l.task_name ? ` in ${l.task_name}` : "";
  return subTask + task;
};
/**
 * One entry: kind, time, author, what it is about, then the summary. Its later lines are indented,
 * so text inside a summary can never pass for another entry (or another author's).
 */
const logLine = (l: ActivityLog) =>
  `[${l.action}] ${minute(l.created_at)} by ${l.agent_name ?? `deleted agent ${l.agent_id}`}${about(l)}: ${l.summary.replace(/\n/g, "\n    ")}`;
const show = (c: Ctx, rows: ActivityLog[]) => c.show(rows, () => printList(rows, "No log records", logLine));

export const logGroup: Group = {
  name: "log",
  summary: "Activity log: create, mine, list",
  commands: [
    {
      name: "create",
      summary: "Write a log entry",
      positionals: [
        { name: "action", help: ACTIONS, choices: ACTIVITY_ACTIONS },
        { name: "summary", help: "what happened ('-' reads standard input)" },
      ],
      flags: [
        { name: "sub-task-id", metavar: "ID", id: "sub_task", help: "the sub-task it is about (its task is implied)" },
        {
          name: "task-id",
          metavar: "ID",
          id: "task",
          help: "the task it is about, without a sub-task (e.g. a task's closing delivery)",
        },
      ],
      async run(c) {
        const row = await c.api.post<ActivityLog>("/api/logs", {
          action: c.arg("action"),
          summary: (await c.text("summary")) ?? "",
          sub_task_id: c.str("sub-task-id"),
          task_id: c.str("task-id"),
        });
        c.show(row, () => print(`✅ Log written: ${row.action}`));
      },
    },
    {
      name: "mine",
      summary: "My recent log entries, newest first",
      flags: [TASK_ID_FLAG, ...WINDOW_FLAGS],
      async run(c) {
        show(c, await c.api.get<ActivityLog[]>("/api/logs/mine", windowQuery(c)));
      },
    },
    {
      name: "list",
      summary: "Everyone's recent log entries, newest first",
      flags: [
        { name: "sub-task-id", metavar: "ID", id: "sub_task", help: "only about this sub-task" },
        TASK_ID_FLAG,
        { name: "agent-id", metavar: "ID", id: "agent", help: "only by this agent" },
        ...WINDOW_FLAGS,
      ],
      async run(c) {
        const query = { ...windowQuery(c), sub_task_id: c.str("sub-task-id"), agent_id: c.str("agent-id") };
        show(c, await c.api.get<ActivityLog[]>("/api/logs", query));
      },
    },
  ],
};
