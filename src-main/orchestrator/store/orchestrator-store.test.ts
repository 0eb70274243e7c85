import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { count } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { SyncBatch } from '../../core/contract/sync'
import { startPostgresCluster } from '../../../tests/support/postgres-cluster'
import { batchOf, CONTAINER_B, errorRecord, eventRecord, logBatch, logRecord, tsAt } from '../testing/sync-fixtures'
import { storeBatch, syncDelay } from './batch-store'
import { openOrchestratorDatabase, type DatabaseTarget, type OrchestratorDatabase } from './database'
import { fleetErrors, fleetEvents, fleetHosts, fleetLogs, fleetWorkspaces } from './fleet-queries'
import { addToken, revokeToken, tokenHolder } from './host-tokens'
import { errorOccurrences, events, logLines } from './schema'

// The same suite against a real PostgreSQL server (a private cluster) and the embedded PGlite.
const started = await startPostgresCluster()
if ('unavailable' in started) console.warn(`orchestrator store: the PostgreSQL runs are skipped: ${started.unavailable}`)
afterAll(() => ('cluster' in started ? started.cluster.stop() : undefined))

const postgres = async (): Promise<DatabaseTarget> => ({ url: await (started as Extract<typeof started, { cluster: unknown }>).cluster.createDatabase() })
const drivers: Array<{ driver: string; target: () => Promise<DatabaseTarget>; lasting: () => Promise<DatabaseTarget>; skip: boolean }> = [
  { driver: 'postgres', target: postgres, lasting: postgres, skip: 'unavailable' in started },
  // In memory for speed; in a folder where a test opens the same database twice.
  { driver: 'pglite', target: async () => ({ folder: undefined }), lasting: async () => ({ folder: mkdtempSync(join(tmpdir(), 'sandlot-orch-')) }), skip: false }
]

describe.each(drivers)('orchestrator store on $driver', ({ target, lasting, skip }) => {
  const open = async (): Promise<OrchestratorDatabase> => openOrchestratorDatabase(await target())
  const withDb = (name: string, body: (d: OrchestratorDatabase) => Promise<void>) =>
    it.skipIf(skip)(name, async () => {
      const d = await open()
      try {
        await body(d)
      } finally {
        await d.close()
      }
    }, 60_000)
  const sender = async (d: OrchestratorDatabase, name: string) => {
    const { token } = await addToken(d.db, name, 'host')
    const holder = await tokenHolder(d.db, token)
    if (holder === undefined) throw new Error('token not found')
    return holder
  }
  const counts = async (d: OrchestratorDatabase) => ({
    logs: (await d.db.select({ n: count() }).from(logLines))[0]?.n,
    events: (await d.db.select({ n: count() }).from(events))[0]?.n,
    errors: (await d.db.select({ n: count() }).from(errorOccurrences))[0]?.n
  })

  withDb('stores a batch once: sent again, every record counts as a duplicate', async (d) => {
    const host = await sender(d, 'alice')
    const batch = batchOf([logRecord(0), logRecord(1), eventRecord(2), errorRecord(3, 'fp-1')])
    expect(await storeBatch(d.db, host, batch)).toEqual({ stored: 4, duplicates: 0, host: 'alice' })
    expect(await storeBatch(d.db, host, batch)).toEqual({ stored: 0, duplicates: 4, host: 'alice' })
    // A batch overlapping the last one stores only its new records.
    expect(await storeBatch(d.db, host, batchOf([logRecord(1), logRecord(4)]))).toEqual({ stored: 1, duplicates: 1, host: 'alice' })
    expect(await counts(d)).toEqual({ logs: 3, events: 1, errors: 1 })
  })

  withDb('keys records by host: the same container, boot and seq from two hosts are two records', async (d) => {
    const alice = await sender(d, 'alice')
    const bob = await sender(d, 'bob')
    await storeBatch(d.db, alice, batchOf([logRecord(0)]))
    expect(await storeBatch(d.db, bob, batchOf([logRecord(0)]))).toEqual({ stored: 1, duplicates: 0, host: 'bob' })
    expect((await fleetLogs(d.db, { limit: 10 })).map((l) => l.host).sort()).toEqual(['alice', 'bob'])
  })

  withDb('a batch failing midway stores nothing', async (d) => {
    const host = await sender(d, 'alice')
    // Valid records first, then one the database refuses (a sequence number past PostgreSQL's integer): one transaction, so nothing stays.
    const batch = batchOf([logRecord(0), eventRecord(1), errorRecord(2, 'fp'), logRecord(2 ** 31)], { workspaces: [{ name: 'web', template: 'react', state: 'running', container: null, createdAt: '2026-12-01' }] })
    await expect(storeBatch(d.db, host, batch)).rejects.toThrow()
    expect(await counts(d)).toEqual({ logs: 0, events: 0, errors: 0 })
    expect(await fleetWorkspaces(d.db, { limit: 10 })).toEqual([])
    expect((await fleetHosts(d.db))[0]?.lastContactAt).toBeNull()
  })

  withDb('groups errors by fingerprint across hosts, with counts and first and last seen', async (d) => {
    const alice = await sender(d, 'alice')
    const bob = await sender(d, 'bob')
    await storeBatch(d.db, alice, batchOf([errorRecord(1, 'fp-shared'), errorRecord(5, 'fp-shared'), errorRecord(7, 'fp-alice')]))
    await storeBatch(d.db, bob, batchOf([errorRecord(3, 'fp-shared', { workspace: 'api', container: CONTAINER_B }), errorRecord(9, 'fp-shared', { workspace: 'api', container: CONTAINER_B, message: 'newest wording' })]))
    const groups = await fleetErrors(d.db, { limit: 10 })
    expect(groups.map((g) => g.fingerprint)).toEqual(['fp-shared', 'fp-alice'])
    const shared = groups[0]
    expect(shared).toMatchObject({ count: 4, hosts: ['alice', 'bob'], workspaces: ['api', 'web'], firstSeen: '2026-12-01T12:00:00.010Z', lastSeen: '2026-12-01T12:00:00.090Z' })
    expect(shared?.message).toBe('newest wording')
    expect(await fleetErrors(d.db, { limit: 10, host: 'bob' })).toMatchObject([{ fingerprint: 'fp-shared', count: 2, hosts: ['bob'] }])
  })

  withDb("finds log lines with PostgreSQL's full-text search", async (d) => {
    const host = await sender(d, 'alice')
    await storeBatch(d.db, host, logBatch(0, 100))
    const found = await fleetLogs(d.db, { limit: 500, search: 'ECONNREFUSED' })
    expect(found).toHaveLength(10)
    expect(found.every((l) => l.line.includes('ECONNREFUSED'))).toBe(true)
    expect(await fleetLogs(d.db, { limit: 500, search: 'orders -failed' })).toEqual([])
    expect(await fleetLogs(d.db, { limit: 500, search: '"items 42 404"' })).toEqual([])
    // Words inside a path are found; a quoted phrase keeps its order.
    expect((await fleetLogs(d.db, { limit: 500, search: 'items 42' })).map((l) => l.line)).toEqual(['GET /api/items 42 200'])
    expect((await fleetLogs(d.db, { limit: 500, search: '"/api/orders 30"' })).map((l) => l.line)).toEqual(['GET /api/orders 30 failed: ECONNREFUSED'])
  })

  withDb('keeps each host’s workspaces as last reported, and its contact and newest record', async (d) => {
    const alice = await sender(d, 'alice')
    const ws = (name: string, state: string) => ({ name, template: 'react-vite-ts', state, container: null, createdAt: '2026-12-01T10:00:00.000Z' })
    await storeBatch(d.db, alice, batchOf([logRecord(3)], { workspaces: [ws('web', 'running'), ws('api', 'stopped')] }), new Date(Date.parse(logRecord(3).ts) + 1500))
    const second = new Date(Date.parse(logRecord(3).ts) + 2000)
    await storeBatch(d.db, alice, batchOf([logRecord(1)], { workspaces: [ws('web', 'crashed')] }), second)
    expect((await fleetWorkspaces(d.db, { limit: 10 })).map((w) => [w.host, w.name, w.state])).toEqual([['alice', 'web', 'crashed']])
    const [host] = await fleetHosts(d.db)
    // The newest record stays the newest even when an older one arrives later.
    expect(host).toMatchObject({ name: 'alice', lastContactAt: second.toISOString(), lastRecordTs: logRecord(3).ts, workspaces: 1, agent: 'laptop 0.1.0' })
  })

  withDb('measures each host’s sync delay on the records a batch newly stores, from their own time to their arrival', async (d) => {
    const alice = await sender(d, 'alice')
    expect((await fleetHosts(d.db))[0]?.syncDelay).toBeNull()
    // Records at 0, 20, 30 and 50 ms past the base (tsAt), received 1 s past it: delays 1000, 980, 970 and 950 ms.
    const arrived = new Date(Date.parse(tsAt(0)) + 1000)
    const batch = batchOf([logRecord(0), logRecord(2), eventRecord(3), errorRecord(5, 'fp')])
    await storeBatch(d.db, alice, batch, arrived)
    expect((await fleetHosts(d.db))[0]?.syncDelay).toEqual({ p50Ms: 970, maxMs: 1000, records: 4, receivedAt: arrived.toISOString() })
    // Sent again much later (its acknowledgement was lost): nothing new arrived, so the delay stays that of the first arrival.
    await storeBatch(d.db, alice, batch, new Date(arrived.getTime() + 60_000))
    expect((await fleetHosts(d.db))[0]?.syncDelay).toEqual({ p50Ms: 970, maxMs: 1000, records: 4, receivedAt: arrived.toISOString() })
    // A batch overlapping it counts only its new record; the last contact moves with every batch.
    const later = new Date(Date.parse(tsAt(6)) + 250)
    await storeBatch(d.db, alice, batchOf([logRecord(2), logRecord(6)]), later)
    expect((await fleetHosts(d.db))[0]).toMatchObject({ lastContactAt: later.toISOString(), syncDelay: { p50Ms: 250, maxMs: 250, records: 1, receivedAt: later.toISOString() } })
  })

  withDb('lists events and the desktops’ gaps with what each held, a gap sent twice kept once', async (d) => {
    const alice = await sender(d, 'alice')
    const gap = { workspace: 'web', lines: 40, from: logRecord(0).ts, to: logRecord(9).ts }
    // Timeline entries and errors retention deleted before they were sent (no lines).
    const pruned = { workspace: 'api', lines: 0, events: 3, errors: 2, from: logRecord(12).ts, to: logRecord(14).ts }
    await storeBatch(d.db, alice, batchOf([eventRecord(10), eventRecord(11, { event: 'restart', summary: 'restarting in 1 s' })], { dropped: [gap, pruned] }))
    await storeBatch(d.db, alice, batchOf([], { dropped: [gap] }))
    const { events: list, gaps } = await fleetEvents(d.db, { limit: 10 })
    expect(list.map((e) => e.event)).toEqual(['restart', 'crash'])
    expect(gaps).toEqual([
      { host: 'alice', ...pruned },
      { host: 'alice', ...gap, events: 0, errors: 0 }
    ])
  })

  withDb('keeps a line holding U+0000 (which PostgreSQL text cannot) as U+FFFD instead of refusing the batch', async (d) => {
    const host = await sender(d, 'alice')
    expect(await storeBatch(d.db, host, batchOf([logRecord(0, 'before\u0000after')]))).toMatchObject({ stored: 1 })
    expect((await fleetLogs(d.db, { limit: 1 }))[0]?.line).toBe('before\uFFFDafter')
  })

  withDb('finds token holders by hash; a revoked token is known as revoked; a revoked name gets a new token', async (d) => {
    const { token } = await addToken(d.db, 'alice', 'host')
    expect(await tokenHolder(d.db, token)).toMatchObject({ name: 'alice', role: 'host', revoked: false })
    expect(await tokenHolder(d.db, `${token}x`)).toBeUndefined()
    await expect(addToken(d.db, 'alice', 'host')).rejects.toThrow(/already has a token/)
    await revokeToken(d.db, 'alice')
    expect(await tokenHolder(d.db, token)).toMatchObject({ revoked: true })
    const again = await addToken(d.db, 'alice', 'host')
    expect(await tokenHolder(d.db, again.token)).toMatchObject({ name: 'alice', revoked: false })
    expect(await tokenHolder(d.db, token)).toBeUndefined()
  })

  it.skipIf(skip)('applies migrations once and keeps the data: a second open applies none', async () => {
    const t = await lasting()
    const first = await openOrchestratorDatabase(t)
    await storeBatch(first.db, await sender(first, 'alice'), logBatch(0, 5))
    await first.close()
    const second = await openOrchestratorDatabase(t)
    try {
      expect(first.applied).toEqual(['0000_initial', '0001_sync_delay', '0002_dropped_records'])
      expect(second.applied).toEqual([])
      expect((await counts(second)).logs).toBe(5)
    } finally {
      await second.close()
      if ('folder' in t && t.folder !== undefined) rmSync(t.folder, { recursive: true, force: true })
    }
  }, 60_000)
})

it('the wire contract refuses malformed batches before the store sees them', () => {
  expect(SyncBatch.safeParse(batchOf([{ ...logRecord(0), seq: -1 }])).success).toBe(false)
  expect(SyncBatch.safeParse({ ...batchOf([logRecord(0)]), host: 'bob' }).success).toBe(false)
})

it('a sync delay is the lower median and the largest of the records’ delays; a record stamped after its arrival counts as 0', () => {
  expect(syncDelay(1000, [])).toBeUndefined()
  expect(syncDelay(1000, [900, 100, 500, 700])).toEqual({ p50Ms: 300, maxMs: 900, records: 4 })
  expect(syncDelay(1000, [1200, 400, 990])).toEqual({ p50Ms: 10, maxMs: 600, records: 3 })
})
