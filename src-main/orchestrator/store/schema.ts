import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { bigserial, boolean, check, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'

/**
 * The orchestrator's PostgreSQL schema: the same tables in a PostgreSQL server and in PGlite. Every row names the
 * host it came from (from the sender's token), its workspace and its container; a record's key is
 * (host, container, boot, seq), so a batch sent twice is stored once.
 */

/**
 * The words of a log line for PostgreSQL's full-text search. 'simple' neither stems nor drops stop words, which
 * suits log text; paths, URLs and key=value pairs are split first (the parser would keep `/api/items` as one
 * token, so `items` would not find it). Queries use the same expression, so the GIN index serves them.
 */
export function logWords(line: SQLWrapper): SQL {
  return sql`to_tsvector('simple', translate(${line}, '/.:=', '    '))`
}

export function logQuery(search: string): SQL {
  return sql`websearch_to_tsquery('simple', translate(${search}, '/.:=', '    '))`
}

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string', precision: 3 })

/** Who may talk to the orchestrator: desktops (role host) and people reading (reader, admin). */
export const hosts = pgTable(
  'hosts',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull().unique(),
    /** SHA-256 of the token, hex: the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    role: text('role').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
    lastContactAt: ts('last_contact_at'),
    /** The newest record time this host has sent. */
    lastRecordTs: ts('last_record_ts'),
    /**
     * The sync delay of the host's last batch that brought new records: for each record newly stored, the time from
     * its own timestamp to its arrival here (p50 and max, in ms), how many records that was, and when it arrived.
     */
    delayP50Ms: integer('delay_p50_ms'),
    delayMaxMs: integer('delay_max_ms'),
    delayRecords: integer('delay_records'),
    delayAt: ts('delay_at'),
    /** The desktop's hostname and version as it last said them (informational). */
    agent: text('agent')
  },
  (t) => [check('hosts_role', sql`${t.role} in ('admin', 'reader', 'host')`)]
)

/** Each host's workspaces as it last reported them. */
export const workspaces = pgTable(
  'workspaces',
  {
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id),
    name: text('name').notNull(),
    template: text('template').notNull(),
    state: text('state').notNull(),
    container: text('container'),
    createdAt: text('created_at').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow()
  },
  (t) => [primaryKey({ columns: [t.hostId, t.name] })]
)

const recordColumns = () => ({
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hostId: integer('host_id')
    .notNull()
    .references(() => hosts.id),
  workspace: text('workspace').notNull(),
  container: text('container').notNull(),
  boot: text('boot').notNull(),
  seq: integer('seq').notNull(),
  ts: ts('ts').notNull()
})

export const logLines = pgTable(
  'log_lines',
  {
    ...recordColumns(),
    stream: text('stream').notNull(),
    line: text('line').notNull(),
    run: integer('run').notNull(),
    truncated: boolean('truncated').notNull()
  },
  (t) => [
    uniqueIndex('log_lines_key').on(t.hostId, t.container, t.boot, t.seq),
    index('log_lines_ts').on(t.ts),
    index('log_lines_fts').using('gin', logWords(t.line))
  ]
)

export const events = pgTable(
  'events',
  {
    ...recordColumns(),
    event: text('event').notNull(),
    summary: text('summary').notNull(),
    state: text('state'),
    fromState: text('from_state'),
    run: integer('run'),
    exitCode: integer('exit_code'),
    signal: text('signal'),
    delayMs: integer('delay_ms'),
    attempt: integer('attempt'),
    missed: integer('missed'),
    detail: text('detail')
  },
  (t) => [uniqueIndex('events_key').on(t.hostId, t.container, t.boot, t.seq), index('events_ts').on(t.ts)]
)

/** Every occurrence of an error; grouped by fingerprint across hosts when read. */
export const errorOccurrences = pgTable(
  'error_occurrences',
  {
    ...recordColumns(),
    fingerprint: text('fingerprint').notNull(),
    category: text('category').notNull(),
    severity: text('severity').notNull(),
    message: text('message').notNull(),
    file: text('file'),
    line: integer('line'),
    column: integer('column'),
    stack: text('stack')
  },
  (t) => [uniqueIndex('error_occurrences_key').on(t.hostId, t.container, t.boot, t.seq), index('error_occurrences_fingerprint').on(t.fingerprint, t.ts)]
)

/**
 * Records a desktop will never send, as it reported them: gaps the fleet can see. Log lines its bounded outbox skipped
 * or retention deleted unsent; timeline entries (events) and error occurrences (errors) retention deleted unsent.
 */
export const drops = pgTable(
  'drops',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id),
    workspace: text('workspace').notNull(),
    lines: integer('lines').notNull(),
    events: integer('events').notNull().default(0),
    errors: integer('errors').notNull().default(0),
    fromTs: ts('from_ts').notNull(),
    toTs: ts('to_ts').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow()
  },
  (t) => [uniqueIndex('drops_key').on(t.hostId, t.workspace, t.fromTs, t.toTs)]
)
