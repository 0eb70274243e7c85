ALTER TABLE "hosts" ADD COLUMN "delay_p50_ms" integer;--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "delay_max_ms" integer;--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "delay_records" integer;--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "delay_at" timestamp(3) with time zone;--> statement-breakpoint
ALTER TABLE "hosts" DROP COLUMN "last_lag_ms";