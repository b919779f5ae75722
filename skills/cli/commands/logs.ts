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
/** `2026-05-01T12:03:45.123Z` → `2026-05-01 12:03Z`: minutes are enough to order a journal. */
const minute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
/**
 * One entry: kind, time, author, then the summary. Its later lines are indented, so text inside a
 * summary can never pass for another entry (or another author's).
 */
const logLine = (l: ActivityLog) =>
  `[${l.action}] ${minute(l.created_at)} by ${l.agent_name ?? `deleted agent ${l.agent_id}`}: ${l.summary.replace(/\n/g, "\n    ")}`;
const show = (c: Ctx, rows: ActivityLog[]) => c.show(rows, () => printList(rows, "No log records", logLine));

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
