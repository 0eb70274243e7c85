ALTER TABLE "drops" ADD COLUMN "events" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "drops" ADD COLUMN "errors" integer DEFAULT 0 NOT NULL;