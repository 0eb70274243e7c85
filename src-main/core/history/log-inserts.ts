import type BetterSqlite3 from 'better-sqlite3'
import type { LogRecord } from '../../../container/src/protocol'
import type { LogLine } from '../contract'
import { stripAnsi } from '../../../container/src/ansi'

/** Rows per INSERT: one statement for many lines costs far less than a statement per line. */
const CHUNK = 100
const COLUMNS = '(workspace, container, boot, seq, ts, stream, line, run, truncated)'

interface Pending {
  workspace: string
  container: string
  record: LogRecord
  ts: number
}

/**
 * Log lines stored in multi-row INSERT … ON CONFLICT DO NOTHING RETURNING statements (the unique key decides
 * what is new), with their full-text entries; used inside the writer's transaction.
 */
export class LogInserts {
  readonly #sqlite: BetterSqlite3.Database
  readonly #lines = new Map<number, BetterSqlite3.Statement>()
  readonly #fts = new Map<number, BetterSqlite3.Statement>()
  #pending: Pending[] = []

  constructor(sqlite: BetterSqlite3.Database) {
    this.#sqlite = sqlite
  }

  add(workspace: string, container: string, record: LogRecord, ts: number, out: { lines: LogLine[]; duplicates: number }): void {
    this.#pending.push({ workspace, container, record, ts })
    if (this.#pending.length >= CHUNK) this.flush(out)
  }

  /** Stores what is pending; new lines are appended to `out.lines` (in order), the others counted. */
  flush(out: { lines: LogLine[]; duplicates: number }): void {
    const pending = this.#pending
    if (pending.length === 0) return
    this.#pending = []
    const values: unknown[] = []
    for (const { workspace, container, record, ts } of pending) {
      values.push(workspace, container, record.boot, record.seq, ts, record.stream, record.line, record.run, record.truncated === true ? 1 : 0)
    }
    const inserted = this.#statement(this.#lines, pending.length, (n) =>
      `INSERT INTO log_lines ${COLUMNS} VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (container, boot, seq) DO NOTHING RETURNING id, boot, seq`
    ).all(...values) as { id: number; boot: string; seq: number }[]
    out.duplicates += pending.length - inserted.length
    if (inserted.length === 0) return
    const ids = new Map(inserted.map((row) => [`${row.boot}:${row.seq}`, row.id]))
    const fts: unknown[] = []
    for (const { workspace, container, record, ts } of pending) {
      const key = `${record.boot}:${record.seq}`
      const id = ids.get(key)
      if (id === undefined) continue
      // A record twice in one batch is stored (and indexed) once.
      ids.delete(key)
      fts.push(id, stripAnsi(record.line))
      const truncated = record.truncated === true
      out.lines.push({ id, workspace, container, boot: record.boot, seq: record.seq, ts: record.ts.endsWith('Z') ? record.ts : new Date(ts).toISOString(), stream: record.stream, line: record.line, run: record.run, truncated })
    }
    this.#statement(this.#fts, fts.length / 2, (n) => `INSERT INTO log_lines_fts (rowid, line) VALUES ${Array(n).fill('(?, ?)').join(', ')}`).run(...fts)
  }

  #statement(cache: Map<number, BetterSqlite3.Statement>, n: number, sql: (n: number) => string): BetterSqlite3.Statement {
    let statement = cache.get(n)
    if (!statement) {
      statement = this.#sqlite.prepare(sql(n))
      cache.set(n, statement)
    }
    return statement
  }
}
