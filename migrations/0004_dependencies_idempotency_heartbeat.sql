CREATE TABLE `idempotency_key` (
	`agent_id` text NOT NULL,
	`key` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`status` integer,
	`body` text,
	`created_at` text NOT NULL,
	PRIMARY KEY(`agent_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `ix_idempotency_key_created` ON `idempotency_key` (`created_at`);--> statement-breakpoint
CREATE TABLE `sub_task_dependency` (
	`sub_task_id` text NOT NULL,
	`depends_on` text NOT NULL,
	PRIMARY KEY(`sub_task_id`, `depends_on`)
);
--> statement-breakpoint
CREATE INDEX `ix_sub_task_dependency_depends_on` ON `sub_task_dependency` (`depends_on`);--> statement-breakpoint
ALTER TABLE `agent` ADD `last_heartbeat_at` text;--> statement-breakpoint
ALTER TABLE `agent` ADD `last_heartbeat_ip` text;