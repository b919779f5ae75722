CREATE TABLE `activity_log` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`sub_task_id` text,
	`action` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`session_id` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_activity_log_created` ON `activity_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `ix_activity_log_agent_created` ON `activity_log` (`agent_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ix_activity_log_sub_task_created` ON `activity_log` (`sub_task_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `admin_session` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_admin_session_expires` ON `admin_session` (`expires_at`);--> statement-breakpoint
CREATE TABLE `agent` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`api_key_hash` text NOT NULL,
	`total_score` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ux_agent_name` ON `agent` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `ux_agent_api_key_hash` ON `agent` (`api_key_hash`);--> statement-breakpoint
CREATE INDEX `ix_agent_role` ON `agent` (`role`);--> statement-breakpoint
CREATE INDEX `ix_agent_score` ON `agent` (`total_score`);--> statement-breakpoint
CREATE TABLE `auth_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`window_started_at` text NOT NULL,
	`locked_until` text
);
--> statement-breakpoint
CREATE TABLE `module` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_module_task` ON `module` (`task_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `patrol_record` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`severity` text NOT NULL,
	`sub_task_id` text,
	`agent_id` text,
	`description` text NOT NULL,
	`action_taken` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` text NOT NULL,
	`resolved_at` text
);
--> statement-breakpoint
CREATE INDEX `ix_patrol_record_status` ON `patrol_record` (`status`);--> statement-breakpoint
CREATE INDEX `ix_patrol_record_sub_task` ON `patrol_record` (`sub_task_id`);--> statement-breakpoint
CREATE TABLE `request_log` (
	`id` text PRIMARY KEY NOT NULL,
	`timestamp` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`agent_id` text,
	`agent_name` text,
	`agent_role` text,
	`request_body` text,
	`response_status` integer
);
--> statement-breakpoint
CREATE INDEX `ix_request_log_timestamp` ON `request_log` (`timestamp`);--> statement-breakpoint
CREATE INDEX `ix_request_log_agent_timestamp` ON `request_log` (`agent_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `review_record` (
	`id` text PRIMARY KEY NOT NULL,
	`sub_task_id` text NOT NULL,
	`reviewer_agent` text NOT NULL,
	`round` integer NOT NULL,
	`result` text NOT NULL,
	`score` integer,
	`issues` text DEFAULT '' NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`rework_agent` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ux_review_record_round` ON `review_record` (`sub_task_id`,`round`);--> statement-breakpoint
CREATE INDEX `ix_review_record_created` ON `review_record` (`created_at`);--> statement-breakpoint
CREATE INDEX `ix_review_record_reviewer` ON `review_record` (`reviewer_agent`);--> statement-breakpoint
CREATE TABLE `reward_log` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`sub_task_id` text,
	`reason` text NOT NULL,
	`score_delta` integer NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_reward_log_agent_created` ON `reward_log` (`agent_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ix_reward_log_created` ON `reward_log` (`created_at`);--> statement-breakpoint
CREATE TABLE `rule` (
	`id` text PRIMARY KEY NOT NULL,
	`scope` text NOT NULL,
	`task_id` text,
	`sub_task_id` text,
	`content` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_rule_scope_created` ON `rule` (`scope`,`created_at`);--> statement-breakpoint
CREATE INDEX `ix_rule_task` ON `rule` (`task_id`);--> statement-breakpoint
CREATE INDEX `ix_rule_sub_task` ON `rule` (`sub_task_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `ux_rule_single_global` ON `rule` (`scope`) WHERE scope = 'global';--> statement-breakpoint
CREATE TABLE `setting` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sub_task` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`module_id` text,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`deliverable` text DEFAULT '' NOT NULL,
	`acceptance` text DEFAULT '' NOT NULL,
	`type` text DEFAULT 'once' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`priority` text DEFAULT 'medium' NOT NULL,
	`assigned_agent` text,
	`current_session_id` text,
	`rework_count` integer DEFAULT 0 NOT NULL,
	`recurring_config` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`completed_at` text,
	`revision` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_sub_task_task_status` ON `sub_task` (`task_id`,`status`);--> statement-breakpoint
CREATE INDEX `ix_sub_task_module` ON `sub_task` (`module_id`);--> statement-breakpoint
CREATE INDEX `ix_sub_task_agent_status` ON `sub_task` (`assigned_agent`,`status`);--> statement-breakpoint
CREATE INDEX `ix_sub_task_status_created` ON `sub_task` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `ix_sub_task_created` ON `sub_task` (`created_at`);--> statement-breakpoint
CREATE TABLE `sub_task_event` (
	`id` text PRIMARY KEY NOT NULL,
	`sub_task_id` text NOT NULL,
	`op` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor_kind` text NOT NULL,
	`actor_id` text,
	`detail` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_sub_task_event_sub_task` ON `sub_task_event` (`sub_task_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ix_sub_task_event_actor` ON `sub_task_event` (`actor_id`);--> statement-breakpoint
CREATE TABLE `task` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`type` text DEFAULT 'once' NOT NULL,
	`status` text DEFAULT 'planning' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_task_status_created` ON `task` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `ix_task_created` ON `task` (`created_at`);