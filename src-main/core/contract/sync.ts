import { z } from 'zod'
import { OutputStream, Severity, Timestamp } from '../../../container/src/protocol'

/**
 * Sync to a team orchestrator: the wire between a desktop's outbox and `sandlot orchestrator serve`.
 * The host a batch is stored under comes from its bearer token (one per host), never from the body, so one
 * host's token cannot write rows in another's name. A record's key is (host, container, boot, seq): a batch or
 * a record sent twice is stored once.
 */

/** Where a record sits: the same identity the desktop's own history dedupes on, plus its workspace and time. */
const RecordKey = {
  workspace: z.string().min(1).max(128),
  container: z.string().regex(/^[0-9a-f]{12,64}$/, 'a container id (hex)'),
  boot: z.string().min(1).max(64),
  seq: z.number().int().min(0),
  ts: Timestamp
}

export const SyncLogRecord = z
  .object({
    kind: z.literal('log'),
    ...RecordKey,
    stream: OutputStream,
    line: z.string().max(64 * 1024),
    run: z.number().int().min(1),
    truncated: z.boolean()
  })
  .strict()

export const SyncEventRecord = z
  .object({
    kind: z.literal('event'),
    ...RecordKey,
    /** The history's event kind: state | ready | crash | restart | health | spec | gap. */
    event: z.string().min(1).max(32),
    summary: z.string().max(4096),
    state: z.string().max(32).nullable(),
    fromState: z.string().max(32).nullable(),
    run: z.number().int().nullable(),
    exitCode: z.number().int().nullable(),
    signal: z.string().max(32).nullable(),
    delayMs: z.number().int().nullable(),
    attempt: z.number().int().nullable(),
    missed: z.number().int().nullable(),
    /** The rest of the record as JSON text, as the desktop stores it. */
    detail: z.string().max(64 * 1024).nullable()
  })
  .strict()

export const SyncErrorRecord = z
  .object({
    kind: z.literal('error'),
    ...RecordKey,
    fingerprint: z.string().min(1).max(128),
    category: z.string().min(1).max(64),
    severity: Severity,
    message: z.string().max(16 * 1024),
    file: z.string().max(4096).nullable(),
    line: z.number().int().nullable(),
    column: z.number().int().nullable(),
    stack: z.string().max(64 * 1024).nullable()
  })
  .strict()

export const SyncRecord = z.discriminatedUnion('kind', [SyncLogRecord, SyncEventRecord, SyncErrorRecord])
export type SyncRecord = z.infer<typeof SyncRecord>

/** A workspace as the desktop sees it when it sends: the fleet page's rows. */
export const SyncWorkspace = z
  .object({
    name: z.string().min(1).max(128),
    template: z.string().max(128),
    /** The workspace's state as the desktop reports it (ready, running, crashed, stopped, failed …). */
    state: z.string().min(1).max(32),
    container: z.string().max(64).nullable(),
    createdAt: z.string().max(64)
  })
  .strict()
export type SyncWorkspace = z.infer<typeof SyncWorkspace>

/**
 * Records of a workspace the desktop will never send (a gap): log lines its bounded outbox skipped or retention
 * deleted before they went, and timeline entries and error occurrences retention (or `rm --purge`) deleted before
 * they went (the outbox's bound never skips those). `events` and `errors` are left out when 0, so an orchestrator
 * that knows only lines still takes the drops it can understand. `from`/`to` span the dropped records' times.
 */
export const SyncDrop = z
  .object({
    workspace: z.string().min(1).max(128),
    lines: z.number().int().min(0),
    events: z.number().int().min(1).optional(),
    errors: z.number().int().min(1).optional(),
    from: Timestamp,
    to: Timestamp
  })
  .strict()
  .refine((d) => d.lines > 0 || d.events !== undefined || d.errors !== undefined, 'a drop counts at least one line, event or error')
export type SyncDrop = z.infer<typeof SyncDrop>

export const MAX_SYNC_RECORDS = 2000

export const SyncBatch = z
  .object({
    /** The desktop's id for this batch (a retry sends the same one); for the orchestrator's logs. */
    batch: z.string().min(1).max(64),
    /** The desktop's hostname and version as it says them (informational: the token names the host). */
    agent: z.object({ hostname: z.string().max(255), version: z.string().max(64) }).strict(),
    records: z.array(SyncRecord).max(MAX_SYNC_RECORDS),
    /** The whole list of the desktop's workspaces now; omitted when it did not change since the last batch. */
    workspaces: z.array(SyncWorkspace).max(1000).optional(),
    dropped: z.array(SyncDrop).max(1000).optional()
  })
  .strict()
export type SyncBatch = z.infer<typeof SyncBatch>

export const SyncAck = z.object({
  /** Records newly stored, and records already there (sent before). */
  stored: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  host: z.string()
})
export type SyncAck = z.infer<typeof SyncAck>

/** What `sandlot sync status` and the Settings view show. */
export const SyncStatus = z.object({
  enabled: z.boolean(),
  url: z.string().nullable(),
  /** When the orchestrator last acknowledged a batch, and the time of the newest record it holds. */
  lastAckAt: Timestamp.nullable(),
  waiting: z.number().int().min(0),
  /** How far behind the orchestrator is: now minus the time of the oldest record waiting (0 when none). */
  lagMs: z.number().int().min(0),
  droppedLines: z.number().int().min(0),
  /** Timeline entries and error occurrences retention deleted before they were sent (reported as gaps). */
  droppedEvents: z.number().int().min(0),
  droppedErrors: z.number().int().min(0),
  lastError: z.object({ at: Timestamp, message: z.string(), hint: z.string() }).nullable()
})
export type SyncStatus = z.infer<typeof SyncStatus>
