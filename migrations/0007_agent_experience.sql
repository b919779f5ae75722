ALTER TABLE `activity_log` ADD `task_id` text;--> statement-breakpoint
-- Existing logs about a sub-task are about its task too.
UPDATE `activity_log` SET `task_id` = (SELECT `task_id` FROM `sub_task` WHERE `sub_task`.`id` = `activity_log`.`sub_task_id`) WHERE `sub_task_id` IS NOT NULL;--> statement-breakpoint
CREATE INDEX `ix_activity_log_task_action` ON `activity_log` (`task_id`,`action`);--> statement-breakpoint
ALTER TABLE `agent` ADD `rules_revision` text;--> statement-breakpoint
ALTER TABLE `task` ADD `workspace` text DEFAULT '' NOT NULL;