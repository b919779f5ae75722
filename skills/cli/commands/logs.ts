// `log …`: the activity journal (coding, delivery, blocked, reflection, plan, review, patrol, retro).
import { ACTIVITY_ACTIONS } from "../../../contract/vocabulary";
import type { FlagSpec } from "../args";
import type { Ctx, Group } from "../context";
import { t } from "../i18n/index";
import { minute, print, printList, shortId } from "../output";
import type { ActivityLog } from "./types";

const WINDOW_FLAGS: FlagSpec[] = [
  {
    name: "action",
    metavar: "ACTION",
    choices: ACTIVITY_ACTIONS,
    help: (m) => m.log.onlyAction(m.common.oneOf(ACTIVITY_ACTIONS)),
  },
  { name: "days", metavar: "N", int: true, help: (m) => m.log.days },
  { name: "limit", metavar: "N", int: true, help: (m) => m.log.limit },
];

const TASK_ID_FLAG: FlagSpec = { name: "task-id", metavar: "ID", id: "task", help: (m) => m.log.taskFilter };
const windowQuery = (c: Ctx) => ({
  action: c.str("action"),
  days: c.int("days"),
  limit: c.int("limit"),
  task_id: c.str("task-id"),
});
/** What a log is about: ` on <sub-task> (<short id>) in <task>`, ` in <task>`, or nothing. */
const about = (l: ActivityLog) => {
  const m = t().log;
  const subTask = l.sub_task_id ? m.onSubTask(l.sub_task_name, shortId(l.sub_task_id)) : "";
  const task = l.task_name ? m.inTask(l.task_name) : "";
  return subTask + task;
};
/**
 * One entry: kind, time, author, what it is about, then the summary. Its later lines are indented,
 * so text inside a summary can never pass for another entry (or another author's).
 */
const logLine = (l: ActivityLog) =>
  `[${l.action}] ${minute(l.created_at)} ${t().log.by(l.agent_name ?? t().common.deletedAgent(l.agent_id))}${about(l)}: ${l.summary.replace(/\n/g, "\n    ")}`;
const show = (c: Ctx, rows: ActivityLog[]) => c.show(rows, () => printList(rows, t().log.none, logLine));

export const logGroup: Group = {
  name: "log",
  summary: (m) => m.log.group,
  commands: [
    {
      name: "create",
      summary: (m) => m.log.create,
      positionals: [
        { name: "action", help: (m) => m.common.oneOf(ACTIVITY_ACTIONS), choices: ACTIVITY_ACTIONS },
        { name: "summary", help: (m) => m.common.readsStdin(m.log.summary) },
      ],
      flags: [
        { name: "sub-task-id", metavar: "ID", id: "sub_task", help: (m) => m.log.subTask },
        { name: "task-id", metavar: "ID", id: "task", help: (m) => m.log.task },
        { name: "retro", metavar: "ID", help: (m) => m.retro.logRetro },
      ],
      async run(c) {
        const row = await c.api.post<ActivityLog>("/api/logs", {
          action: c.arg("action"),
          summary: (await c.text("summary")) ?? "",
          sub_task_id: c.str("sub-task-id"),
          task_id: c.str("task-id"),
          retrospective_id: c.str("retro"),
        });
        c.show(row, () => print(t().log.written(row.action)));
      },
    },
    {
      name: "mine",
      summary: (m) => m.log.mine,
      flags: [TASK_ID_FLAG, ...WINDOW_FLAGS],
      async run(c) {
        show(c, await c.api.get<ActivityLog[]>("/api/logs/mine", windowQuery(c)));
      },
    },
    {
      name: "list",
      summary: (m) => m.log.list,
      flags: [
        { name: "sub-task-id", metavar: "ID", id: "sub_task", help: (m) => m.log.subTaskFilter },
        TASK_ID_FLAG,
        { name: "agent-id", metavar: "ID", id: "agent", help: (m) => m.log.agentFilter },
        ...WINDOW_FLAGS,
      ],
      async run(c) {
        const query = { ...windowQuery(c), sub_task_id: c.str("sub-task-id"), agent_id: c.str("agent-id") };
        show(c, await c.api.get<ActivityLog[]>("/api/logs", query));
      },
    },
  ],
};
