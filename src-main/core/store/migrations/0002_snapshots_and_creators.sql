CREATE TABLE `dependency_snapshots` (
	`key` text PRIMARY KEY NOT NULL,
	`template_id` text NOT NULL,
	`image_tag` text NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` text NOT NULL,
	`used_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `workspaces` ADD `manifest` text;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `creator` text;