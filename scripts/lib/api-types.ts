// The response bodies the benchmarks read, with only the fields they read: views of the types inferred
// from the Worker's response schemas (contract/api). `import type` only: Node's type stripping erases
// it, so running a bench loads no zod. The answers without a schema in contract/api are written out.
import type { Page } from "../../contract/api/page.ts";
import type { Review } from "../../contract/api/records.ts";
import type { SubTask } from "../../contract/api/sub-tasks.ts";
import type { Role } from "../../contract/vocabulary.ts";

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

/** POST /api/agents/register (its schema is the route's own, in worker/routes/agents.ts). */
export interface Registered {
  id: string;
  name: string;
  role: Role;
  api_key: string;
}

/** POST /api/admin/login (its schema is the route's own, in worker/routes/admin-auth.ts). */
export interface AdminSession {
  token: string;
}
