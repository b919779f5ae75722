CREATE TABLE `enrollment_token` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`role` text NOT NULL,
	`label` text DEFAULT '' NOT NULL,
	`max_uses` integer NOT NULL,
	`uses` integer DEFAULT 0 NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	`created_at` text NOT NULL,
	`last_used_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ux_enrollment_token_hash` ON `enrollment_token` (`token_hash`);--> statement-breakpoint
CREATE INDEX `ix_enrollment_token_created` ON `enrollment_token` (`created_at`);--> statement-breakpoint
CREATE TABLE `rate_bucket` (
	`key` text PRIMARY KEY NOT NULL,
	`tokens` real NOT NULL,
	`updated_ms` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `agent` ADD `name_key` text;--> statement-breakpoint
-- Existing agents: the ASCII case-folded name (new names are NFKC-normalized in code); where two old names
-- fold to the same key, the older agent keeps it and the other stays without one.
UPDATE `agent` SET `name_key` = lower(`name`) WHERE `rowid` IN (SELECT min(`rowid`) FROM `agent` GROUP BY lower(`name`));--> statement-breakpoint
CREATE UNIQUE INDEX `ux_agent_name_key` ON `agent` (`name_key`);--> statement-breakpoint
ALTER TABLE `idempotency_key` ADD `request_hash` text;--> statement-breakpoint
ALTER TABLE `reward_log` ADD `actor_agent_id` text;--> statement-breakpoint
CREATE INDEX `ix_reward_log_actor_created` ON `reward_log` (`actor_agent_id`,`created_at`);