import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { HistoryWriter } from '../history/history-writer'
import { HistoryRetention } from '../history/retention'
import { errorBody, RecordStream, testDatabases } from '../history/testing/records'
import { SyncDrop } from '../contract'
import { openDatabase } from '../store/database'
import { SyncOutbox } from './sync-outbox'

const fresh = testDatabases()
const C1 = 'a'.repeat(64)
const C2 = 'b'.repeat(64)
const URL_A = 'https://orchestrator.example'
const ALL = { maxRecords: 2000, maxBytes: 2 * 1024 * 1024 }

function setup(options: { maxWaitingLines?: number; now?: () => number } = {}) {
  const { database, count } = fresh()
  const writer = new HistoryWriter(database.sqlite, () => 0)
  const outbox = new SyncOutbox(database.sqlite, options)
  outbox.target(URL_A)
  return { database, count, writer, outbox }
}

describe('SyncOutbox', () => {
  it('reads every stored record once, in row order per table, and moves on only after an acknowledgement', () => {
    const { writer, outbox } = setup()
    const stream = new RecordStream()
    writer.write('web', C1, [...stream.logs(3), stream.next(errorBody('TypeError: x is undefined')), stream.next({ type: 'ready', run: 1, via: 'port', port: 3000, elapsedMs: 800 })])
    const first = outbox.next(URL_A, ALL)
    expect(first?.records.map((r) => [r.kind, r.seq])).toEqual([
      ['error', 3],
      ['event', 4],
      ['log', 0],
      ['log', 1],
      ['log', 2]
    ])
    // Not acknowledged: the same batch again, with the same id.
    expect(outbox.next(URL_A, ALL)).toEqual(first)
    outbox.acknowledge(first!)
    expect(outbox.next(URL_A, ALL)).toBeUndefined()
    writer.write('web', C1, stream.logs(2, 'more'))
    const second = outbox.next(URL_A, ALL)
    expect(second?.records.map((r) => (r.kind === 'log' ? r.line : r.kind))).toEqual(['more 0', 'more 1'])
    expect(second?.id).not.toBe(first?.id)
  })

  it('gives errors with their group’s category, severity, message and place, and events with their fields', () => {
    const { writer, outbox } = setup()
    const stream = new RecordStream()
    writer.write('web', C1, [stream.next(errorBody('RangeError: too deep', 'ffffeeeeddddcccc')), stream.next({ type: 'crash', run: 1, exitCode: 1, signal: null, uptimeMs: 1200 })])
    const records = outbox.next(URL_A, ALL)!.records
    expect(records[0]).toEqual({
      kind: 'error',
      workspace: 'web',
      container: C1,
      boot: stream.boot,
      seq: 0,
      ts: '2030-01-01T10:00:00.000Z',
      fingerprint: 'ffffeeeeddddcccc',
      category: 'runtime',
      severity: 'error',
      message: 'RangeError: too deep',
      file: '/app/app.js',
      line: 3,
      column: 7,
      stack: 'RangeError: too deep\n    at /app/app.js:3:7'
    })
    expect(records[1]).toMatchObject({ kind: 'event', event: 'crash', seq: 1, exitCode: 1, signal: null, run: 1, summary: expect.stringContaining('exited with code 1') })
  })

  it('cuts batches by count and by bytes, each table a prefix in row order, and says when more wait', () => {
    const { writer, outbox } = setup()
    const stream = new RecordStream()
    writer.write('web', C1, stream.logs(10))
    const byCount = outbox.next(URL_A, { maxRecords: 4, maxBytes: ALL.maxBytes })!
    expect(byCount.records.map((r) => r.seq)).toEqual([0, 1, 2, 3])
    expect(byCount.full).toBe(true)
    outbox.acknowledge(byCount)
    const oneSize = JSON.stringify(byCount.records[0]).length + 1
    const byBytes = outbox.next(URL_A, { maxRecords: 100, maxBytes: oneSize * 2 + 5 })!
    expect(byBytes.records.map((r) => r.seq)).toEqual([4, 5])
    expect(byBytes.full).toBe(true)
    outbox.acknowledge(byBytes)
    const rest = outbox.next(URL_A, ALL)!
    expect(rest.records.map((r) => r.seq)).toEqual([6, 7, 8, 9])
    expect(rest.full).toBe(false)
  })

  it('stays bounded: past the limit the oldest unsent log lines are skipped as a drop per workspace, never errors or events', () => {
    const { writer, outbox, database } = setup({ maxWaitingLines: 5 })
    const web = new RecordStream()
    const api = new RecordStream('c0c0c0c0c0c0c0c0', Date.parse('2030-01-01T12:00:00.000Z'))
    writer.write('web', C1, [...web.logs(4), web.next(errorBody('boom'))])
    writer.write('api', C2, api.logs(4))
    writer.write('web', C1, web.logs(3, 'late'))
    const batch = outbox.next(URL_A, ALL)!
    // 11 lines waited, 5 may: the 6 oldest (4 of web, 2 of api) went; the error stayed.
    expect(batch.records.filter((r) => r.kind === 'log').map((r) => `${r.workspace} ${(r as { line: string }).line}`)).toEqual(['api line 2', 'api line 3', 'web late 0', 'web late 1', 'web late 2'])
    expect(batch.records.filter((r) => r.kind === 'error')).toHaveLength(1)
    expect(batch.dropped).toEqual([
      { workspace: 'api', lines: 2, from: '2030-01-01T12:00:00.000Z', to: '2030-01-01T12:00:00.001Z' },
      { workspace: 'web', lines: 4, from: '2030-01-01T10:00:00.000Z', to: '2030-01-01T10:00:00.003Z' }
    ])
    expect(outbox.status({ url: URL_A, enabled: true }).droppedLines).toBe(6)
    outbox.acknowledge(batch)
    expect(database.sqlite.prepare('SELECT count(*) AS n FROM sync_drops').get()).toEqual({ n: 0 })
    expect(outbox.next(URL_A, ALL)).toBeUndefined()
    // The count is kept for the status after the drops went out.
    expect(outbox.status({ url: URL_A, enabled: true }).droppedLines).toBe(6)
  })

  it('counts unsent lines that retention deletes as dropped, and sent ones not', async () => {
    const { writer, outbox, database } = setup()
    const stream = new RecordStream()
    writer.write('web', C1, stream.logs(3))
    outbox.acknowledge(outbox.next(URL_A, ALL)!)
    writer.write('web', C1, stream.logs(4, 'unsent'))
    // Keep 1000 lines per workspace at the least; 2 days: every line of 2030 is old at 2031.
    const retention = new HistoryRetention(database.sqlite, () => ({ logLinesPerWorkspace: 1000, logDays: 1, eventDays: 90 }), () => Date.parse('2031-01-01T00:00:00Z'))
    expect(await retention.pruneLogs('web')).toBe(7)
    const batch = outbox.next(URL_A, ALL)!
    expect(batch.records).toEqual([])
    expect(batch.dropped).toEqual([{ workspace: 'web', lines: 4, from: '2030-01-01T10:00:00.003Z', to: '2030-01-01T10:00:00.006Z' }])
    expect(outbox.status({ url: URL_A, enabled: true }).droppedLines).toBe(4)
  })

  it('reports unsent timeline entries and error occurrences that retention deletes as a gap with their counts, once; sent ones not', async () => {
    const { writer, outbox, database, count } = setup()
    const web = new RecordStream()
    const api = new RecordStream('c0c0c0c0c0c0c0c0', Date.parse('2030-01-01T12:00:00.000Z'))
    const crash = { type: 'crash', run: 1, exitCode: 1, signal: null, uptimeMs: 1200 } as const
    const restart = { type: 'restart', attempt: 1, delayMs: 10, reason: 'crashed' } as const
    writer.write('web', C1, [web.next(errorBody('sent')), web.next(restart)])
    outbox.acknowledge(outbox.next(URL_A, ALL)!)
    // Sync down from here on: two errors and two timeline entries of web and a crash of api wait, with two lines.
    writer.write('web', C1, [web.next(errorBody('unsent 1')), web.next(errorBody('unsent 2')), web.next(crash), web.next(restart), ...web.logs(2)])
    writer.write('api', C2, [api.next(crash)])
    // A year later, events and errors are past their 1 day; log lines (10 years) are kept.
    const retention = new HistoryRetention(database.sqlite, () => ({ logLinesPerWorkspace: 1000, logDays: 3650, eventDays: 1 }), () => Date.parse('2031-01-01T00:00:00Z'))
    await retention.prune()
    expect(count('SELECT count(*) AS n FROM history_events') + count('SELECT count(*) AS n FROM error_occurrences')).toBe(0)
    const batch = outbox.next(URL_A, ALL)!
    expect(batch.records.map((r) => `${r.kind} ${r.seq}`)).toEqual(['log 6', 'log 7'])
    expect(batch.dropped).toEqual([
      { workspace: 'api', lines: 0, events: 1, from: '2030-01-01T12:00:00.000Z', to: '2030-01-01T12:00:00.000Z' },
      { workspace: 'web', lines: 0, events: 2, errors: 2, from: '2030-01-01T10:00:00.002Z', to: '2030-01-01T10:00:00.005Z' }
    ])
    // The wire contract takes them (and still takes a drop of lines alone, as an older orchestrator knows it).
    for (const drop of batch.dropped) expect(SyncDrop.safeParse(drop).success).toBe(true)
    expect(SyncDrop.safeParse({ workspace: 'web', lines: 0, from: '2030-01-01T10:00:00.002Z', to: '2030-01-01T10:00:00.005Z' }).success).toBe(false)
    expect(outbox.status({ url: URL_A, enabled: true })).toMatchObject({ droppedLines: 0, droppedEvents: 3, droppedErrors: 2 })
    // Another error deleted while the batch is out stays for the next one.
    writer.write('web', C1, [web.next(errorBody('late'))])
    await new HistoryRetention(database.sqlite, () => ({ logLinesPerWorkspace: 1000, logDays: 3650, eventDays: 1 }), () => Date.parse('2031-01-01T00:00:00Z')).prune()
    outbox.acknowledge(batch)
    expect(outbox.next(URL_A, ALL)!.dropped).toEqual([{ workspace: 'web', lines: 0, errors: 1, from: '2030-01-01T10:00:00.002Z', to: '2030-01-01T10:00:00.008Z' }])
  })

  it('reports the unsent records `rm --purge` deletes, and not a drop for what was sent', async () => {
    const { writer, outbox, database } = setup()
    const stream = new RecordStream()
    writer.write('web', C1, [...stream.logs(2), stream.next(errorBody('sent'))])
    outbox.acknowledge(outbox.next(URL_A, ALL)!)
    writer.write('web', C1, [stream.next(errorBody('unsent')), stream.next({ type: 'crash', run: 1, exitCode: 1, signal: null, uptimeMs: 5 }), ...stream.logs(3, 'unsent')])
    await new HistoryRetention(database.sqlite, () => ({ logLinesPerWorkspace: 1000, logDays: 14, eventDays: 90 })).purge('web')
    expect(outbox.next(URL_A, ALL)!.dropped).toEqual([{ workspace: 'web', lines: 3, events: 1, errors: 1, from: '2030-01-01T10:00:00.003Z', to: '2030-01-01T10:00:00.007Z' }])
    expect(outbox.status({ url: URL_A, enabled: true })).toMatchObject({ droppedLines: 3, droppedEvents: 1, droppedErrors: 1 })
  })

  it('resumes after a restart from what was acknowledged, in the same database file', () => {
    const { writer, outbox, database } = setup()
    const stream = new RecordStream()
    writer.write('web', C1, stream.logs(6))
    outbox.acknowledge(outbox.next(URL_A, { maxRecords: 4, maxBytes: ALL.maxBytes })!)
    const file = database.sqlite.name
    database.close()
    const reopened = openDatabase({ file, backupsDir: `${file}.backups` })
    try {
      const again = new SyncOutbox(reopened.sqlite)
      again.target(URL_A)
      expect(again.next(URL_A, ALL)!.records.map((r) => r.seq)).toEqual([4, 5])
    } finally {
      reopened.close()
    }
  })

  it('starts again from the first row for another URL, and ignores an acknowledgement meant for the old one', () => {
    const { writer, outbox } = setup()
    writer.write('web', C1, new RecordStream().logs(3))
    const old = outbox.next(URL_A, ALL)!
    outbox.target('https://elsewhere.example')
    outbox.acknowledge(old)
    expect(outbox.next('https://elsewhere.example', ALL)!.records).toHaveLength(3)
    expect(outbox.next(URL_A, ALL)).toBeUndefined()
  })

  it('says how many records wait and how late the oldest is, and the last error until an acknowledgement', () => {
    let now = Date.parse('2030-01-01T10:00:05.000Z')
    const { writer, outbox } = setup({ now: () => now })
    expect(outbox.status({ url: URL_A, enabled: true })).toEqual({ enabled: true, url: URL_A, lastAckAt: null, waiting: 0, lagMs: 0, droppedLines: 0, droppedEvents: 0, droppedErrors: 0, lastError: null })
    const stream = new RecordStream()
    writer.write('web', C1, [...stream.logs(2), stream.next(errorBody('boom'))])
    expect(outbox.status({ url: URL_A, enabled: true })).toMatchObject({ waiting: 3, lagMs: 5000 })
    outbox.recordError(URL_A, { message: 'down', hint: 'wait' })
    expect(outbox.status({ url: URL_A, enabled: true }).lastError).toEqual({ at: '2030-01-01T10:00:05.000Z', message: 'down', hint: 'wait' })
    now += 1000
    outbox.acknowledge(outbox.next(URL_A, ALL)!)
    expect(outbox.status({ url: URL_A, enabled: true })).toMatchObject({ waiting: 0, lagMs: 0, lastAckAt: '2030-01-01T10:00:06.000Z', lastError: null })
    expect(outbox.status({ url: undefined, enabled: false })).toMatchObject({ enabled: false, url: null, waiting: 0, lastAckAt: null })
  })

  it('skips rows that do not fit the wire contract instead of sending them for ever', () => {
    const { writer, outbox } = setup()
    // Not a container id the contract takes (hex): such a row could never be stored by an orchestrator.
    writer.write('web', 'not-hex', new RecordStream().logs(2))
    writer.write('web', C1, new RecordStream('dddddddddddddddd').logs(1))
    const batch = outbox.next(URL_A, ALL)!
    expect(batch.invalid).toBe(2)
    expect(batch.records.map((r) => r.container)).toEqual([C1])
    outbox.acknowledge(batch)
    expect(outbox.next(URL_A, ALL)).toBeUndefined()
  })

  it('sends the workspace list when its hash differs from the one acknowledged', () => {
    const { outbox } = setup()
    const list = { list: [{ name: 'web', template: 'node-api', state: 'ready', container: C1, createdAt: '2030-01-01T09:00:00.000Z' }], hash: 'h1' }
    const batch = outbox.next(URL_A, ALL, list)!
    expect(batch.workspaces).toEqual(list)
    outbox.acknowledge(batch)
    expect(outbox.next(URL_A, ALL, list)).toBeUndefined()
    expect(outbox.next(URL_A, ALL, { ...list, hash: 'h2' })?.workspaces?.hash).toBe('h2')
  })
})

describe('the sender lease', () => {
  it('lets one process send at a time, renews for its holder, and passes on when it ends, is released or its process is gone', () => {
    let now = 1000
    const { outbox } = setup({ now: () => now })
    const me = `${hostname()}:${process.pid}/aaaa`
    const other = `${hostname()}:${process.pid}/bbbb`
    expect(outbox.lease(me, 100)).toBe(true)
    expect(outbox.lease(other, 100)).toBe(false)
    expect(outbox.lease(me, 100)).toBe(true)
    now += 101
    expect(outbox.lease(other, 100)).toBe(true)
    outbox.release(other)
    expect(outbox.lease(me, 100)).toBe(true)
    // A holder whose process is gone (no such pid here) gives way before its lease ends.
    const gone = `${hostname()}:99999999/cccc`
    outbox.release(me)
    expect(outbox.lease(gone, 100_000)).toBe(true)
    expect(outbox.lease(me, 100)).toBe(true)
  })
})
