// The MCP tools of recurring tasks (schedules and rounds) and retrospectives, kept apart from the
// main table (tools.ts) so it stays readable. Same rules: one tool per agent operation of the API,
// the roles and schemas come from the OpenAPI document, the descriptions from i18n/<lang>/mcp.ts.
import type { ToolSpec } from "./tools";

const TASK_ID = { task_id: { name: "task_id", description: "Id of the task" } };
const RETRO_ID = { retrospective_id: { name: "retrospective_id", description: "Id of the retrospective" } };
const SCHEDULE = "/api/tasks/{task_id}/schedule";

/** Every role reads schedules, rounds and retrospectives; planners change them. */
export const RECURRING_READ_TOOLS: readonly ToolSpec[] = [
  { name: "get_task_schedule", method: "GET", path: SCHEDULE, cli: "task schedule", pathArgs: TASK_ID },
  {
    name: "list_task_rounds",
    method: "GET",
    path: "/api/tasks/{task_id}/rounds",
    cli: "task rounds",
    pathArgs: TASK_ID,
  },
  { name: "list_retrospectives", method: "GET", path: "/api/retrospectives", cli: "retro list" },
  {
    name: "get_retrospective",
    method: "GET",
    path: "/api/retrospectives/{retrospective_id}",
    cli: "retro show",
    pathArgs: RETRO_ID,
  },
];

export const RECURRING_PLANNER_TOOLS: readonly ToolSpec[] = [
  {
    name: "set_task_schedule",
    method: "PUT",
    path: SCHEDULE,
    cli: "task schedule --cron|--every",
    pathArgs: TASK_ID,
  },
  {
    name: "pause_task_schedule",
    method: "POST",
    path: `${SCHEDULE}/pause`,
    cli: "task schedule --pause",
    pathArgs: TASK_ID,
  },
  {
    name: "resume_task_schedule",
    method: "POST",
    path: `${SCHEDULE}/resume`,
    cli: "task schedule --resume",
    pathArgs: TASK_ID,
  },
  {
    name: "end_task_schedule",
    method: "DELETE",
    path: SCHEDULE,
    cli: "task schedule --end",
    pathArgs: TASK_ID,
    destructive: true,
  },
  {
    name: "start_task_round",
    method: "POST",
    path: "/api/tasks/{task_id}/rounds",
    cli: "task run-round",
    pathArgs: TASK_ID,
  },
  { name: "run_retrospective", method: "POST", path: "/api/retrospectives", cli: "retro run" },
  {
    name: "rule_from_finding",
    method: "POST",
    path: "/api/retrospectives/{retrospective_id}/findings/{finding_id}/rule",
    cli: "retro rule",
    pathArgs: { ...RETRO_ID, finding_id: { name: "finding_id", description: "Id of the finding, e.g. f1" } },
  },
];
