CREATE TABLE `pool_containers` (
	`container_id` text PRIMARY KEY NOT NULL,
	`image_tag` text NOT NULL,
	`preview_port` integer,
	`created_at` text NOT NULL,
	`claimed_by` text,
	`claimed_at` text
);
--> statement-breakpoint
CREATE TABLE `workspaces` (
	`name` text PRIMARY KEY NOT NULL,
	`template_id` text NOT NULL,
	`container_id` text NOT NULL,
	`preview_port` integer,
	`status` text NOT NULL,
	`phase` text NOT NULL,
	`error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_container_id_unique` ON `workspaces` (`container_id`);