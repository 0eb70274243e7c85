import { afterEach, describe, expect, it } from 'vitest'
import { SyncReceiver } from '../../../tests/support/sync-receiver'
import { waitFor } from '../../../tests/support/wait'
import type { SyncStatus } from '../contract'
import { backoffDelay } from '../engine/backoff'
import { HistoryWriter } from '../history/history-writer'
import { errorBody, RecordStream, testDatabases } from '../history/testing/records'
import { SyncOutbox } from './sync-outbox'
import { SYNC_TIMING, SyncService } from './sync-service'

const fresh = testDatabases()
const C1 = 'c'.repeat(64)
const FAST = { sendAfterMs: 20, pollMs: 30, workspacesSettleMs: 5, backoff: { initialMs: 20, maxMs: 80, factor: 2, jitter: 0.5 } }

const running: { services: SyncService[]; receivers: SyncReceiver[] } = { services: [], receivers: [] }
afterEach(async () => {
  for (const service of running.services.splice(0)) await service.stop()
  for (const receiver of running.receivers.splice(0)) await receiver.stop()
})

async function setup(options: { token?: string; maxWaitingLines?: number } = {}) {
  const { database } = fresh()
  const receiver = await new SyncReceiver().start()
  running.receivers.push(receiver)
  const writer = new HistoryWriter(database.sqlite, () => 0)
  const outbox = new SyncOutbox(database.sqlite, options)
  const settings = { url: receiver.url, token: options.token ?? receiver.token }
  const statuses: SyncStatus[] = []
  const workspaces = [{ name: 'web', template: 'node-api', state: 'ready', container: C1, createdAt: '2030-01-01T09:00:00.000Z' }]
  const service = new SyncService({
    outbox,
    settings: () => settings,
    workspaces: async () => workspaces,
    agent: { hostname: 'desk', version: '0.0.0-test' },
    onStatus: (s) => statuses.push(s),
    timing: FAST
  })
  running.services.push(service)
  const stream = new RecordStream()
  const write = (n: number, prefix = 'line') => {
    const stored = writer.write('web', C1, stream.logs(n, prefix))
    service.nudge(stored.lines.length)
  }
  return { database, receiver, outbox, service, settings, statuses, write, writer, stream, workspaces }
}

describe('SyncService', () => {
  it('sends every record once, with the workspace list, and leaves nothing waiting', async () => {
    const { receiver, service, write, writer, stream } = await setup()
    service.start()
    write(1200)
    writer.write('web', C1, [stream.next(errorBody('boom'))])
    await waitFor('every record stored', () => receiver.records.size === 1201)
    await waitFor('nothing waiting', () => service.status().waiting === 0)
    expect(receiver.duplicates).toBe(0)
    expect(receiver.stored('error')).toHaveLength(1)
    expect(receiver.workspaceLists).toEqual([[expect.objectContaining({ name: 'web', state: 'ready' })]])
    expect(service.status()).toMatchObject({ enabled: true, waiting: 0, lagMs: 0, lastError: null, lastAckAt: expect.any(String) })
    // Batches hold at most MAX_SYNC_RECORDS.
    expect(Math.max(...receiver.requests.map((r) => r.records))).toBeLessThanOrEqual(2000)
  })

  it('retries with backoff while the orchestrator answers 5xx or is away, then sends all of it once', async () => {
    const { receiver, service, write, statuses } = await setup()
    receiver.refuse(503, 3)
    service.start()
    write(50)
    await waitFor('stored after three refusals', () => receiver.records.size === 50)
    expect(receiver.requests.slice(0, 3).map((r) => r.status)).toEqual([503, 503, 503])
    // A refused batch is sent again as the same batch.
    expect(new Set(receiver.requests.slice(0, 4).map((r) => r.batch)).size).toBe(1)
    expect(statuses.some((s) => s.lastError?.message.includes('503'))).toBe(true)
    // Stored there, then acknowledged here (the answer takes a moment to come back).
    await waitFor('acknowledged', () => service.status().waiting === 0)
    expect(service.status().lastError).toBeNull()

    await receiver.stop()
    write(30, 'offline')
    await waitFor('the outage in the status', () => /could not be reached: ECONNREFUSED/.test(service.status().lastError?.message ?? ''))
    expect(service.status().waiting).toBe(30)
    await receiver.start()
    await waitFor('stored after the outage', () => receiver.records.size === 80)
    expect(receiver.duplicates).toBe(0)
  })

  it('stops on 401 and says what to do; a new token starts it again', async () => {
    const { receiver, service, write, settings } = await setup({ token: 'a-wrong-token-123' })
    service.start()
    write(10)
    await waitFor('the refusal in the status', () => service.status().lastError?.message.includes('refused this desktop’s token'))
    expect(service.status().lastError?.hint).toContain('sandlot config set sync.token')
    const refused = receiver.requests.length
    write(600)
    // Many records waiting would send at once; a stopped loop sends nothing (one poll period and more later).
    await new Promise((resolve) => setTimeout(resolve, FAST.pollMs * 5))
    expect(receiver.requests.length).toBe(refused)
    settings.token = receiver.token
    service.reconfigure()
    await waitFor('stored with the new token', () => receiver.records.size === 610)
  })

  it('stops on 400 and records why instead of sending the same batch for ever; new settings retry', async () => {
    const { receiver, service, write } = await setup()
    receiver.refuse(400, 1)
    service.start()
    write(5)
    await waitFor('the refusal in the status', () => service.status().lastError?.message.includes('malformed'))
    expect(receiver.requests.map((r) => r.status)).toEqual([400])
    service.reconfigure()
    await waitFor('stored on the retry', () => receiver.records.size === 5)
  })

  it('splits batches the orchestrator finds too large (413), and skips a single record it can never take', async () => {
    const { receiver, service, write, writer, stream, statuses } = await setup()
    write(400)
    receiver.maxBodyBytes = 20_000
    service.start()
    await waitFor('stored in smaller batches', () => receiver.records.size === 400)
    expect(receiver.requests.some((r) => r.status === 413)).toBe(true)
    expect(receiver.requests.filter((r) => r.status === 200).every((r) => r.bytes <= 20_000)).toBe(true)
    expect(receiver.duplicates).toBe(0)

    writer.write('web', C1, [stream.log('x'.repeat(30_000))])
    write(3, 'after')
    await waitFor('the lines after the huge one stored', () => receiver.records.size === 403)
    // Said in the status until the next batch is acknowledged.
    expect(statuses.some((s) => /too large.*a single record.*skipped/.test(s.lastError?.message ?? ''))).toBe(true)
  })

  it('sends the skipped oldest lines of a full outbox as a gap', async () => {
    const { receiver, service, write } = await setup({ maxWaitingLines: 100 })
    write(250)
    service.start()
    await waitFor('the newest lines stored', () => receiver.records.size === 100)
    expect(receiver.drops).toEqual([expect.objectContaining({ workspace: 'web', lines: 150 })])
    expect(service.status().droppedLines).toBe(150)
  })

  it('resumes after a restart from what the orchestrator acknowledged', async () => {
    const first = await setup()
    first.service.start()
    first.write(300)
    await waitFor('first part stored', () => first.receiver.records.size === 300)
    await waitFor('and acknowledged', () => first.service.status().waiting === 0)
    await first.service.stop()
    first.write(200, 'while stopped')
    const again = new SyncService({
      outbox: new SyncOutbox(first.database.sqlite),
      settings: () => first.settings,
      workspaces: async () => first.workspaces,
      agent: { hostname: 'desk', version: '0.0.0-test' },
      timing: FAST
    })
    running.services.push(again)
    again.start()
    await waitFor('the rest stored', () => first.receiver.records.size === 500)
    expect(first.receiver.duplicates).toBe(0)
  })

  it('sends from one process at a time: two senders on one data folder deliver each record and each drop once', async () => {
    const first = await setup({ maxWaitingLines: 100 })
    const second = new SyncService({
      outbox: new SyncOutbox(first.database.sqlite, { maxWaitingLines: 100 }),
      settings: () => first.settings,
      workspaces: async () => first.workspaces,
      agent: { hostname: 'desk', version: '0.0.0-test' },
      timing: FAST
    })
    running.services.push(second)
    first.write(250)
    first.service.start()
    second.start()
    await waitFor('the newest lines stored', () => first.receiver.records.size === 100 && first.receiver.drops.length > 0)
    first.write(50, 'more')
    await waitFor('the rest stored', () => first.receiver.records.size === 150)
    expect(first.receiver.duplicates).toBe(0)
    expect(first.receiver.drops.reduce((sum, drop) => sum + drop.lines, 0)).toBe(150)
    // The sender stops: the other takes over at once.
    await first.service.stop()
    first.write(20, 'after')
    await waitFor('sent by the other', () => first.receiver.records.size === 170)
  })

  it('is off without both settings, and says which one is missing', async () => {
    const { service, settings, receiver } = await setup()
    const half: { url?: string; token?: string } = settings
    delete half.token
    service.start()
    expect(service.status()).toMatchObject({ enabled: false, url: receiver.url, lastError: { message: expect.stringContaining('sync.token is not') } })
  })
})

describe('sync backoff', () => {
  it('grows exponentially to its cap with jitter of at most half either way', () => {
    const backoff = SYNC_TIMING.backoff
    for (const attempt of [0, 1, 2, 3, 4, 5, 6, 10]) {
      const nominal = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt)
      const low = backoffDelay(attempt, backoff, () => 0)
      const high = backoffDelay(attempt, backoff, () => 0.999999)
      expect(low).toBe(Math.round(nominal / 2))
      expect(high).toBeLessThanOrEqual(backoff.maxMs)
      expect(high).toBeGreaterThanOrEqual(Math.min(backoff.maxMs, Math.round(nominal * 1.49)))
    }
    expect(backoffDelay(30, backoff, () => 0.5)).toBe(backoff.maxMs)
  })
})
