CREATE TABLE `file_deletion` (
	`r2_key` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `file_usage` (
	`id` integer PRIMARY KEY NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`files` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sub_task_file` (
	`id` text PRIMARY KEY NOT NULL,
	`sub_task_id` text NOT NULL,
	`task_id` text NOT NULL,
	`version` integer NOT NULL,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text,
	`r2_key` text NOT NULL,
	`state` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`created_at` text NOT NULL,
	`stored_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ux_sub_task_file_name` ON `sub_task_file` (`sub_task_id`,`version`,`name`);--> statement-breakpoint
CREATE INDEX `ix_sub_task_file_task` ON `sub_task_file` (`task_id`);--> statement-breakpoint
CREATE INDEX `ix_sub_task_file_uploading` ON `sub_task_file` (`created_at`) WHERE state = 'uploading';--> statement-breakpoint
CREATE TABLE `search_entry` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`source_id` text NOT NULL,
	`task_id` text,
	`sub_task_id` text,
	`agent_id` text,
	`tag` text,
	`text` text NOT NULL,
	`created_at` text NOT NULL,
	`indexed` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ux_search_entry_source` ON `search_entry` (`kind`,`source_id`);--> statement-breakpoint
CREATE INDEX `ix_search_entry_task` ON `search_entry` (`task_id`);--> statement-breakpoint
CREATE INDEX `ix_search_entry_sub_task` ON `search_entry` (`sub_task_id`);--> statement-breakpoint
CREATE INDEX `ix_search_entry_unindexed` ON `search_entry` (`id`) WHERE indexed = 0;--> statement-breakpoint
INSERT INTO `file_usage` (`id`, `bytes`, `files`) VALUES (1, 0, 0);--> statement-breakpoint
-- The search index (not in drizzle's schema: it has no virtual tables). Contentless: search_entry keeps
-- the text, this table only its tokens (domain/search-text.ts), under the entry's id as rowid.
CREATE VIRTUAL TABLE `search_fts` USING fts5(`body`, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');--> statement-breakpoint
-- What existed before this migration is queued for the index (indexed = 0): the cron tokenizes it into
-- search_fts a slice at a time (worker/patrol/search-backfill.ts). Texts compose as db/search-index.ts does.
INSERT INTO `search_entry` (`kind`, `source_id`, `task_id`, `sub_task_id`, `agent_id`, `tag`, `text`, `created_at`, `indexed`)
SELECT `action`, `id`, `task_id`, `sub_task_id`, `agent_id`, NULL, `summary`, `created_at`, 0 FROM `activity_log`
WHERE `action` IN ('reflection', 'delivery', 'blocked', 'plan', 'retro') AND `summary` <> '' ORDER BY `created_at`, `id`;--> statement-breakpoint
INSERT INTO `search_entry` (`kind`, `source_id`, `task_id`, `sub_task_id`, `agent_id`, `tag`, `text`, `created_at`, `indexed`)
SELECT 'review', r.`id`, s.`task_id`, r.`sub_task_id`, r.`reviewer_agent`, r.`result`, r.`issues` || char(10) || r.`comment`, r.`created_at`, 0
FROM `review_record` r LEFT JOIN `sub_task` s ON s.`id` = r.`sub_task_id`
WHERE r.`issues` <> '' OR r.`comment` <> '' ORDER BY r.`created_at`, r.`id`;--> statement-breakpoint
INSERT INTO `search_entry` (`kind`, `source_id`, `task_id`, `sub_task_id`, `agent_id`, `tag`, `text`, `created_at`, `indexed`)
SELECT 'rule', `id`, `task_id`, `sub_task_id`, NULL, `scope`, `content`, `created_at`, 0 FROM `rule`
WHERE `content` <> '' ORDER BY `created_at`, `id`;--> statement-breakpoint
INSERT INTO `search_entry` (`kind`, `source_id`, `task_id`, `sub_task_id`, `agent_id`, `tag`, `text`, `created_at`, `indexed`)
SELECT 'sub_task', `id`, `task_id`, `id`, NULL, NULL, `name` || char(10) || `description` || char(10) || `deliverable` || char(10) || `acceptance`, `created_at`, 0
FROM `sub_task` ORDER BY `created_at`, `id`;
