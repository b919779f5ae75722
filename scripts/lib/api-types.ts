// The response bodies the benchmarks read, with only the fields they read: the Worker's zod schemas
// are the full contract; these name what a bench depends on, with the shared vocabulary's types.
import type { ReviewResult, Role, SubTaskStatus } from "../../contract/vocabulary.ts";

/** Any created row: POST /api/tasks, /api/tasks/{id}/modules, /api/sub-tasks, /api/logs, … */
export interface Created {
  id: string;
  name?: string;
}

/** A page of a list endpoint. */
export interface Page<T> {
  items: T[];
  total: number;
  has_more?: boolean;
}

export interface SubTaskRow {
  id: string;
  task_id: string;
  status: SubTaskStatus;
  rework_count: number;
  assigned_agent: string | null;
  current_session_id?: string | null;
  updated_at?: string;
}

export interface ReviewRow {
  id: string;
  sub_task_id: string;
  result: ReviewResult;
  issues: string;
  reviewer_agent?: string;
  round?: number;
}

/** POST /api/agents/register */
export interface Registered {
  id: string;
  name: string;
  role: Role;
  api_key: string;
}

/** POST /api/admin/login */
export interface AdminSession {
  token: string;
}
