DROP INDEX `ix_rule_task`;--> statement-breakpoint
CREATE INDEX `ix_rule_task_scope` ON `rule` (`task_id`,`scope`);--> statement-breakpoint
CREATE INDEX `ix_activity_log_agent_action_created` ON `activity_log` (`agent_id`,`action`,`created_at`);--> statement-breakpoint
CREATE INDEX `ix_task_status_updated` ON `task` (`status`,`updated_at`);