CREATE TABLE `error_groups` (
	`workspace` text NOT NULL,
	`fingerprint` text NOT NULL,
	`container` text NOT NULL,
	`category` text NOT NULL,
	`severity` text NOT NULL,
	`message` text NOT NULL,
	`file` text,
	`line` integer,
	`column` integer,
	`stack` text,
	`count` integer NOT NULL,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`last_boot` text NOT NULL,
	`last_seq` integer NOT NULL,
	`unread` integer DEFAULT true NOT NULL,
	PRIMARY KEY(`workspace`, `fingerprint`)
);
--> statement-breakpoint
CREATE INDEX `error_groups_last_seen` ON `error_groups` (`last_seen`);--> statement-breakpoint
CREATE TABLE `error_occurrences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`container` text NOT NULL,
	`boot` text NOT NULL,
	`seq` integer NOT NULL,
	`ts` integer NOT NULL,
	`fingerprint` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `error_occurrences_record` ON `error_occurrences` (`container`,`boot`,`seq`);--> statement-breakpoint
CREATE INDEX `error_occurrences_ts` ON `error_occurrences` (`ts`);--> statement-breakpoint
CREATE TABLE `history_cursors` (
	`container` text PRIMARY KEY NOT NULL,
	`workspace` text NOT NULL,
	`boot` text NOT NULL,
	`seq` integer NOT NULL,
	`docker_time` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `history_cursors_workspace` ON `history_cursors` (`workspace`);--> statement-breakpoint
CREATE TABLE `history_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`container` text NOT NULL,
	`boot` text NOT NULL,
	`seq` integer NOT NULL,
	`ts` integer NOT NULL,
	`kind` text NOT NULL,
	`state` text,
	`from_state` text,
	`run` integer,
	`exit_code` integer,
	`signal` text,
	`delay_ms` integer,
	`attempt` integer,
	`missed` integer,
	`summary` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `history_events_record` ON `history_events` (`container`,`boot`,`seq`);--> statement-breakpoint
CREATE INDEX `history_events_workspace` ON `history_events` (`workspace`,`id`);--> statement-breakpoint
CREATE INDEX `history_events_ts` ON `history_events` (`ts`);--> statement-breakpoint
CREATE TABLE `log_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace` text NOT NULL,
	`container` text NOT NULL,
	`boot` text NOT NULL,
	`seq` integer NOT NULL,
	`ts` integer NOT NULL,
	`stream` text NOT NULL,
	`line` text NOT NULL,
	`run` integer NOT NULL,
	`truncated` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `log_lines_record` ON `log_lines` (`container`,`boot`,`seq`);--> statement-breakpoint
CREATE INDEX `log_lines_workspace` ON `log_lines` (`workspace`,`id`);--> statement-breakpoint
CREATE INDEX `log_lines_workspace_ts` ON `log_lines` (`workspace`,`ts`);--> statement-breakpoint
-- Full-text index over log_lines.line. Contentless (the text lives once, in log_lines) rather than external
-- content: the ingest inserts each line with its ANSI escapes removed (SQL cannot), so a coloured
-- "\x1b[31mError" is found as "Error"; contentless_delete lets the trigger below keep deletes in step.
CREATE VIRTUAL TABLE `log_lines_fts` USING fts5(`line`, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `log_lines_fts_delete` AFTER DELETE ON `log_lines` BEGIN
	DELETE FROM `log_lines_fts` WHERE rowid = old.`id`;
END;
