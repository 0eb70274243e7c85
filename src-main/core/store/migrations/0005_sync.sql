CREATE TABLE `sync_drops` (
	`workspace` text PRIMARY KEY NOT NULL,
	`lines` integer NOT NULL,
	`from_ts` integer NOT NULL,
	`to_ts` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`log_id` integer DEFAULT 0 NOT NULL,
	`event_id` integer DEFAULT 0 NOT NULL,
	`error_id` integer DEFAULT 0 NOT NULL,
	`last_ack_at` integer,
	`workspaces_hash` text,
	`dropped_lines` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sender` text,
	`lease_until` integer
);
--> statement-breakpoint
-- Unsent log lines that retention (or `rm --purge`) deletes are counted as dropped, per workspace, so the
-- orchestrator hears of the gap. Only while a sync state row exists; one cheap lookup per deleted line.
CREATE TRIGGER `sync_log_lines_dropped` AFTER DELETE ON `log_lines`
WHEN old.`id` > (SELECT `log_id` FROM `sync_state` WHERE `id` = 1) BEGIN
	INSERT INTO `sync_drops` (`workspace`, `lines`, `from_ts`, `to_ts`) VALUES (old.`workspace`, 1, old.`ts`, old.`ts`)
		ON CONFLICT (`workspace`) DO UPDATE SET `lines` = `lines` + 1, `from_ts` = min(`from_ts`, excluded.`from_ts`), `to_ts` = max(`to_ts`, excluded.`to_ts`);
	UPDATE `sync_state` SET `dropped_lines` = `dropped_lines` + 1 WHERE `id` = 1;
END;
