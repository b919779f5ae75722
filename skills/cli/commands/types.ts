// The parts of the server's JSON answers the human output reads (see worker/routes/shapes.ts).

export interface Task {
  id: string;
  name: string;
  status: string;
  /** Where work that spans sub-tasks lives; "" when none is set. */
  workspace: string;
}

export interface Module {
  id: string;
  name: string;
}

export interface SubTask {
  id: string;
  name: string;
  description: string;
  deliverable: string;
  acceptance: string;
  status: string;
  priority: string;
  assigned_agent: string | null;
  /** In lists: the assignee's name (null when none, or deleted). */
  assigned_agent_name?: string | null;
  current_session_id: string | null;
  depends_on?: string[];
}

export interface SubTaskEvent {
  op: string;
  from_status: string | null;
  to_status: string;
  actor_kind: string;
  actor_id: string | null;
  /** The acting agent's name; null for the admin, the server, or a deleted agent. */
  actor_name?: string | null;
  detail: string;
  created_at: string;
}

export interface Review {
  round: number;
  result: string;
  score: number | null;
  comment: string;
  issues: string;
}

export interface RewardLog {
  reason: string;
  score_delta: number;
}

export interface ActivityLog {
  action: string;
  summary: string;
  agent_id: string;
  sub_task_id: string | null;
  task_id: string | null;
  /** Present in lists (null once the author is deleted); absent from the create answer. */
  agent_name?: string | null;
  /** Present in lists: the names of the sub-task and task the log is about. */
  sub_task_name?: string | null;
  task_name?: string | null;
  created_at: string;
}

export interface Agent {
  id: string;
  name: string;
  role: string;
  description: string;
  status: string;
  total_score: number;
}

export interface PatrolRecord {
  id: string;
  type: string;
  severity: string;
  status: string;
  target: string;
  description: string;
}
