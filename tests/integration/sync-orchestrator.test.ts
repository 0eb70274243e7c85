import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { openOrchestratorDatabase, type DatabaseTarget } from '../../src-main/orchestrator/store/database'
import { testBaseImage } from '../support/core-image'
import { crashOnFirstRun, monitoredWorkspace, startApp } from '../support/history-fixtures'
import { freePort } from '../support/http'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { startOrchestrator, type OrchestratorProcess } from '../support/orchestrator-process'
import { startPostgresCluster } from '../support/postgres-cluster'
import { runSandlot, tempSandlotHome } from '../support/run-cli'
import { checksum, desktopRecords, orchestratorRecords } from '../support/sync-records'
import { waitFor } from '../support/wait'

// The whole path with real processes: a desktop core on the real engine, its outbox, `sandlot orchestrator serve`
// (PostgreSQL where it can be started, else the embedded store), SIGKILLed mid-stream and started again.
const started = await startPostgresCluster()
const cluster = 'cluster' in started ? started.cluster : undefined
if ('unavailable' in started) console.log(`sync to a real orchestrator: on the embedded store, since PostgreSQL is not available: ${started.unavailable}`)
afterAll(() => cluster?.stop())

const LINES = 1200
const APP = crashOnFirstRun({
  before: `let i = 0; const burst = () => { for (let k = 0; k < 40 && i < ${LINES}; k++, i++) console.log('run ' + run + ' line ' + i); if (i < ${LINES}) setTimeout(burst, 100); else console.log('done ' + run) }; burst()`,
  after: 'setInterval(() => {}, 60000)'
})
const TIMING = { sendAfterMs: 200, pollMs: 200, backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 } }
const HOST = 'desk-a'

const home = tempSandlotHome()
const name = `sync-orch-${Math.random().toString(16).slice(2, 8)}`
let target: DatabaseTarget
let storeArgs: string[]
let orchestrator: OrchestratorProcess
let core: SandlotCore

beforeAll(async () => {
  if (cluster !== undefined) {
    const url = await cluster.createDatabase()
    target = { url }
    storeArgs = ['--database', url]
  } else {
    const folder = mkdtempSync(join(home, 'orchestrator-'))
    target = { folder }
    storeArgs = ['--data', folder]
  }
  const add = await runSandlot(['--json', 'orchestrator', 'token', 'add', HOST, ...storeArgs], { SANDLOT_HOME: home })
  expect(add.code, add.stderr).toBe(0)
  const token = (JSON.parse(add.stdout) as { token: string }).token
  // A fixed port: the desktop's sync.url must still be right after the orchestrator comes back.
  storeArgs.push('--port', String(await freePort()))
  orchestrator = await startOrchestrator(storeArgs, { SANDLOT_HOME: home })
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ pool: { size: 0 }, image: { base: testBaseImage() }, sync: { url: orchestrator.url, token } }))
  core = openSandlotCore({ home, syncTiming: TIMING })
  const tag = (await core.api.call('image.build', { base: testBaseImage() })).tag
  core.startBackgroundWork()
  const container = await monitoredWorkspace(core, tag, name, APP)
  await startApp(container, '--backoff-initial', '300ms')
})

afterAll(async () => {
  try {
    await removeInstanceObjects(core.engine.connection.docker, core.instanceId)
  } finally {
    core.close()
    await orchestrator.stop()
  }
})

it('delivers every record of a printing, crashing workspace exactly once to a real orchestrator that is SIGKILLed mid-stream', async () => {
  await waitFor('a first batch acknowledged', async () => (await core.api.call('sync.status', {})).lastAckAt !== null, 60_000)
  await orchestrator.kill()
  await waitFor('the outage in the status', async () => /ECONNREFUSED|reached/.test((await core.api.call('sync.status', {})).lastError?.message ?? ''), 30_000)
  orchestrator = await startOrchestrator(storeArgs, { SANDLOT_HOME: home })

  await waitFor('both runs printed and stored', () => [...desktopRecords(core).values()].some((text) => text.endsWith('|done 2')), 120_000)
  await waitFor('nothing waiting', async () => (await core.api.call('sync.status', {})).waiting === 0, 60_000)
  // The embedded store is one process's at a time: stopped before it is read.
  await orchestrator.stop()

  const desktop = desktopRecords(core)
  const db = await openOrchestratorDatabase(target)
  try {
    const { records, rows } = await orchestratorRecords(db.db, HOST)
    expect(rows).toBe(desktop.size)
    expect(checksum(records)).toBe(checksum(desktop))
    expect([...records.values()].some((text) => text.startsWith('error|'))).toBe(true)
    console.log(`sync to a real orchestrator (${db.driver}): ${desktop.size} records, each stored once`)
  } finally {
    await db.close()
  }
  orchestrator = await startOrchestrator(storeArgs, { SANDLOT_HOME: home })
}, 300_000)
