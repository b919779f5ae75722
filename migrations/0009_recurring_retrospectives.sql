CREATE TABLE `task_round` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`round_no` integer,
	`round_key` text NOT NULL,
	`scheduled_for` text NOT NULL,
	`status` text NOT NULL,
	`skip_reason` text,
	`missed` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`completed_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ux_task_round_key` ON `task_round` (`task_id`,`round_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `ux_task_round_no` ON `task_round` (`task_id`,`round_no`);--> statement-breakpoint
CREATE INDEX `ix_task_round_task_status` ON `task_round` (`task_id`,`status`,`scheduled_for`);--> statement-breakpoint
CREATE TABLE `task_schedule` (
	`task_id` text PRIMARY KEY NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`config` text NOT NULL,
	`next_run_at` text,
	`rounds_created` integer DEFAULT 0 NOT NULL,
	`last_round_at` text,
	`ended_reason` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_task_schedule_due` ON `task_schedule` (`next_run_at`) WHERE status = 'active';--> statement-breakpoint
CREATE TABLE `retrospective` (
	`id` text PRIMARY KEY NOT NULL,
	`period_key` text NOT NULL,
	`period_kind` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`time_zone` text NOT NULL,
	`scope` text NOT NULL,
	`agent_id` text,
	`scope_key` text NOT NULL,
	`trigger` text NOT NULL,
	`partial` integer DEFAULT false NOT NULL,
	`language` text NOT NULL,
	`body` text NOT NULL,
	`text` text NOT NULL,
	`generated_at` text NOT NULL,
	`generated_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ux_retrospective_period` ON `retrospective` (`period_key`,`scope_key`);--> statement-breakpoint
CREATE INDEX `ix_retrospective_scope_kind_start` ON `retrospective` (`scope`,`period_kind`,`period_start`);--> statement-breakpoint
CREATE INDEX `ix_retrospective_agent_start` ON `retrospective` (`agent_id`,`period_start`);--> statement-breakpoint
ALTER TABLE `activity_log` ADD `retrospective_id` text;--> statement-breakpoint
CREATE INDEX `ix_activity_log_retrospective` ON `activity_log` (`retrospective_id`) WHERE retrospective_id is not null;--> statement-breakpoint
ALTER TABLE `agent` ADD `pending_retro_id` text;--> statement-breakpoint
ALTER TABLE `review_record` ADD `executor_agent` text;--> statement-breakpoint
ALTER TABLE `sub_task` ADD `round_id` text;--> statement-breakpoint
CREATE INDEX `ix_sub_task_round` ON `sub_task` (`round_id`,`status`) WHERE round_id is not null;--> statement-breakpoint
-- Reviews from before this migration: the executor is whoever last submitted the sub-task before the review.
UPDATE `review_record` SET `executor_agent` = (SELECT e.`actor_id` FROM `sub_task_event` e WHERE e.`sub_task_id` = `review_record`.`sub_task_id` AND e.`op` = 'submit' AND e.`created_at` <= `review_record`.`created_at` ORDER BY e.`created_at` DESC, e.`rowid` DESC LIMIT 1);
