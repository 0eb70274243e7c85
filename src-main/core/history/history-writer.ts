import type BetterSqlite3 from 'better-sqlite3'
import type { LogLine } from '../contract'
import type { ReceivedRecord } from '../monitor/monitor-records'
import { LogInserts } from './log-inserts'
import { gapRow, normalizeDockerTime, timelineRow, type TimelineRow } from './record-rows'

/** What one batch added (duplicates of rows already stored are not in it). */
export interface StoredBatch {
  workspace: string
  container: string
  lines: LogLine[]
  /** Ids of the timeline rows added (gaps included). */
  events: number[]
  /** Fingerprints of the error groups created or counted up. */
  errors: string[]
  /** Records that were stored already (another process, or a re-read after a restart). */
  duplicates: number
}

interface Cursor {
  boot: string
  seq: number
  time: string
}

/** error_groups columns an occurrence overwrites when it is the newest of its group. */
const NEWEST_WINS = ['container', 'category', 'severity', 'message', 'file', 'line', '"column"', 'stack', 'last_boot', 'last_seq']

/**
 * Stores a container's monitor records, each batch in one transaction: rows keyed on (container, boot, seq)
 * with INSERT … ON CONFLICT DO NOTHING, so whoever stores a record first wins and every later copy (another
 * Sandlot process following the same container, a re-read from the cursor after a restart) changes nothing.
 * The cursor (Docker's time of the newest stored record) moves forward only, in the same transaction.
 *
 * A jump in seq within a boot, seen past the cursor, is stored as a gap: those records never reach the host.
 * The transaction is IMMEDIATE (takes the write lock first), so two processes compare against the same cursor.
 */
export class HistoryWriter {
  readonly #getCursor: BetterSqlite3.Statement<[string], { boot: string; seq: number; docker_time: string }>
  readonly #putCursor: BetterSqlite3.Statement
  readonly #logs: LogInserts
  readonly #insertEvent: BetterSqlite3.Statement
  readonly #insertOccurrence: BetterSqlite3.Statement
  readonly #upsertGroup: BetterSqlite3.Statement
  readonly #lastHealth: BetterSqlite3.Statement<[string, string, number, number], { ok: number | null }>
  readonly #write: (workspace: string, container: string, records: ReceivedRecord[]) => StoredBatch

  constructor(sqlite: BetterSqlite3.Database, now: () => number = Date.now) {
    this.#getCursor = sqlite.prepare('SELECT boot, seq, docker_time FROM history_cursors WHERE container = ?')
    this.#putCursor = sqlite.prepare(
      `INSERT INTO history_cursors (container, workspace, boot, seq, docker_time, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (container) DO UPDATE SET workspace = excluded.workspace, boot = excluded.boot, seq = excluded.seq,
         docker_time = excluded.docker_time, updated_at = excluded.updated_at WHERE excluded.docker_time > history_cursors.docker_time`
    )
    this.#logs = new LogInserts(sqlite)
    this.#insertEvent = sqlite.prepare(
      `INSERT INTO history_events (workspace, container, boot, seq, ts, kind, state, from_state, run, exit_code, signal, delay_ms, attempt, missed, summary, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (container, boot, seq) DO NOTHING`
    )
    this.#lastHealth = sqlite.prepare(
      `SELECT json_extract(detail, '$.ok') AS ok FROM history_events
       WHERE container = ? AND boot = ? AND run = ? AND kind = 'health' AND seq < ? ORDER BY seq DESC LIMIT 1`
    )
    this.#insertOccurrence = sqlite.prepare(
      `INSERT INTO error_occurrences (workspace, container, boot, seq, ts, fingerprint) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (container, boot, seq) DO NOTHING`
    )
    // The newest occurrence gives the group its text and place (NEWEST_WINS); every stored occurrence counts once.
    this.#upsertGroup = sqlite.prepare(
      `INSERT INTO error_groups (workspace, fingerprint, container, category, severity, message, file, line, "column", stack, count, first_seen, last_seen, last_boot, last_seq, unread)
       VALUES (@workspace, @fingerprint, @container, @category, @severity, @message, @file, @line, @column, @stack, 1, @ts, @ts, @boot, @seq, 1)
       ON CONFLICT (workspace, fingerprint) DO UPDATE SET
         count = count + 1, unread = 1,
         first_seen = min(first_seen, excluded.first_seen),
         ${NEWEST_WINS.map((c) => `${c} = iif(excluded.last_seen >= last_seen, excluded.${c}, ${c})`).join(',\n         ')},
         last_seen = max(last_seen, excluded.last_seen)`
    )
    const write = sqlite.transaction((workspace: string, container: string, records: ReceivedRecord[]) => this.#store(workspace, container, records, now()))
    this.#write = (workspace, container, records) => write.immediate(workspace, container, records)
  }

  /** Stores one batch (in the order the container logged it) in one transaction. */
  write(workspace: string, container: string, records: ReceivedRecord[]): StoredBatch {
    return this.#write(workspace, container, records)
  }

  /** Where the stored history of a container ends: Docker's time of its newest stored record. */
  cursor(container: string): string | undefined {
    return this.#getCursor.get(container)?.docker_time
  }

  #store(workspace: string, container: string, records: ReceivedRecord[], now: number): StoredBatch {
    const batch: StoredBatch = { workspace, container, lines: [], events: [], errors: [], duplicates: 0 }
    const stored = this.#getCursor.get(container)
    let cursor: Cursor | undefined = stored && { boot: stored.boot, seq: stored.seq, time: stored.docker_time }
    let moved = false
    for (const received of records) {
      const record = received.record
      const time = normalizeDockerTime(received.dockerTime)
      const ts = Date.parse(record.ts)
      // Only records past the cursor can reveal a hole: earlier ones were seen (or judged) already.
      if (cursor === undefined || time > cursor.time) {
        const expected = cursor !== undefined && cursor.boot === record.boot ? cursor.seq + 1 : 0
        if (record.seq > expected) this.#event(batch, container, record.boot, expected, ts, gapRow(record.seq - expected))
        cursor = { boot: record.boot, seq: record.seq, time }
        moved = true
      }
      this.#record(batch, container, received, ts)
    }
    this.#logs.flush(batch)
    if (moved && cursor) this.#putCursor.run(container, workspace, cursor.boot, cursor.seq, cursor.time, now)
    return batch
  }

  #record(batch: StoredBatch, container: string, { record }: ReceivedRecord, ts: number): void {
    const { workspace } = batch
    if (record.type === 'log') {
      this.#logs.add(workspace, container, record, ts, batch)
      return
    }
    if (record.type === 'error') {
      const inserted = this.#insertOccurrence.run(workspace, container, record.boot, record.seq, ts, record.fingerprint)
      if (inserted.changes === 0) {
        batch.duplicates++
        return
      }
      this.#upsertGroup.run({
        workspace,
        fingerprint: record.fingerprint,
        container,
        category: record.category,
        severity: record.severity,
        message: record.message,
        file: record.file ?? null,
        line: record.line ?? null,
        column: record.column ?? null,
        stack: record.stack ?? null,
        ts,
        boot: record.boot,
        seq: record.seq
      })
      if (!batch.errors.includes(record.fingerprint)) batch.errors.push(record.fingerprint)
      return
    }
    // Monitors before PROTOCOL.md's "turns only" rule wrote a `health` record for every failed check (every 5 s
    // while an app stays broken): of a streak only its first is kept; the state records say the rest.
    if (record.type === 'health' && !record.ok && this.#lastHealth.get(container, record.boot, record.run, record.seq)?.ok === 0) return
    const row = timelineRow(record)
    if (row && !this.#event(batch, container, record.boot, record.seq, ts, row)) batch.duplicates++
  }

  /**
   * An entry the host writes itself (an idle stop): in the container's timeline under the boot "host", its time in
   * ms as the seq, so it sorts and dedupes as the monitor's records do.
   */
  hostEvent(workspace: string, container: string, ts: number, row: TimelineRow): StoredBatch {
    const batch: StoredBatch = { workspace, container, lines: [], events: [], errors: [], duplicates: 0 }
    this.#event(batch, container, 'host', ts, ts, row)
    return batch
  }

  #event(batch: StoredBatch, container: string, boot: string, seq: number, ts: number, row: TimelineRow): boolean {
    const result = this.#insertEvent.run(
      batch.workspace,
      container,
      boot,
      seq,
      ts,
      row.kind,
      row.state,
      row.fromState,
      row.run,
      row.exitCode,
      row.signal,
      row.delayMs,
      row.attempt,
      row.missed,
      row.summary,
      row.detail === null ? null : JSON.stringify(row.detail)
    )
    if (result.changes === 0) return false
    batch.events.push(Number(result.lastInsertRowid))
    return true
  }
}
