import { describe, expect, it } from 'vitest'
import { HistoryWriter } from './history-writer'
import { errorBody, RecordStream, testDatabases } from './testing/records'

const fresh = testDatabases()

function setup() {
  const { database, count } = fresh()
  return { database, writer: new HistoryWriter(database.sqlite, () => 0), count }
}

describe('HistoryWriter', () => {
  it('stores log lines once, whatever is written twice, with a cursor at the newest record', () => {
    const { writer, count, database } = setup()
    const stream = new RecordStream()
    const records = stream.logs(10)
    expect(writer.write('web', 'c1', records.slice(0, 6)).lines).toHaveLength(6)
    const second = writer.write('web', 'c1', records.slice(3))
    expect(second.lines.map((l) => l.seq)).toEqual([6, 7, 8, 9])
    expect(second.duplicates).toBe(3)
    expect(count('SELECT count(*) AS n FROM log_lines')).toBe(10)
    const seqs = database.sqlite.prepare('SELECT seq FROM log_lines ORDER BY id').all() as { seq: number }[]
    expect(seqs.map((r) => r.seq)).toEqual([...Array(10).keys()])
    expect(writer.cursor('c1')).toBe('2030-01-01T10:00:00.009000000Z')
  })

  it('stores a record that comes twice in one batch once, and indexes it once', () => {
    const { writer, count } = setup()
    const [a, b] = new RecordStream().logs(2, 'twice')
    expect(writer.write('web', 'c1', [a!, b!, a!]).lines.map((l) => l.seq)).toEqual([0, 1])
    expect(count("SELECT count(*) AS n FROM log_lines_fts WHERE log_lines_fts MATCH 'twice'")).toBe(2)
  })

  it('never moves the cursor back when an older batch arrives late', () => {
    const { writer } = setup()
    const records = new RecordStream().logs(5)
    writer.write('web', 'c1', records)
    writer.write('web', 'c1', records.slice(0, 2))
    expect(writer.cursor('c1')).toBe('2030-01-01T10:00:00.004000000Z')
  })

  it('stores a jump in seq within a boot as a gap saying how many were missed, once', () => {
    const { writer, database } = setup()
    const stream = new RecordStream()
    const before = stream.logs(3)
    stream.skip(4)
    const after = stream.logs(2)
    writer.write('web', 'c1', [...before, ...after])
    writer.write('web', 'c1', [...before, ...after])
    const gaps = database.sqlite.prepare("SELECT seq, missed FROM history_events WHERE kind = 'gap'").all()
    expect(gaps).toEqual([{ seq: 3, missed: 4 }])
  })

  it('sees a gap across batches, and a new boot as no gap unless it starts past 0', () => {
    const { writer, database } = setup()
    const first = new RecordStream('aaaaaaaaaaaaaaaa')
    writer.write('web', 'c1', first.logs(2))
    first.skip(1)
    writer.write('web', 'c1', first.logs(1))
    const second = new RecordStream('bbbbbbbbbbbbbbbb', Date.parse('2030-01-01T11:00:00Z'))
    writer.write('web', 'c1', second.logs(2))
    const third = new RecordStream('cccccccccccccccc', Date.parse('2030-01-01T12:00:00Z'))
    third.skip(5)
    writer.write('web', 'c1', third.logs(1))
    const gaps = database.sqlite.prepare("SELECT boot, seq, missed FROM history_events WHERE kind = 'gap' ORDER BY id").all()
    expect(gaps).toEqual([
      { boot: 'aaaaaaaaaaaaaaaa', seq: 2, missed: 1 },
      { boot: 'cccccccccccccccc', seq: 0, missed: 5 }
    ])
  })

  it('counts each error occurrence once into its group, keeps the newest text and marks it unread', () => {
    const { writer, database } = setup()
    const stream = new RecordStream()
    const occurrences = [stream.next(errorBody('TypeError: a')), stream.log('between'), stream.next(errorBody('TypeError: b'))]
    expect(writer.write('web', 'c1', occurrences).errors).toEqual(['0123456789abcdef'])
    writer.write('web', 'c1', occurrences)
    const group = database.sqlite.prepare('SELECT count, message, unread, first_seen, last_seen, last_seq FROM error_groups').all()
    expect(group).toEqual([{ count: 2, message: 'TypeError: b', unread: 1, first_seen: Date.parse('2030-01-01T10:00:00.000Z'), last_seen: Date.parse('2030-01-01T10:00:00.002Z'), last_seq: 2 }])
  })

  it('puts state, crash and restart records on the timeline with their fields', () => {
    const { writer, database } = setup()
    const stream = new RecordStream()
    writer.write('web', 'c1', [
      stream.next({ type: 'state', from: null, to: 'idle', reason: 'monitor started (pid 7)' }),
      stream.next({ type: 'crash', exitCode: null, signal: 'SIGKILL', uptimeMs: 1500, run: 1 }),
      stream.next({ type: 'restart', attempt: 2, delayMs: 2000, reason: 'killed by SIGKILL' })
    ])
    const rows = database.sqlite.prepare('SELECT kind, state, signal, attempt, delay_ms AS delay, summary FROM history_events ORDER BY id').all()
    expect(rows).toEqual([
      { kind: 'state', state: 'idle', signal: null, attempt: null, delay: null, summary: 'monitor started (pid 7)' },
      { kind: 'crash', state: null, signal: 'SIGKILL', attempt: null, delay: null, summary: 'crashed, killed by SIGKILL after 1.5 s' },
      { kind: 'restart', state: null, signal: null, attempt: 2, delay: 2000, summary: 'restart 2 in 2.0 s (killed by SIGKILL)' }
    ])
  })

  it('writes nothing of a batch that fails midway (one transaction)', () => {
    const { writer, count, database } = setup()
    const records = new RecordStream().logs(3)
    database.sqlite.exec("CREATE TRIGGER fail_third BEFORE INSERT ON log_lines WHEN new.seq = 2 BEGIN SELECT raise(ABORT, 'disk full'); END")
    expect(() => writer.write('web', 'c1', records)).toThrow(/disk full/)
    expect(count('SELECT count(*) AS n FROM log_lines')).toBe(0)
    expect(writer.cursor('c1')).toBeUndefined()
  })

  it('keeps one entry per unhealthy streak from a monitor that wrote a health record for every failed check', () => {
    const { writer, database } = setup()
    const stream = new RecordStream()
    const health = (ok: boolean, consecutiveFailures: number, run = 1) => stream.next({ type: 'health', ok, port: 3000, consecutiveFailures, run })
    const older = [health(false, 1), health(false, 2), ...Array.from({ length: 40 }, (_, i) => health(false, i + 3)), health(true, 0), health(false, 1), health(false, 2)]
    writer.write('web', 'c1', older.slice(0, 10))
    writer.write('web', 'c1', older.slice(5))
    // A new run's streak is its own; today's monitor writes one record at the threshold, which is kept.
    writer.write('web', 'c1', [health(false, 2, 2), health(true, 0, 2)])
    const rows = database.sqlite.prepare("SELECT run, json_extract(detail, '$.ok') AS ok, json_extract(detail, '$.consecutiveFailures') AS n FROM history_events WHERE kind = 'health' ORDER BY seq").all()
    expect(rows).toEqual([
      { run: 1, ok: 0, n: 1 },
      { run: 1, ok: 1, n: 0 },
      { run: 1, ok: 0, n: 1 },
      { run: 2, ok: 0, n: 2 },
      { run: 2, ok: 1, n: 0 }
    ])
  })
})
