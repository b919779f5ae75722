// D1 schema. Table and column names follow upstream OpenMOSS (singular, snake_case) so its data model
// maps one to one; what we add is marked. All times are UTC ISO-8601 strings ending in `Z`.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
// `$type` narrows only the TypeScript side (no migration); every write path validates these values.
import type {
  ActivityAction,
  Actor,
  AgentStatus,
  AnomalyType,
  PatrolRecordStatus,
  PatrolSource,
  Priority,
  ReviewResult,
  Role,
  RuleScope,
  Severity,
  SubTaskStatus,
  TaskStatus,
  TaskType,
} from "../../contract/vocabulary";

export const agent = sqliteTable(
  "agent",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    // Added: the name NFKC-normalized and case-folded; unique, so look-alike names cannot coexist.
    nameKey: text("name_key"),
    role: text("role").$type<Role>().notNull(),
    description: text("description").notNull().default(""),
    status: text("status").$type<AgentStatus>().notNull().default("active"),
    // Upstream stored the key itself; we keep only SHA-256(key) as hex and look agents up by it.
    apiKeyHash: text("api_key_hash").notNull(),
    totalScore: integer("total_score").notNull().default(0),
    createdAt: text("created_at").notNull(),
    // Added: the agent's last `POST /api/agents/me/heartbeat` (upstream dev branch's presence).
    lastHeartbeatAt: text("last_heartbeat_at"),
    lastHeartbeatIp: text("last_heartbeat_ip"),
    // Added: the revision (hash) of the merged rules this agent's last briefing carried in full; the next
    // briefing sends only "unchanged" while it still matches.
    rulesRevision: text("rules_revision"),
    // Added: the retrospective this agent's next briefing shows once (set by the generator, cleared by
    // the briefing that shows it).
    pendingRetroId: text("pending_retro_id"),
  },
  (t) => [
    // Upstream checked name uniqueness in code only (racy); the database enforces it here.
    uniqueIndex("ux_agent_name").on(t.name),
    uniqueIndex("ux_agent_name_key").on(t.nameKey),
    uniqueIndex("ux_agent_api_key_hash").on(t.apiKeyHash),
    index("ix_agent_role").on(t.role),
    index("ix_agent_score").on(t.totalScore),
  ],
);

export const task = sqliteTable(
  "task",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    type: text("type").$type<TaskType>().notNull().default("once"),
    status: text("status").$type<TaskStatus>().notNull().default("planning"),
    // Added: where work that spans sub-tasks lives (a path or a repository), shown in briefings and rules.
    workspace: text("workspace").notNull().default(""),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("ix_task_status_created").on(t.status, t.createdAt),
    index("ix_task_created").on(t.createdAt),
    // The briefing's "recently completed" list.
    index("ix_task_status_updated").on(t.status, t.updatedAt),
  ],
);

export const module = sqliteTable(
  "module",
  {
    id: text("id").primaryKey(),
    taskId: text("task_id").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("ix_module_task").on(t.taskId, t.createdAt)],
);

export const subTask = sqliteTable(
  "sub_task",
  {
    id: text("id").primaryKey(),
    taskId: text("task_id").notNull(),
    moduleId: text("module_id"),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    deliverable: text("deliverable").notNull().default(""),
    acceptance: text("acceptance").notNull().default(""),
    type: text("type").$type<TaskType>().notNull().default("once"),
    status: text("status").$type<SubTaskStatus>().notNull().default("pending"),
    priority: text("priority").$type<Priority>().notNull().default("medium"),
    assignedAgent: text("assigned_agent"),
    currentSessionId: text("current_session_id"),
    reworkCount: integer("rework_count").notNull().default(0),
    recurringConfig: text("recurring_config", { mode: "json" }),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    completedAt: text("completed_at"),
    // Added: when the sub-task last entered in_progress (drives timeout detection).
    startedAt: text("started_at"),
    // Added: a fresh random token written by every transition. The transition's update matches only
    // the revision it read, and every other write of its batch checks that the new token landed, so a
    // batch built on a stale snapshot writes nothing (the second guard behind the Durable Object).
    revision: text("revision").notNull().default(""),
    // Added: the round of a recurring task's schedule that created this sub-task (null: made by hand).
    roundId: text("round_id"),
  },
  (t) => [
    index("ix_sub_task_task_status").on(t.taskId, t.status),
    index("ix_sub_task_module").on(t.moduleId),
    index("ix_sub_task_agent_status").on(t.assignedAgent, t.status),
    // Serves the executor's queue (/available, briefing): pending, newest first, ties by id, so a page
    // walks the index in order and stops at the page instead of sorting the whole backlog.
    index("ix_sub_task_status_created_id").on(t.status, t.createdAt, t.id),
    index("ix_sub_task_created").on(t.createdAt),
    // Serves the reviewer's queue: review, oldest update first.
    index("ix_sub_task_status_updated").on(t.status, t.updatedAt),
    index("ix_sub_task_round").on(t.roundId, t.status).where(sql`round_id is not null`),
  ],
);

// Added: the history of every transition, written in the same batch as the transition itself.
export const subTaskEvent = sqliteTable(
  "sub_task_event",
  {
    id: text("id").primaryKey(),
    subTaskId: text("sub_task_id").notNull(),
    op: text("op").notNull(),
    fromStatus: text("from_status").$type<SubTaskStatus>(),
    toStatus: text("to_status").$type<SubTaskStatus>().notNull(),
    actorKind: text("actor_kind").$type<Actor["kind"]>().notNull(),
    actorId: text("actor_id"),
    detail: text("detail").notNull().default(""),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("ix_sub_task_event_sub_task").on(t.subTaskId, t.createdAt),
    index("ix_sub_task_event_actor").on(t.actorId),
  ],
);

export const rule = sqliteTable(
  "rule",
  {
    id: text("id").primaryKey(),
    scope: text("scope").$type<RuleScope>().notNull(),
    taskId: text("task_id"),
    subTaskId: text("sub_task_id"),
    content: text("content").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("ix_rule_scope_created").on(t.scope, t.createdAt),
    // task_id and scope: sub-task rules carry their task's id too, and a task's rules must not read them.
    index("ix_rule_task_scope").on(t.taskId, t.scope),
    index("ix_rule_sub_task").on(t.subTaskId),
    // At most one global rule, enforced by the database rather than a racy check.
    uniqueIndex("ux_rule_single_global").on(t.scope).where(sql`scope = 'global'`),
  ],
);

export const activityLog = sqliteTable(
  "activity_log",
  {
    id: text("id").primaryKey(),
    agentId: text("agent_id").notNull(),
    subTaskId: text("sub_task_id"),
    // Added: the task a log is about (set from its sub-task, or named alone, e.g. a task's closing delivery).
    taskId: text("task_id"),
    action: text("action").$type<ActivityAction>().notNull(),
    summary: text("summary").notNull().default(""),
    sessionId: text("session_id"),
    createdAt: text("created_at").notNull(),
    // Added: the retrospective a `retro` log answers.
    retrospectiveId: text("retrospective_id"),
  },
  (t) => [
    index("ix_activity_log_created").on(t.createdAt),
    index("ix_activity_log_agent_created").on(t.agentId, t.createdAt),
    // The briefing's "my last reflections", without walking the agent's whole journal.
    index("ix_activity_log_agent_action_created").on(t.agentId, t.action, t.createdAt),
    index("ix_activity_log_sub_task_created").on(t.subTaskId, t.createdAt),
    // "Has this task's closing delivery been written?" without walking its logs.
    index("ix_activity_log_task_action").on(t.taskId, t.action),
    index("ix_activity_log_retrospective").on(t.retrospectiveId).where(sql`retrospective_id is not null`),
  ],
);

export const reviewRecord = sqliteTable(
  "review_record",
  {
    id: text("id").primaryKey(),
    subTaskId: text("sub_task_id").notNull(),
    reviewerAgent: text("reviewer_agent").notNull(),
    round: integer("round").notNull(),
    result: text("result").$type<ReviewResult>().notNull(),
    // Null for records left by /complete and /rework, which decide without scoring.
    score: integer("score"),
    issues: text("issues").notNull().default(""),
    comment: text("comment").notNull().default(""),
    reworkAgent: text("rework_agent"),
    // Added: the executor whose work this record judged (its holder when reviewed), for retrospectives.
    executorAgent: text("executor_agent"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    // Rounds are 1..n per sub-task; a duplicate round cannot be stored.
    uniqueIndex("ux_review_record_round").on(t.subTaskId, t.round),
    index("ix_review_record_created").on(t.createdAt),
    index("ix_review_record_reviewer").on(t.reviewerAgent),
  ],
);

export const rewardLog = sqliteTable(
  "reward_log",
  {
    id: text("id").primaryKey(),
    agentId: text("agent_id").notNull(),
    subTaskId: text("sub_task_id"),
    reason: text("reason").notNull(),
    scoreDelta: integer("score_delta").notNull(),
    // Added: the agent that made a manual adjustment (null for reviews and admins), for its daily cap.
    actorAgentId: text("actor_agent_id"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("ix_reward_log_actor_created").on(t.actorAgentId, t.createdAt),
    index("ix_reward_log_agent_created").on(t.agentId, t.createdAt),
    index("ix_reward_log_created").on(t.createdAt),
    index("ix_reward_log_sub_task").on(t.subTaskId),
  ],
);

export const patrolRecord = sqliteTable(
  "patrol_record",
  {
    id: text("id").primaryKey(),
    type: text("type").$type<AnomalyType>().notNull(),
    severity: text("severity").$type<Severity>().notNull(),
    subTaskId: text("sub_task_id"),
    agentId: text("agent_id"),
    description: text("description").notNull(),
    actionTaken: text("action_taken").notNull().default(""),
    status: text("status").$type<PatrolRecordStatus>().notNull().default("open"),
    createdAt: text("created_at").notNull(),
    resolvedAt: text("resolved_at"),
    // Added: what the record is about (`sub_task:<id>` or `agent:<id>`); one open record per type and target.
    target: text("target").notNull().default(""),
    // Added: `cron` (server detection, resolved automatically) or `agent` (filed by a patrol agent).
    source: text("source").$type<PatrolSource>().notNull().default("cron"),
    lastSeenAt: text("last_seen_at").notNull().default(""),
    resolutionNote: text("resolution_note").notNull().default(""),
  },
  (t) => [
    index("ix_patrol_record_status_created").on(t.status, t.createdAt),
    index("ix_patrol_record_sub_task").on(t.subTaskId),
    uniqueIndex("ux_patrol_record_open").on(t.type, t.target).where(sql`status = 'open'`),
  ],
);

// Added: events waiting to be delivered to the notification channels, written in the same batch as
// the change that caused them.
export const notificationOutbox = sqliteTable(
  "notification_outbox",
  {
    id: text("id").primaryKey(),
    event: text("event").notNull(),
    payload: text("payload", { mode: "json" }).notNull(),
    createdAt: text("created_at").notNull(),
    // Set once the event has a delivery row for each channel that wants it.
    fannedOutAt: text("fanned_out_at"),
  },
  (t) => [index("ix_notification_outbox_pending").on(t.fannedOutAt, t.createdAt)],
);

// Added: one event to one channel, with its retry state.
export const notificationDelivery = sqliteTable(
  "notification_delivery",
  {
    id: text("id").primaryKey(),
    outboxId: text("outbox_id").notNull(),
    channelId: text("channel_id").notNull(),
    status: text("status").notNull().default("pending"), // pending | sent | gave_up
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at").notNull(),
    // A dispatcher holds the delivery until this time, so two never send it at once.
    leaseUntil: text("lease_until"),
    lastError: text("last_error"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("ux_notification_delivery").on(t.outboxId, t.channelId),
    index("ix_notification_delivery_due").on(t.status, t.nextAttemptAt),
  ],
);

// Added: every delivery attempt and how it went.
export const notificationAttempt = sqliteTable(
  "notification_attempt",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id").notNull(),
    attemptedAt: text("attempted_at").notNull(),
    ok: integer("ok", { mode: "boolean" }).notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("ix_notification_attempt_delivery").on(t.deliveryId, t.attemptedAt)],
);

export const requestLog = sqliteTable(
  "request_log",
  {
    id: text("id").primaryKey(),
    timestamp: text("timestamp").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    agentId: text("agent_id"),
    agentName: text("agent_name"),
    agentRole: text("agent_role").$type<Role>(),
    requestBody: text("request_body"),
    responseStatus: integer("response_status"),
  },
  (t) => [
    index("ix_request_log_timestamp").on(t.timestamp),
    index("ix_request_log_agent_timestamp").on(t.agentId, t.timestamp),
  ],
);

// Added: replaces upstream's config.yaml. One row per dotted key, the value as JSON.
export const setting = sqliteTable("setting", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: text("updated_at").notNull(),
});

// Added: admin sessions, by SHA-256 of the token, with an expiry.
export const adminSession = sqliteTable(
  "admin_session",
  {
    tokenHash: text("token_hash").primaryKey(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("ix_admin_session_expires").on(t.expiresAt)],
);

// Added: failed-attempt counters for login and registration throttling.
export const authThrottle = sqliteTable("auth_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: text("window_started_at").notNull(),
  lockedUntil: text("locked_until"),
});

// Added: every admin write, who/what/when, for accountability.
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: text("at").notNull(),
    action: text("action").notNull(), // e.g. task.create, sub_task.reassign, agent.reset_key
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    detail: text("detail", { mode: "json" }).notNull(),
    ip: text("ip"),
  },
  (t) => [index("ix_audit_log_at").on(t.at), index("ix_audit_log_target").on(t.targetType, t.targetId)],
);

// Added: role prompt templates (planner, executor, reviewer, patrol), editable by admins; stored in D1
// so edits survive deploys (upstream kept them as files that updates overwrote).
export const promptTemplate = sqliteTable("prompt_template", {
  role: text("role").$type<Role>().primaryKey(),
  content: text("content").notNull(),
  updatedAt: text("updated_at").notNull(),
});

// Added: agent prompts (a role template plus a specialisation), upstream's prompts/agents/*.md.
export const agentPrompt = sqliteTable(
  "agent_prompt",
  {
    slug: text("slug").primaryKey(),
    name: text("name").notNull(),
    role: text("role").$type<Role>().notNull(),
    description: text("description").notNull().default(""),
    content: text("content").notNull(),
    example: integer("example", { mode: "boolean" }).notNull().default(false),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("ix_agent_prompt_role").on(t.role)],
);

// Added: a sub-task is not claimable until every sub-task it depends on (same task) is done.
export const subTaskDependency = sqliteTable(
  "sub_task_dependency",
  {
    subTaskId: text("sub_task_id").notNull(),
    dependsOn: text("depends_on").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.subTaskId, t.dependsOn] }),
    index("ix_sub_task_dependency_depends_on").on(t.dependsOn),
  ],
);

// Added: the first response to a mutating agent call sent with an Idempotency-Key, replayed on retries.
export const idempotencyKey = sqliteTable(
  "idempotency_key",
  {
    agentId: text("agent_id").notNull(),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    /** SHA-256 of the request body: the same key with another body is refused, never replayed. */
    requestHash: text("request_hash"),
    /** Null while the first request is still running. */
    status: integer("status"),
    body: text("body"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.key] }), index("ix_idempotency_key_created").on(t.createdAt)],
);

// Added: admin-issued enrollment tokens. Each registers agents of one role, a limited number of
// times, until it expires or is revoked. Only SHA-256(token) is stored; the token is shown once.
export const enrollmentToken = sqliteTable(
  "enrollment_token",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, so an admin can tell tokens apart in a list. */
    prefix: text("prefix").notNull(),
    role: text("role").$type<Role>().notNull(),
    label: text("label").notNull().default(""),
    maxUses: integer("max_uses").notNull(),
    uses: integer("uses").notNull().default(0),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
    createdAt: text("created_at").notNull(),
    lastUsedAt: text("last_used_at"),
  },
  (t) => [
    uniqueIndex("ux_enrollment_token_hash").on(t.tokenHash),
    index("ix_enrollment_token_created").on(t.createdAt),
  ],
);

// Added: token buckets for rate limits (per agent on the API and MCP, per registration token).
// `tokens` is what was left at `updated_ms`; refills are computed on the next take.
export const rateBucket = sqliteTable("rate_bucket", {
  key: text("key").primaryKey(),
  tokens: real("tokens").notNull(),
  updatedMs: integer("updated_ms").notNull(),
});
