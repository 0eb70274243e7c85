import type BetterSqlite3 from 'better-sqlite3'
import { SyncRecord } from '../contract'
import type { EventRow, LogRow, RecordRow } from '../history/history-rows'

/** The last row id acknowledged (or read) of each history table. */
export interface RecordCursors {
  log: number
  event: number
  error: number
}

export interface ReadRecords {
  records: SyncRecord[]
  through: RecordCursors
  /** Stopped at a limit (count or bytes): more rows wait behind these. */
  full: boolean
  /** Rows skipped because they do not fit the wire contract. */
  invalid: number
}

type ErrorRow = RecordRow & {
  fingerprint: string
  category: string | null
  severity: string | null
  message: string | null
  file: string | null
  line: number | null
  column: number | null
  stack: string | null
}

const key = (r: RecordRow) => ({ workspace: r.workspace, container: r.container, boot: r.boot, seq: r.seq, ts: new Date(r.ts).toISOString() })

/** The three history tables as sync records, each read in row id order from its cursor. */
const TABLES = [
  {
    cursor: 'error' as const,
    // An occurrence carries its group's text and place (the group keeps its newest occurrence's); a group pruned
    // away (only ever with its occurrences) leaves neutral values rather than a record that cannot be sent.
    sql: `SELECT o.id, o.workspace, o.container, o.boot, o.seq, o.ts, o.fingerprint, g.category, g.severity, g.message, g.file, g.line, g."column" AS "column", g.stack
          FROM error_occurrences o LEFT JOIN error_groups g ON g.workspace = o.workspace AND g.fingerprint = o.fingerprint
          WHERE o.id > ? ORDER BY o.id LIMIT ?`,
    record: (r: ErrorRow) => ({
      kind: 'error' as const,
      ...key(r),
      fingerprint: r.fingerprint,
      category: r.category ?? 'unknown',
      severity: r.severity ?? 'error',
      message: r.message ?? '',
      file: r.file,
      line: r.line,
      column: r.column,
      stack: r.stack
    })
  },
  {
    cursor: 'event' as const,
    sql: `SELECT id, workspace, container, boot, seq, ts, kind, summary, state, from_state, run, exit_code, signal, delay_ms, attempt, missed, detail
          FROM history_events WHERE id > ? ORDER BY id LIMIT ?`,
    record: (r: EventRow) => ({
      kind: 'event' as const,
      ...key(r),
      event: r.kind,
      summary: r.summary,
      state: r.state,
      fromState: r.from_state,
      run: r.run,
      exitCode: r.exit_code,
      signal: r.signal,
      delayMs: r.delay_ms,
      attempt: r.attempt,
      missed: r.missed,
      detail: r.detail
    })
  },
  {
    cursor: 'log' as const,
    sql: 'SELECT id, workspace, container, boot, seq, ts, stream, line, run, truncated FROM log_lines WHERE id > ? ORDER BY id LIMIT ?',
    record: (r: LogRow) => ({ kind: 'log' as const, ...key(r), stream: r.stream, line: r.line, run: r.run, truncated: r.truncated === 1 })
  }
]

/**
 * Reads sync records from the history tables: errors first, then timeline events, then log lines (errors and
 * events are few and matter most), each table a prefix in row id order so its cursor can move past it.
 */
export function syncRecordReader(sqlite: BetterSqlite3.Database) {
  const statements = TABLES.map((table) => ({ ...table, statement: sqlite.prepare(table.sql) }))
  const count = sqlite.prepare(
    `SELECT (SELECT count(*) FROM log_lines WHERE id > @log) + (SELECT count(*) FROM history_events WHERE id > @event) + (SELECT count(*) FROM error_occurrences WHERE id > @error) AS count,
       min(coalesce((SELECT ts FROM log_lines WHERE id > @log ORDER BY id LIMIT 1), 1e15),
           coalesce((SELECT ts FROM history_events WHERE id > @event ORDER BY id LIMIT 1), 1e15),
           coalesce((SELECT ts FROM error_occurrences WHERE id > @error ORDER BY id LIMIT 1), 1e15)) AS oldest`
  )
  return {
    read(start: RecordCursors, limits: { maxRecords: number; maxBytes: number }): ReadRecords {
      const records: SyncRecord[] = []
      const through = { ...start }
      let bytes = 0
      let invalid = 0
      for (const table of statements) {
        const room = limits.maxRecords - records.length - invalid
        if (room <= 0) return { records, through, full: true, invalid }
        const rows = table.statement.all(start[table.cursor], room) as (LogRow & EventRow & ErrorRow)[]
        for (const row of rows) {
          const record = table.record(row)
          const parsed = SyncRecord.safeParse(record)
          if (!parsed.success) {
            invalid++
            through[table.cursor] = row.id
            continue
          }
          const size = JSON.stringify(record).length + 1
          // One record always goes, however large: a batch that cannot shrink is the orchestrator's to refuse.
          if (bytes + size > limits.maxBytes && records.length > 0) return { records, through, full: true, invalid }
          bytes += size
          records.push(parsed.data)
          through[table.cursor] = row.id
        }
      }
      return { records, through, full: records.length + invalid >= limits.maxRecords, invalid }
    },

    /** How many rows wait after the cursors, and the time of the oldest of them (the first of each table). */
    waiting(cursors: RecordCursors): { count: number; oldestTs: number | undefined } {
      const row = count.get(cursors) as { count: number; oldest: number }
      return { count: row.count, oldestTs: row.oldest >= 1e15 ? undefined : row.oldest }
    }
  }
}
