import type BetterSqlite3 from 'better-sqlite3'
import type { SyncDrop, SyncRecord, SyncStatus, SyncWorkspace } from '../contract'
import { creatorAlive } from '../workspaces/creator'
import { syncRecordReader, type RecordCursors } from './sync-records'

/** What one batch may hold: records by count and by JSON size (a retry after a 413 asks for less). */
export interface BatchLimits {
  maxRecords: number
  maxBytes: number
}

/** The desktop's workspace list as it is now, with a hash of it (the list goes out only when the hash changes). */
export interface WorkspaceSnapshot {
  list: SyncWorkspace[]
  hash: string
}

/** A batch read from the outbox: what to send, and where the cursors move once the orchestrator acknowledged it. */
export interface OutgoingBatch {
  /** The same start gives the same id, so a retry (also after a restart) sends the same one. */
  id: string
  url: string
  records: SyncRecord[]
  dropped: SyncDrop[]
  workspaces?: WorkspaceSnapshot
  /** The last row id of each table in this batch (or the cursor it started from). */
  through: RecordCursors
  /** The batch stopped at a limit: more is waiting right behind it. */
  full: boolean
  /** Rows that do not fit the wire contract (so no orchestrator would take them): skipped with this batch. */
  invalid: number
}

interface StateRow {
  url: string
  log_id: number
  event_id: number
  error_id: number
  last_ack_at: number | null
  workspaces_hash: string | null
  dropped_lines: number
  dropped_events: number
  dropped_errors: number
  last_error: string | null
}

interface DropRow {
  workspace: string
  lines: number
  events: number
  errors: number
  from_ts: number
  to_ts: number
}

export interface SyncOutboxOptions {
  /** Past this many unsent log lines the oldest are skipped (and reported as dropped): the outbox stays bounded. */
  maxWaitingLines?: number
  now?: () => number
}

/** 100,000 lines wait for the orchestrator (about a day of a chatty dev server); older unsent ones become a gap. */
export const MAX_WAITING_LINES = 100_000

/**
 * The outbox of sync: not a copy of the history but a cursor per history table (log_lines, history_events,
 * error_occurrences), the last row id the orchestrator acknowledged, kept in `sync_state` beside the rows. Row
 * ids are AUTOINCREMENT and given in commit order (SQLite has one writer), so "after the cursor" is exactly
 * what was not yet acknowledged, however many processes ingest. Cursors move only after a 200, so a crash or a
 * refused batch sends the same rows again (the orchestrator stores each record once).
 */
export class SyncOutbox {
  readonly #sqlite: BetterSqlite3.Database
  readonly #reader: ReturnType<typeof syncRecordReader>
  readonly #maxWaitingLines: number
  readonly #now: () => number
  readonly #state: BetterSqlite3.Statement<[], StateRow>
  readonly #overflowCut: BetterSqlite3.Statement<[number, number], { id: number }>

  constructor(sqlite: BetterSqlite3.Database, options: SyncOutboxOptions = {}) {
    this.#sqlite = sqlite
    this.#reader = syncRecordReader(sqlite)
    this.#maxWaitingLines = options.maxWaitingLines ?? MAX_WAITING_LINES
    this.#now = options.now ?? Date.now
    this.#state = sqlite.prepare('SELECT url, log_id, event_id, error_id, last_ack_at, workspaces_hash, dropped_lines, dropped_events, dropped_errors, last_error FROM sync_state WHERE id = 1')
    this.#overflowCut = sqlite.prepare('SELECT id FROM log_lines WHERE id > ? ORDER BY id DESC LIMIT 1 OFFSET ?')
  }

  /** Sync sends to `url` from now on: another URL than before starts again from the first row kept. */
  target(url: string): void {
    this.#sqlite
      .transaction(() => {
        const row = this.#state.get()
        if (row?.url === url) return
        this.#sqlite.prepare('DELETE FROM sync_drops').run()
        this.#sqlite.prepare('INSERT OR REPLACE INTO sync_state (id, url) VALUES (1, ?)').run(url)
      })
      .immediate()
  }

  /** False once the database is closed (the core is closing): the loop ends quietly. */
  get open(): boolean {
    return this.#sqlite.open
  }

  /**
   * Takes or renews the right to send for `ms`: one sender per data folder (the app and `serve` may both run), so
   * drops and batches go once. False while another live process holds an unexpired lease. `owner` is
   * `<host>:<pid>/<id>` (the id tells apart two cores of one process).
   */
  lease(owner: string, ms: number): boolean {
    const now = this.#now()
    const take = this.#sqlite.prepare('UPDATE sync_state SET sender = ?, lease_until = ? WHERE id = 1 AND (sender IS NULL OR sender = ? OR lease_until < ?)')
    if (take.run(owner, now + ms, owner, now).changes === 1) return true
    // A holder on this machine that is gone (killed, crashed) gives way at once rather than when its lease ends.
    const holder = this.#sqlite.prepare('SELECT sender FROM sync_state WHERE id = 1').get() as { sender: string | null } | undefined
    if (!holder?.sender || creatorAlive(holder.sender.split('/')[0])) return false
    return this.#sqlite.prepare('UPDATE sync_state SET sender = ?, lease_until = ? WHERE id = 1 AND sender = ?').run(owner, now + ms, holder.sender).changes === 1
  }

  /** Lets another process send at once (this one stops). A no-op once the database is closed. */
  release(owner: string): void {
    if (!this.#sqlite.open) return
    this.#sqlite.prepare('UPDATE sync_state SET sender = NULL, lease_until = NULL WHERE id = 1 AND sender = ?').run(owner)
  }

  /** The next batch for `url`, or undefined when nothing waits (no record, no drop, the same workspaces). */
  next(url: string, limits: BatchLimits, workspaces?: WorkspaceSnapshot): OutgoingBatch | undefined {
    this.#skipOverflow(url)
    const row = this.#state.get()
    if (row?.url !== url) return undefined
    const start: RecordCursors = { log: row.log_id, event: row.event_id, error: row.error_id }
    const read = this.#reader.read(start, limits)
    const drops = this.#drops()
    const newWorkspaces = workspaces !== undefined && workspaces.hash !== row.workspaces_hash ? workspaces : undefined
    if (read.records.length === 0 && read.invalid === 0 && drops.length === 0 && newWorkspaces === undefined) return undefined
    return {
      id: `${start.log}.${start.event}.${start.error}`,
      url,
      records: read.records,
      dropped: drops,
      ...(newWorkspaces ? { workspaces: newWorkspaces } : {}),
      through: read.through,
      full: read.full,
      invalid: read.invalid
    }
  }

  /** The orchestrator stored `batch`: its cursors move on, its drops and workspace list count as delivered. */
  acknowledge(batch: OutgoingBatch): void {
    this.#sqlite
      .transaction(() => {
        // A batch for a URL that was replaced meanwhile moves nothing.
        const row = this.#state.get()
        if (row?.url !== batch.url) return
        this.#sqlite
          .prepare(
            `UPDATE sync_state SET log_id = max(log_id, ?), event_id = max(event_id, ?), error_id = max(error_id, ?), last_ack_at = ?,
               workspaces_hash = coalesce(?, workspaces_hash), last_error = NULL WHERE id = 1`
          )
          .run(batch.through.log, batch.through.event, batch.through.error, this.#now(), batch.workspaces?.hash ?? null)
        // Records dropped while the batch was out stay for the next one.
        const sent = this.#sqlite.prepare('UPDATE sync_drops SET lines = lines - ?, events = events - ?, errors = errors - ? WHERE workspace = ?')
        for (const drop of batch.dropped) sent.run(drop.lines, drop.events ?? 0, drop.errors ?? 0, drop.workspace)
        this.#sqlite.prepare('DELETE FROM sync_drops WHERE lines <= 0 AND events <= 0 AND errors <= 0').run()
      })
      .immediate()
  }

  /** What went wrong last, for the status; cleared by the next acknowledged batch. */
  recordError(url: string, error: { message: string; hint: string }): void {
    const text = JSON.stringify({ at: new Date(this.#now()).toISOString(), message: error.message, hint: error.hint })
    this.#sqlite.prepare('UPDATE sync_state SET last_error = ? WHERE id = 1 AND url = ?').run(text, url)
  }

  /**
   * The status `sandlot sync status` and the Settings view show. Read from the database alone, so any process
   * (a CLI call too) sees what the process that sends acknowledged. `problem`: why sync is off though half set.
   */
  status(target: { url: string | undefined; enabled: boolean; problem?: { message: string; hint: string } }): SyncStatus {
    const row = this.#state.get()
    const mine = row !== undefined && row.url === target.url ? row : undefined
    const storedError = mine?.last_error ? (JSON.parse(mine.last_error) as SyncStatus['lastError']) : null
    const now = this.#now()
    const base = {
      enabled: target.enabled,
      url: target.url ?? null,
      lastAckAt: mine?.last_ack_at ? new Date(mine.last_ack_at).toISOString() : null,
      droppedLines: mine?.dropped_lines ?? 0,
      droppedEvents: mine?.dropped_events ?? 0,
      droppedErrors: mine?.dropped_errors ?? 0,
      lastError: target.problem ? { at: new Date(now).toISOString(), ...target.problem } : storedError
    }
    if (!target.enabled) return { ...base, waiting: 0, lagMs: 0 }
    const waiting = this.#reader.waiting({ log: mine?.log_id ?? 0, event: mine?.event_id ?? 0, error: mine?.error_id ?? 0 })
    return { ...base, waiting: waiting.count, lagMs: waiting.oldestTs === undefined ? 0 : Math.max(0, now - waiting.oldestTs) }
  }

  /**
   * What was dropped and not yet reported. Unsent lines are dropped by the outbox's bound (#skipOverflow) or by
   * retention; unsent events and errors only by retention or `rm --purge` (triggers on the history tables, migrations
   * 0005 and 0007, count them as they are deleted). Retention is not held back for sync: it is the user's bound on
   * disk and on what is kept, and the orchestrator may be gone for good; what it deletes unsent goes out as a gap.
   */
  #drops(): SyncDrop[] {
    const rows = this.#sqlite.prepare('SELECT workspace, lines, events, errors, from_ts, to_ts FROM sync_drops ORDER BY workspace LIMIT 1000').all() as DropRow[]
    return rows.map((r) => ({
      workspace: r.workspace,
      lines: r.lines,
      ...(r.events > 0 ? { events: r.events } : {}),
      ...(r.errors > 0 ? { errors: r.errors } : {}),
      from: new Date(r.from_ts).toISOString(),
      to: new Date(r.to_ts).toISOString()
    }))
  }

  /**
   * Keeps the outbox bounded: past `maxWaitingLines` unsent log lines, the oldest are skipped (the cursor jumps
   * over them) and counted as dropped per workspace, to go out as a gap. Errors and events are never skipped.
   */
  #skipOverflow(url: string): void {
    const overflow = (): { row: StateRow; cut: number } | undefined => {
      const row = this.#state.get()
      if (row?.url !== url) return undefined
      const cut = this.#overflowCut.get(row.log_id, this.#maxWaitingLines)
      return cut === undefined ? undefined : { row, cut: cut.id }
    }
    // Looked at first without the write lock: almost always there is nothing to skip.
    if (overflow() === undefined) return
    this.#sqlite
      .transaction(() => {
        const found = overflow()
        if (found === undefined) return
        const { row, cut } = found
        const skipped = this.#sqlite
          .prepare('SELECT workspace, count(*) AS lines, min(ts) AS from_ts, max(ts) AS to_ts FROM log_lines WHERE id > ? AND id <= ? GROUP BY workspace')
          .all(row.log_id, cut) as DropRow[]
        const add = this.#sqlite.prepare(
          `INSERT INTO sync_drops (workspace, lines, from_ts, to_ts) VALUES (?, ?, ?, ?)
           ON CONFLICT (workspace) DO UPDATE SET lines = lines + excluded.lines, from_ts = min(from_ts, excluded.from_ts), to_ts = max(to_ts, excluded.to_ts)`
        )
        for (const drop of skipped) add.run(drop.workspace, drop.lines, drop.from_ts, drop.to_ts)
        const total = skipped.reduce((sum, drop) => sum + drop.lines, 0)
        this.#sqlite.prepare('UPDATE sync_state SET log_id = ?, dropped_lines = dropped_lines + ? WHERE id = 1').run(cut, total)
      })
      .immediate()
  }
}
