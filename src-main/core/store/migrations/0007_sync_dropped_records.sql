ALTER TABLE `sync_drops` ADD `events` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_drops` ADD `errors` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `dropped_events` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `dropped_errors` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Unsent timeline entries and error occurrences that retention (or `rm --purge`) deletes are counted as dropped per
-- workspace, as unsent log lines are (0005): the next batch reports them as a gap, so the orchestrator knows what it
-- will never get. Retention still deletes them: it is the user's bound on disk and on what is kept, and sync may be
-- off or its orchestrator gone for good.
CREATE TRIGGER `sync_history_events_dropped` AFTER DELETE ON `history_events`
WHEN old.`id` > (SELECT `event_id` FROM `sync_state` WHERE `id` = 1) BEGIN
	INSERT INTO `sync_drops` (`workspace`, `lines`, `events`, `from_ts`, `to_ts`) VALUES (old.`workspace`, 0, 1, old.`ts`, old.`ts`)
		ON CONFLICT (`workspace`) DO UPDATE SET `events` = `events` + 1, `from_ts` = min(`from_ts`, excluded.`from_ts`), `to_ts` = max(`to_ts`, excluded.`to_ts`);
	UPDATE `sync_state` SET `dropped_events` = `dropped_events` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `sync_error_occurrences_dropped` AFTER DELETE ON `error_occurrences`
WHEN old.`id` > (SELECT `error_id` FROM `sync_state` WHERE `id` = 1) BEGIN
	INSERT INTO `sync_drops` (`workspace`, `lines`, `errors`, `from_ts`, `to_ts`) VALUES (old.`workspace`, 0, 1, old.`ts`, old.`ts`)
		ON CONFLICT (`workspace`) DO UPDATE SET `errors` = `errors` + 1, `from_ts` = min(`from_ts`, excluded.`from_ts`), `to_ts` = max(`to_ts`, excluded.`to_ts`);
	UPDATE `sync_state` SET `dropped_errors` = `dropped_errors` + 1 WHERE `id` = 1;
END;
