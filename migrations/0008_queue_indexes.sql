DROP INDEX `ix_sub_task_status_created`;--> statement-breakpoint
CREATE INDEX `ix_sub_task_status_created_id` ON `sub_task` (`status`,`created_at`,`id`);