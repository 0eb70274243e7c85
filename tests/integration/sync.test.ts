import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
    expect(status).toMatchObject({ enabled: true, waiting: 0, lagMs: 0, droppedLines: 0, lastError: null, lastAckAt: expect.any(String) })
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
})

function startServe(): ChildProcess {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'sandlot.js'), 'serve', '--port', '0', '--json'], {
    env: { ...process.env, SANDLOT_HOME: home },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => process.stderr.write(`[serve] ${chunk}`))
  return child
}
