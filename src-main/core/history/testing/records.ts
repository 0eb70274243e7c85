import { mkdtempSync } from 'node:fs'
import { afterEach } from 'vitest'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MonitorRecord } from '../../../../container/src/protocol'
import type { ReceivedRecord } from '../../monitor/monitor-records'
import { openDatabase, type Database } from '../../store/database'

type Body = MonitorRecord extends infer R ? (R extends MonitorRecord ? Omit<R, 'v' | 'boot' | 'seq' | 'ts'> : never) : never

/** A fresh database with every migration, in its own folder. */
export function testDatabase(): Database {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-history-'))
  return openDatabase({ file: join(dir, 'sandlot.db'), backupsDir: dir })
}

/** For a test file: fresh databases, closed after each test, and a `count(*)` helper on them. */
export function testDatabases(): () => { database: Database; count: (sql: string, ...args: unknown[]) => number } {
  const opened: Database[] = []
  afterEach(() => {
    for (const d of opened.splice(0)) d.close()
  })
  return () => {
    const database = testDatabase()
    opened.push(database)
    return { database, count: (sql, ...args) => (database.sqlite.prepare(sql).get(...args) as { n: number }).n }
  }
}

/**
 * A monitor's record stream as the host receives it: consecutive seq within a boot, record and Docker times
 * one millisecond apart (Docker's times with trailing zeros trimmed, as Docker writes them).
 */
export class RecordStream {
  #seq = 0
  #ms: number

  constructor(
    readonly boot = 'b0a1c2d3e4f50617',
    start = Date.parse('2030-01-01T10:00:00.000Z')
  ) {
    this.#ms = start
  }

  next(body: Body): ReceivedRecord {
    const ts = new Date(this.#ms).toISOString()
    const dockerTime = ts.replace(/\.?0+Z$/, 'Z').replace(/\.Z$/, 'Z')
    const record = { v: 1, boot: this.boot, seq: this.#seq, ts, ...body } as MonitorRecord
    this.#seq++
    this.#ms++
    return { dockerTime, record }
  }

  log(line: string, stream: 'stdout' | 'stderr' = 'stdout', run = 1): ReceivedRecord {
    return this.next({ type: 'log', stream, line, run })
  }

  logs(n: number, prefix = 'line'): ReceivedRecord[] {
    return Array.from({ length: n }, (_, i) => this.log(`${prefix} ${i}`))
  }

  /** Records lost on the way: the next record's seq jumps by `n`. */
  skip(n: number): void {
    this.#seq += n
    this.#ms += n
  }
}

export const errorBody = (message: string, fingerprint = '0123456789abcdef') =>
  ({
    type: 'error',
    category: 'runtime',
    severity: 'error',
    message,
    stream: 'stderr',
    fingerprint,
    count: 1,
    firstSeen: '2030-01-01T10:00:00.000Z',
    lastSeen: '2030-01-01T10:00:00.000Z',
    file: '/app/app.js',
    line: 3,
    column: 7,
    stack: `${message}\n    at /app/app.js:3:7`,
    run: 1
  }) as const
