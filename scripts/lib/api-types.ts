// The response bodies the benchmarks read, with only the fields they read: views of the types inferred
// from the Worker's response schemas (contract/api). `import type` only: Node's type stripping erases
// it, so running a bench loads no zod. `Created` stands for any create answer, so it is written out.
import type { AgentRegistered } from "../../contract/api/agents.ts";
import type { Page } from "../../contract/api/page.ts";
import type { Review } from "../../contract/api/records.ts";
import type { AdminLogin } from "../../contract/api/setup.ts";
import type { SubTask } from "../../contract/api/sub-tasks.ts";

export type { Page };

/** Any created row: POST /api/tasks, /api/tasks/{id}/modules, /api/sub-tasks, /api/logs, … */
export interface Created {
  id: string;
  name?: string;
}

/** A sub-task from a list, or from a briefing (which leaves out the session and the update time). */
export type SubTaskRow = Pick<SubTask, "id" | "task_id" | "status" | "rework_count" | "assigned_agent"> &
  Partial<Pick<SubTask, "current_session_id" | "updated_at">>;

export type ReviewRow = Pick<Review, "id" | "sub_task_id" | "result" | "issues"> &
  Partial<Pick<Review, "reviewer_agent" | "round">>;

/** POST /api/agents/register */
export type Registered = Pick<AgentRegistered, "id" | "name" | "role" | "api_key">;

/** POST /api/admin/login */
export type AdminSession = Pick<AdminLogin, "token">;
