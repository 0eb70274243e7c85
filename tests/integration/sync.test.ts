import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HistoryRetention } from '../../src-main/core/history/retention'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { monitoredWorkspace, startApp } from '../support/history-fixtures'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { tempSandlotHome } from '../support/run-cli'
import { SyncReceiver } from '../support/sync-receiver'
import { checksum, desktopRecords, receivedText } from '../support/sync-records'
import { waitFor } from '../support/wait'

// Prints LINES lines in bursts, then crashes with a TypeError on its first run; the second run prints as many and
// ends with `done`, then stays up. So the history holds lines, an error, a crash, a restart and state changes.
const LINES = 1500
const APP = `
const fs = require('fs')
const run = (fs.existsSync('/tmp/runs') ? Number(fs.readFileSync('/tmp/runs', 'utf8')) : 0) + 1
fs.writeFileSync('/tmp/runs', String(run))
let i = 0
function burst() {
  for (let k = 0; k < 50 && i < ${LINES}; k++, i++) console.log('run ' + run + ' line ' + i)
  if (i < ${LINES}) return setTimeout(burst, 100)
  if (run === 1) { const config = undefined; console.log(config.port) }
  console.log('done')
  setInterval(() => {}, 60000)
}
burst()
`
const TIMING = { sendAfterMs: 200, pollMs: 200, backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 } }

const home = tempSandlotHome()
const name = `sync-${Math.random().toString(16).slice(2, 8)}`
const receiver = new SyncReceiver()
let core: SandlotCore
let container: Dockerode.Container
let tag: string

const open = (): SandlotCore => openSandlotCore({ home, syncTiming: TIMING })

beforeAll(async () => {
  await receiver.start()
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ pool: { size: 0 }, sync: { url: receiver.url, token: receiver.token } }))
  core = open()
  tag = (await core.api.call('image.build', { base: testBaseImage() })).tag
  // The orchestrator answers 503 at first: the desktop stores and waits.
  receiver.refuse(503)
  core.startBackgroundWork()
  container = await monitoredWorkspace(core, tag, name, APP)
  await startApp(container, '--backoff-initial', '300ms')
})

afterAll(async () => {
  try {
    await removeInstanceObjects(core.engine.connection.docker, core.instanceId)
  } finally {
    core.close()
    await receiver.stop()
  }
})

describe('sync to an orchestrator (a loopback receiver) with a real engine', () => {
  it('delivers every record once across refusals, an outage and a restart of the desktop core mid-sync', async () => {
    await waitFor('lines stored while the orchestrator refuses', () => desktopRecords(core).size >= 300 && receiver.requests.filter((r) => r.status === 503).length >= 2)
    expect(receiver.records.size).toBe(0)
    expect((await core.api.call('sync.status', {})).lastError?.message).toContain('503')

    receiver.accept()
    await waitFor('part of it delivered', () => receiver.records.size >= 200)
    // The desktop goes away mid-sync (the app printing on), and the orchestrator with it.
    core.close()
    const deliveredAtClose = receiver.records.size
    await receiver.stop()

    core = open()
    core.startBackgroundWork()
    await waitFor('the outage in the status', async () => /ECONNREFUSED/.test((await core.api.call('sync.status', {})).lastError?.message ?? ''))
    await receiver.start()

    await waitFor('the second run done and stored', () => [...desktopRecords(core).values()].some((text) => text.endsWith('|done')))
    await waitFor('nothing waiting', async () => (await core.api.call('sync.status', {})).waiting === 0 && receiver.records.size === desktopRecords(core).size)

    const desktop = desktopRecords(core)
    const received = new Map([...receiver.records].map(([key, record]) => [key, receivedText(record)]))
    expect(deliveredAtClose).toBeLessThan(desktop.size)
    expect(received.size).toBe(desktop.size)
    expect(checksum(received)).toBe(checksum(desktop))
    // Both runs' lines, the error and the crash made it.
    expect(receiver.stored('log').length).toBeGreaterThanOrEqual(2 * LINES + 1)
    expect(receiver.stored('error').some((r) => r.kind === 'error' && /Cannot read properties of undefined/.test(r.message) && r.category === 'runtime')).toBe(true)
    expect(receiver.stored('event').some((r) => r.kind === 'event' && r.event === 'crash' && r.exitCode === 1)).toBe(true)
    expect(receiver.workspaceLists.at(-1)).toEqual(expect.arrayContaining([expect.objectContaining({ name, container: container.id })]))
    const status = await core.api.call('sync.status', {})
    expect(status).toMatchObject({ enabled: true, waiting: 0, lagMs: 0, droppedLines: 0, droppedEvents: 0, droppedErrors: 0, lastError: null, lastAckAt: expect.any(String) })
    // Sent twice (a batch whose answer the restart cut off) is fine: stored once, as the orchestrator does.
    console.log(`sync: ${desktop.size} records, ${receiver.requests.length} requests, ${receiver.duplicates} duplicates`)
  })

  it('delivers every record once when `sandlot serve` is killed (SIGKILL) mid-sync and started again', async () => {
    // From here `sandlot serve` ingests and sends; this process only reads the database.
    core.close()
    core = open()
    const second = await monitoredWorkspace(core, tag, `${name}-b`, APP)
    await startApp(second, '--backoff-initial', '300ms')
    const before = receiver.records.size
    let serve = startServe()
    await waitFor('part of the new records delivered', () => receiver.records.size >= before + 200, 60_000)
    serve.kill('SIGKILL')
    await new Promise((resolve) => serve.once('exit', resolve))
    const deliveredAtKill = receiver.records.size
    serve = startServe()
    try {
      await waitFor('the second workspace done and stored', () => core.database.sqlite.prepare("SELECT 1 FROM log_lines WHERE container = ? AND line = 'done'").get(second.id) !== undefined)
      await waitFor('everything delivered', async () => (await core.api.call('sync.status', {})).waiting === 0 && receiver.records.size === desktopRecords(core).size)
    } finally {
      const exited = new Promise((resolve) => serve.once('exit', resolve))
      serve.kill('SIGTERM')
      await exited
    }
    const desktop = desktopRecords(core)
    expect(deliveredAtKill).toBeLessThan(desktop.size)
    const received = new Map([...receiver.records].map(([key, record]) => [key, receivedText(record)]))
    expect(received.size).toBe(desktop.size)
    expect(checksum(received)).toBe(checksum(desktop))
    console.log(`sync after SIGKILL: ${desktop.size} records in all, ${receiver.duplicates} sent twice (stored once)`)
  })

  it('reports the timeline entries and errors retention deleted before they were sent as a gap, with their counts', async () => {
    // Sync down while a workspace crashes and restarts: its events and error wait in the outbox.
    receiver.refuse(503)
    core.close()
    core = open()
    core.startBackgroundWork()
    const third = await monitoredWorkspace(core, tag, `${name}-c`, APP)
    await startApp(third, '--backoff-initial', '300ms')
    await waitFor('the third workspace crashed, restarted and done', () => core.database.sqlite.prepare("SELECT 1 FROM log_lines WHERE container = ? AND line = 'done'").get(third.id) !== undefined, 60_000)
    // Quiet from here (no ingest, no sending), so the counts below are exact.
    core.close()
    core = open()
    const sqlite = core.database.sqlite
    const unsent = (table: string, cursor: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE id > (SELECT ${cursor} FROM sync_state WHERE id = 1)`).get() as { n: number }).n
    const events = unsent('history_events', 'event_id')
    const errors = unsent('error_occurrences', 'error_id')
    expect(events).toBeGreaterThanOrEqual(2)
    expect(errors).toBeGreaterThanOrEqual(1)
    const before = await core.api.call('sync.status', {})
    // A year later, with events and errors kept 1 day: retention deletes them all, sent or not.
    await new HistoryRetention(sqlite, () => ({ logLinesPerWorkspace: 200_000, logDays: 3650, eventDays: 1 }), () => Date.now() + 365 * 86_400_000).prune()
    expect(await core.api.call('sync.status', {})).toMatchObject({ droppedEvents: before.droppedEvents + events, droppedErrors: before.droppedErrors + errors, droppedLines: before.droppedLines })

    const dropsBefore = receiver.drops.length
    receiver.accept()
    core.startBackgroundWork()
    await waitFor('everything delivered', async () => (await core.api.call('sync.status', {})).waiting === 0 && sqlite.prepare('SELECT 1 FROM sync_drops').get() === undefined)
    const gaps = receiver.drops.slice(dropsBefore)
    expect(gaps.reduce((sum, d) => sum + (d.events ?? 0), 0)).toBe(events)
    expect(gaps.reduce((sum, d) => sum + (d.errors ?? 0), 0)).toBe(errors)
    expect(gaps.map((d) => d.workspace)).toContain(`${name}-c`)
    // Its log lines were kept, and went.
    expect(receiver.stored('log').filter((r) => r.container === third.id && r.kind === 'log' && r.line === 'done')).toHaveLength(1)
  })
})

function startServe(): ChildProcess {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'sandlot.js'), 'serve', '--port', '0', '--json'], {
    env: { ...process.env, SANDLOT_HOME: home },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => process.stderr.write(`[serve] ${chunk}`))
  return child
}
