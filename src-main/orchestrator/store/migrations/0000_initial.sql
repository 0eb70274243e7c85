CREATE TABLE "drops" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"host_id" integer NOT NULL,
	"workspace" text NOT NULL,
	"lines" integer NOT NULL,
	"from_ts" timestamp(3) with time zone NOT NULL,
	"to_ts" timestamp(3) with time zone NOT NULL,
	"received_at" timestamp(3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "error_occurrences" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"host_id" integer NOT NULL,
	"workspace" text NOT NULL,
	"container" text NOT NULL,
	"boot" text NOT NULL,
	"seq" integer NOT NULL,
	"ts" timestamp(3) with time zone NOT NULL,
	"fingerprint" text NOT NULL,
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"message" text NOT NULL,
	"file" text,
	"line" integer,
	"column" integer,
	"stack" text
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"host_id" integer NOT NULL,
	"workspace" text NOT NULL,
	"container" text NOT NULL,
	"boot" text NOT NULL,
	"seq" integer NOT NULL,
	"ts" timestamp(3) with time zone NOT NULL,
	"event" text NOT NULL,
	"summary" text NOT NULL,
	"state" text,
	"from_state" text,
	"run" integer,
	"exit_code" integer,
	"signal" text,
	"delay_ms" integer,
	"attempt" integer,
	"missed" integer,
	"detail" text
);
--> statement-breakpoint
CREATE TABLE "hosts" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp(3) with time zone,
	"last_contact_at" timestamp(3) with time zone,
	"last_record_ts" timestamp(3) with time zone,
	"last_lag_ms" integer,
	"agent" text,
	CONSTRAINT "hosts_name_unique" UNIQUE("name"),
	CONSTRAINT "hosts_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "hosts_role" CHECK ("hosts"."role" in ('admin', 'reader', 'host'))
);
--> statement-breakpoint
CREATE TABLE "log_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"host_id" integer NOT NULL,
	"workspace" text NOT NULL,
	"container" text NOT NULL,
	"boot" text NOT NULL,
	"seq" integer NOT NULL,
	"ts" timestamp(3) with time zone NOT NULL,
	"stream" text NOT NULL,
	"line" text NOT NULL,
	"run" integer NOT NULL,
	"truncated" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"host_id" integer NOT NULL,
	"name" text NOT NULL,
	"template" text NOT NULL,
	"state" text NOT NULL,
	"container" text,
	"created_at" text NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_host_id_name_pk" PRIMARY KEY("host_id","name")
);
--> statement-breakpoint
ALTER TABLE "drops" ADD CONSTRAINT "drops_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "error_occurrences" ADD CONSTRAINT "error_occurrences_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_lines" ADD CONSTRAINT "log_lines_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "drops_key" ON "drops" USING btree ("host_id","workspace","from_ts","to_ts");--> statement-breakpoint
CREATE UNIQUE INDEX "error_occurrences_key" ON "error_occurrences" USING btree ("host_id","container","boot","seq");--> statement-breakpoint
CREATE INDEX "error_occurrences_fingerprint" ON "error_occurrences" USING btree ("fingerprint","ts");--> statement-breakpoint
CREATE UNIQUE INDEX "events_key" ON "events" USING btree ("host_id","container","boot","seq");--> statement-breakpoint
CREATE INDEX "events_ts" ON "events" USING btree ("ts");--> statement-breakpoint
CREATE UNIQUE INDEX "log_lines_key" ON "log_lines" USING btree ("host_id","container","boot","seq");--> statement-breakpoint
CREATE INDEX "log_lines_ts" ON "log_lines" USING btree ("ts");--> statement-breakpoint
CREATE INDEX "log_lines_fts" ON "log_lines" USING gin (to_tsvector('simple', translate("line", '/.:=', '    ')));