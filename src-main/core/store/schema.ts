import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/** Small facts about this data folder, such as its instance id. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull()
})

/**
 * Workspaces: the user's named environments. Docker labels are fixed at container create time, so a pooled
 * container's assignment lives here (and in its name, by rename), not in its labels.
 */
export const workspaces = sqliteTable('workspaces', {
  name: text('name').primaryKey(),
  templateId: text('template_id').notNull(),
  containerId: text('container_id').notNull().unique(),
  /** The preview port on 127.0.0.1, published at create time. */
  previewPort: integer('preview_port'),
  /** creating | ready | failed: the create flow's outcome; running or stopped is read from the engine. */
  status: text('status').notNull(),
  /** The last create phase reached: claim | inject | install | start | ready. */
  phase: text('phase').notNull(),
  /** What went wrong, as contract error info (JSON), when status is failed. */
  error: text('error'),
  /** The run settings it was made with (template manifest, JSON): `save` carries them even if the template is gone. */
  manifest: text('manifest'),
  /** While creating: `<host>:<pid>` of the process doing it, so a create cut short by a crash is recognised. */
  creator: text('creator'),
  /** Its own idle stop in minutes, given at create or changed by `workspaces.update` (0: never); null: the `workspaces.idleStopMinutes` setting. */
  idleStopMinutes: integer('idle_stop_minutes'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull()
})

/**
 * Slots under the `workspaces.maxRunning` cap. A create or start counts what runs or is starting and takes its
 * slot in one IMMEDIATE transaction (two processes cannot both take the last one), then settles it once its
 * container runs or it failed: a settled slot still counts for a check whose look at the engine began before.
 */
export const runClaims = sqliteTable('run_claims', {
  workspace: text('workspace').primaryKey(),
  /** `<host>:<pid>` of the process starting it; null once settled. A dead claimant's slot is free. */
  claimant: text('claimant'),
  /** When it was claimed, or settled (ISO). */
  at: text('at').notNull()
})

/** Warm, started, template-agnostic containers; a claim is one conditional UPDATE, safe across processes. */
export const poolContainers = sqliteTable('pool_containers', {
  containerId: text('container_id').primaryKey(),
  imageTag: text('image_tag').notNull(),
  previewPort: integer('preview_port'),
  createdAt: text('created_at').notNull(),
  /** The workspace that claimed it; null while it waits in the pool. */
  claimedBy: text('claimed_by'),
  claimedAt: text('claimed_at')
})

/**
 * Installed dependencies kept for the next workspace with the same inputs (lockfile, package.json, install
 * command, env, image): made by a throw-away container that runs nothing but the install, kept read-only.
 */
export const dependencySnapshots = sqliteTable('dependency_snapshots', {
  key: text('key').primaryKey(),
  templateId: text('template_id').notNull(),
  imageTag: text('image_tag').notNull(),
  bytes: integer('bytes').notNull(),
  createdAt: text('created_at').notNull(),
  usedAt: text('used_at').notNull()
})

// ---------------------------------------------------------------------------------------------
// Monitoring history (src-main/core/history): every monitor record of every workspace container, kept once.
// Every row names its workspace and its container; (container, boot, seq) is each record's dedupe key.
// Times of records are epoch milliseconds (smaller and faster to range over than text).

/**
 * One `log` record: a line the app printed. `log_lines_fts` (FTS5, contentless) indexes `line` without its escape
 * sequences: the ingest inserts its rows with the lines, a trigger deletes them with the lines.
 */
export const logLines = sqliteTable(
  'log_lines',
  {
    // AUTOINCREMENT: ids never come back after pruning, so "after id" paging and live follows stay right.
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    container: text('container').notNull(),
    boot: text('boot').notNull(),
    seq: integer('seq').notNull(),
    ts: integer('ts').notNull(),
    stream: text('stream').notNull(),
    line: text('line').notNull(),
    run: integer('run').notNull(),
    truncated: integer('truncated', { mode: 'boolean' }).notNull().default(false)
  },
  (t) => [
    uniqueIndex('log_lines_record').on(t.container, t.boot, t.seq),
    index('log_lines_workspace').on(t.workspace, t.id),
    index('log_lines_workspace_ts').on(t.workspace, t.ts)
  ]
)

/**
 * The timeline: state, ready, crash, restart, health and spec records, and gaps (records that never reached
 * the host: `seq` is the first one missed, `missed` how many).
 */
export const historyEvents = sqliteTable(
  'history_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    container: text('container').notNull(),
    boot: text('boot').notNull(),
    seq: integer('seq').notNull(),
    ts: integer('ts').notNull(),
    /** state | ready | crash | restart | health | spec | gap */
    kind: text('kind').notNull(),
    /** state: the state entered and the one left. */
    state: text('state'),
    fromState: text('from_state'),
    run: integer('run'),
    exitCode: integer('exit_code'),
    signal: text('signal'),
    delayMs: integer('delay_ms'),
    attempt: integer('attempt'),
    missed: integer('missed'),
    summary: text('summary').notNull(),
    /** The rest of the record (reason, via, port, lastError, spec …) as JSON. */
    detail: text('detail')
  },
  (t) => [
    uniqueIndex('history_events_record').on(t.container, t.boot, t.seq),
    index('history_events_workspace').on(t.workspace, t.id),
    index('history_events_ts').on(t.ts)
  ]
)

/** One distinct error per workspace and fingerprint, counted over every stored occurrence. */
export const errorGroups = sqliteTable(
  'error_groups',
  {
    workspace: text('workspace').notNull(),
    fingerprint: text('fingerprint').notNull(),
    /** The container of the last occurrence. */
    container: text('container').notNull(),
    category: text('category').notNull(),
    severity: text('severity').notNull(),
    message: text('message').notNull(),
    file: text('file'),
    line: integer('line'),
    column: integer('column'),
    stack: text('stack'),
    count: integer('count').notNull(),
    firstSeen: integer('first_seen').notNull(),
    lastSeen: integer('last_seen').notNull(),
    /** Where the last occurrence sits in its container's record stream (the log lines around it). */
    lastBoot: text('last_boot').notNull(),
    lastSeq: integer('last_seq').notNull(),
    /** First or again seen since the user last looked at this workspace's errors. */
    unread: integer('unread', { mode: 'boolean' }).notNull().default(true)
  },
  (t) => [primaryKey({ columns: [t.workspace, t.fingerprint] }), index('error_groups_last_seen').on(t.lastSeen)]
)

/** Every stored `error` record: counts a group up exactly once, whoever ingests it. */
export const errorOccurrences = sqliteTable(
  'error_occurrences',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    container: text('container').notNull(),
    boot: text('boot').notNull(),
    seq: integer('seq').notNull(),
    ts: integer('ts').notNull(),
    fingerprint: text('fingerprint').notNull()
  },
  (t) => [uniqueIndex('error_occurrences_record').on(t.container, t.boot, t.seq), index('error_occurrences_ts').on(t.ts)]
)

/** How far a container's record stream is stored: Docker's time of the last stored record, and its boot and seq. */
export const historyCursors = sqliteTable(
  'history_cursors',
  {
    container: text('container').primaryKey(),
    workspace: text('workspace').notNull(),
    boot: text('boot').notNull(),
    seq: integer('seq').notNull(),
    /** RFC 3339 with nine fraction digits, so text order is time order. */
    dockerTime: text('docker_time').notNull(),
    updatedAt: integer('updated_at').notNull()
  },
  (t) => [index('history_cursors_workspace').on(t.workspace)]
)

/**
 * Terminal layout and last screens, so that a restarted Sandlot revives its terminals: same ids, names and order,
 * each with its last screen as history above a fresh shell.
 */
export const terminals = sqliteTable('terminals', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** The contract's TerminalTarget as JSON: `{"kind":"host"}` or `{"kind":"workspace","workspace":…}`. */
  target: text('target').notNull(),
  position: integer('position').notNull(),
  cols: integer('cols').notNull(),
  rows: integer('rows').notNull(),
  /** The headless mirror's serialized screen (escape sequences) as last saved; bounded by the scrollback setting. */
  screen: text('screen').notNull().default(''),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull()
})

// ---------------------------------------------------------------------------------------------
// Sync to a team orchestrator (src-main/core/sync): the history tables above are the outbox; these say how far
// the orchestrator has acknowledged them.

/**
 * One row (id 1) while sync has a target: the last row id of each history table the orchestrator acknowledged,
 * for that URL (another URL starts again from the beginning), and what the status shows.
 */
export const syncState = sqliteTable('sync_state', {
  id: integer('id').primaryKey(),
  url: text('url').notNull(),
  logId: integer('log_id').notNull().default(0),
  eventId: integer('event_id').notNull().default(0),
  errorId: integer('error_id').notNull().default(0),
  /** Epoch ms of the last acknowledged batch. */
  lastAckAt: integer('last_ack_at'),
  /** A hash of the workspace list the orchestrator last acknowledged, so the list goes out when it changes. */
  workspacesHash: text('workspaces_hash'),
  /** Log lines never sent (skipped past the outbox's bound, or pruned before they went), counted since this URL was set. */
  droppedLines: integer('dropped_lines').notNull().default(0),
  /** Timeline entries and error occurrences never sent (pruned by retention or `rm --purge` before they went). */
  droppedEvents: integer('dropped_events').notNull().default(0),
  droppedErrors: integer('dropped_errors').notNull().default(0),
  /** The last failure as JSON `{ at, message, hint }`; cleared by the next acknowledged batch. */
  lastError: text('last_error'),
  /** `<host>:<pid>:<n>` of the process sending now, until lease_until (epoch ms): one sender per data folder. */
  sender: text('sender'),
  leaseUntil: integer('lease_until')
})

/**
 * Unsent records dropped per workspace, waiting to be sent as a SyncDrop (a gap) with the next batch: log lines
 * (past the outbox's bound or pruned), timeline entries and error occurrences (pruned); from/to span all of them.
 */
export const syncDrops = sqliteTable('sync_drops', {
  workspace: text('workspace').primaryKey(),
  lines: integer('lines').notNull(),
  events: integer('events').notNull().default(0),
  errors: integer('errors').notNull().default(0),
  fromTs: integer('from_ts').notNull(),
  toTs: integer('to_ts').notNull()
})
