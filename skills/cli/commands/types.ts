// The parts of the server's JSON answers the human output reads: views of the types inferred from the
// Worker's response schemas (contract/api). `import type` only, so no zod reaches the CLI bundle.
import type { AgentPublic } from "../../../contract/api/agents";
import type {
  ActivityLog as ActivityLogJson,
  ListedActivityLog,
  PatrolRecord as PatrolRecordJson,
  Review as ReviewJson,
} from "../../../contract/api/records";
import type { TaskSchedule as TaskScheduleJson } from "../../../contract/api/recurring";
import type {
  FindingRuleResult,
  Retrospective as RetrospectiveJson,
  RetrospectiveSummary,
} from "../../../contract/api/retrospectives";
import type { TaskRound as TaskRoundJson } from "../../../contract/api/rounds";
import type { RewardLog as RewardLogJson } from "../../../contract/api/scores";
import type {
  SubTaskDetail,
  SubTaskEvent as SubTaskEventJson,
  SubTask as SubTaskJson,
  SubTaskListItem,
} from "../../../contract/api/sub-tasks";
import type { Module as ModuleJson, Task as TaskJson } from "../../../contract/api/tasks";

export type Task = Pick<TaskJson, "id" | "name" | "status" | "workspace">;

export type Module = Pick<ModuleJson, "id" | "name">;

/** A sub-task from a list (with the assignee's name) or from GET /api/sub-tasks/{id} (with depends_on). */
export type SubTask = Pick<
  SubTaskJson,
  | "id"
  | "name"
  | "description"
  | "deliverable"
  | "acceptance"
  | "status"
  | "priority"
  | "assigned_agent"
  | "current_session_id"
> &
  Partial<Pick<SubTaskListItem, "assigned_agent_name"> & Pick<SubTaskDetail, "depends_on">>;

export type SubTaskEvent = Pick<
  SubTaskEventJson,
  "op" | "from_status" | "to_status" | "actor_kind" | "actor_id" | "actor_name" | "detail" | "created_at"
>;

export type Review = Pick<ReviewJson, "round" | "result" | "score" | "comment" | "issues">;

export type RewardLog = Pick<RewardLogJson, "reason" | "score_delta">;

/** A log from a list (with the author's, sub-task's and task's names) or the create answer (without). */
export type ActivityLog = Pick<
  ActivityLogJson,
  "action" | "summary" | "agent_id" | "sub_task_id" | "task_id" | "created_at"
> &
  Partial<Pick<ListedActivityLog, "agent_name" | "sub_task_name" | "task_name">>;

export type Agent = Pick<AgentPublic, "id" | "name" | "role" | "description" | "status" | "total_score">;

export type PatrolRecord = Pick<PatrolRecordJson, "id" | "type" | "severity" | "status" | "target" | "description">;

/** A TaskSchedule (GET/PUT /api/tasks/{task_id}/schedule) as `task schedule` prints it. */
export type TaskSchedule = Pick<
  TaskScheduleJson,
  "task_id" | "status" | "next_run_at" | "rounds_created" | "open_rounds" | "last_round_at" | "ended_reason"
> & { recurring_config: Pick<TaskScheduleJson["recurring_config"], "schedule"> };

export type TaskRound = Pick<
  TaskRoundJson,
  "id" | "task_id" | "round_no" | "round_key" | "scheduled_for" | "status" | "skip_reason" | "missed" | "sub_tasks"
>;

/** A listed retrospective, as the list line reads it. */
export type RetroSummary = Pick<RetrospectiveSummary, "id" | "period_key" | "scope" | "partial">;

/** GET /api/retrospectives/{retrospective_id}: the stored text is what `retro show` prints. */
export type Retro = RetroSummary & Pick<RetrospectiveJson, "text">;

/** What POST …/findings/{finding_id}/rule answers. */
export type FindingRule = Pick<FindingRuleResult, "finding_id"> & {
  rule: Pick<FindingRuleResult["rule"], "id" | "scope">;
};
