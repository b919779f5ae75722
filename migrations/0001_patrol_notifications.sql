CREATE TABLE `notification_attempt` (
	`id` text PRIMARY KEY NOT NULL,
	`delivery_id` text NOT NULL,
	`attempted_at` text NOT NULL,
	`ok` integer NOT NULL,
	`status_code` integer,
	`error` text,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ix_notification_attempt_delivery` ON `notification_attempt` (`delivery_id`,`attempted_at`);--> statement-breakpoint
CREATE TABLE `notification_delivery` (
	`id` text PRIMARY KEY NOT NULL,
	`outbox_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`lease_until` text,
	`last_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ux_notification_delivery` ON `notification_delivery` (`outbox_id`,`channel_id`);--> statement-breakpoint
CREATE INDEX `ix_notification_delivery_due` ON `notification_delivery` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `notification_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`event` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` text NOT NULL,
	`fanned_out_at` text
);
--> statement-breakpoint
CREATE INDEX `ix_notification_outbox_pending` ON `notification_outbox` (`fanned_out_at`,`created_at`);--> statement-breakpoint
DROP INDEX `ix_patrol_record_status`;--> statement-breakpoint
ALTER TABLE `patrol_record` ADD `target` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `patrol_record` ADD `source` text DEFAULT 'cron' NOT NULL;--> statement-breakpoint
ALTER TABLE `patrol_record` ADD `last_seen_at` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `patrol_record` ADD `resolution_note` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `ix_patrol_record_status_created` ON `patrol_record` (`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `ux_patrol_record_open` ON `patrol_record` (`type`,`target`) WHERE status = 'open';--> statement-breakpoint
ALTER TABLE `sub_task` ADD `started_at` text;--> statement-breakpoint
CREATE INDEX `ix_sub_task_status_updated` ON `sub_task` (`status`,`updated_at`);