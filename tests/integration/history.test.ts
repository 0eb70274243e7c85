import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { dockerRecords, expectedKeys, monitoredWorkspace, printer, startApp, storedKeys } from '../support/history-fixtures'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { tempSandlotHome } from '../support/run-cli'
import { waitFor } from '../support/wait'

const root = join(import.meta.dirname, '..', '..')
const home = tempSandlotHome()
const suffix = Math.random().toString(16).slice(2, 8)
let core: SandlotCore
let docker: Dockerode
let tag: string
const others: SandlotCore[] = []

/** Prints `count` numbered lines in bursts of 200 (so a kill lands mid-output), then waits or exits. */

beforeAll(async () => {
  core = openSandlotCore({ home })
  docker = core.engine.connection.docker
  tag = (await core.api.call('image.build', { base: testBaseImage() })).tag
})

afterAll(async () => {
  for (const other of others) other.close()
  try {
    await removeInstanceObjects(docker, core.instanceId)
  } finally {
    core.close()
  }
})

/** Another Sandlot process on the same data folder, as the app restarted would be. */
function reopen(): SandlotCore {
  const next = openSandlotCore({ home })
  others.push(next)
  return next
}

function lastBootDone(records: Awaited<ReturnType<typeof dockerRecords>>, boots: number): boolean {
  const seen = [...new Set(records.map((r) => r.boot))]
  return seen.length >= boots && records.some((r) => r.boot === seen[boots - 1] && r.type === 'state' && r.to === 'stopped')
}

describe('history ingest on the real engine', () => {
  it('stores exactly what a container logged across a SIGKILL mid-output, a restart of it and of the ingesting process', async () => {
    const name = `kill-${suffix}`
    const container = await monitoredWorkspace(core, tag, name, printer(6000))
    // Printed while nothing ingests; killed in the middle of its output.
    await startApp(container, '--restart', 'never')
    await waitFor('3000 lines logged', async () => (await dockerRecords(docker, container)).filter((r) => r.type === 'log').length >= 3000 || undefined)
    await container.kill({ signal: 'SIGKILL' })
    // The monitor resumes its app at the next start: a second boot prints it all again.
    await container.start()
    const live = reopen()
    live.history.startLive()
    await waitFor('some of the second boot stored', () => {
      const keys = storedKeys(core, container.id).logs
      return new Set(keys.map((k) => k.split(':')[0])).size >= 2 || undefined
    })
    // The ingesting process goes away midway; the next one resumes from the stored cursor.
    live.close()
    const after = reopen()
    after.history.startLive()
    const records = await waitFor('the second boot done', async () => {
      const all = await dockerRecords(docker, container)
      return lastBootDone(all, 2) ? all : undefined
    })
    await waitFor('everything stored', () => storedKeys(core, container.id).logs.length >= expectedKeys(records).logs.length || undefined)
    await waitFor('every event stored', () => storedKeys(core, container.id).events.length >= expectedKeys(records).events.length || undefined)
    after.close()
    const stored = storedKeys(core, container.id)
    const expected = expectedKeys(records)
    expect(stored.logs).toEqual(expected.logs)
    expect(stored.events).toEqual(expected.events)
    expect(stored.errors).toEqual(expected.errors)
    expect(stored.gaps).toEqual([])
    expect(new Set(records.map((r) => r.boot)).size).toBe(2)
  })

  it('follows a docker restart into the new boot, with the app state from the history', async () => {
    const name = `restart-${suffix}`
    const app = `require('http').createServer((q, s) => s.end('ok')).listen(3000, '127.0.0.1', () => console.log('listening on 3000'))`
    const container = await monitoredWorkspace(core, tag, name, app)
    const live = reopen()
    live.history.startLive()
    await startApp(container, '--port', '3000')
    await waitFor('ready stored', () => (core.history.appStatus(name)?.state === 'ready' ? true : undefined))
    const firstBoot = storedKeys(core, container.id).events[0]!.split(':')[0]
    await container.restart()
    await waitFor('ready again in a new boot', () => {
      const events = core.history.events({ workspace: name })
      const last = events.filter((e) => e.kind === 'ready').at(-1)
      return last && last.boot !== firstBoot ? true : undefined
    })
    live.close()
    const records = await dockerRecords(docker, container)
    const stored = storedKeys(core, container.id)
    expect(stored.events).toEqual(expectedKeys(records).events.slice(0, stored.events.length))
    expect(stored.logs).toEqual(expectedKeys(records).logs.slice(0, stored.logs.length))
    expect(stored.gaps).toEqual([])
    expect(core.history.appStatus(name)).toMatchObject({ state: 'ready', restarts: 0 })
    const workspace = await core.api.call('workspaces.get', { name })
    expect(workspace.app).toMatchObject({ state: 'ready' })
  })

  it('stores each record once while two processes ingest the same container', async () => {
    const name = `two-${suffix}`
    const container = await monitoredWorkspace(core, tag, name, printer(8000))
    const children = [startIngester(), startIngester()]
    try {
      await Promise.all(children.map((c) => c.ready))
      await startApp(container, '--restart', 'never')
      const records = await waitFor('the app done', async () => {
        const all = await dockerRecords(docker, container)
        return lastBootDone(all, 1) ? all : undefined
      })
      await waitFor('everything stored', () => storedKeys(core, container.id).logs.length >= 8000 || undefined)
      const counts = await Promise.all(children.map((c) => c.stop()))
      const stored = storedKeys(core, container.id)
      expect(stored.logs).toEqual(expectedKeys(records).logs)
      expect(stored.logs).toHaveLength(8000)
      expect(new Set(stored.logs).size).toBe(8000)
      expect(stored.gaps).toEqual([])
      // Each process stored what it got to first; together exactly once each.
      expect(counts.reduce((a, b) => a + b, 0)).toBe(8000)
    } finally {
      for (const c of children) c.child.kill('SIGKILL')
    }
  })

  it('records the lines that Docker\'s log rotation dropped before they were read as a gap, and loses nothing else', async () => {
    const name = `rotate-${suffix}`
    // 100 lines, a pause, then 3000 lines of ~300 bytes through a log capped at 2 files of 50 KB.
    const app = `
const pad = 'y'.repeat(250)
for (let i = 0; i < 100; i++) console.log('early ' + i)
setTimeout(() => { for (let i = 0; i < 3000; i++) console.log('late ' + i + ' ' + pad) }, 3000)
`
    const container = await monitoredWorkspace(core, tag, name, app, { 'max-size': '50k', 'max-file': '2' })
    await startApp(container, '--restart', 'never')
    await waitFor('the early lines', async () => (await dockerRecords(docker, container)).filter((r) => r.type === 'log').length >= 100 || undefined)
    await core.history.catchUp(name)
    const early = storedKeys(core, container.id).logs.length
    expect(early).toBeGreaterThanOrEqual(100)
    const records = await waitFor('the app done', async () => {
      const all = await dockerRecords(docker, container)
      return lastBootDone(all, 1) ? all : undefined
    })
    await core.history.catchUp(name)
    const stored = storedKeys(core, container.id)
    expect(stored.gaps.length).toBe(1)
    const [gap] = stored.gaps
    // Every seq of the boot is either stored or counted in the gap.
    const last = records.at(-1)!.seq
    const storedCount = stored.logs.length + stored.events.length + stored.errors.length
    expect(storedCount + gap!.missed).toBe(last + 1)
    // What the engine still has is all stored.
    const expected = expectedKeys(records)
    expect(stored.logs.slice(-expected.logs.length)).toEqual(expected.logs)
    expect(core.history.events({ workspace: name }).find((e) => e.kind === 'gap')).toMatchObject({ missed: gap!.missed })
  })

  it('keeps a flooding workspace within its retention bound', async () => {
    const name = `flood-${suffix}`
    await core.api.call('settings.update', { history: { logLinesPerWorkspace: 1000 } })
    const container = await monitoredWorkspace(core, tag, name, printer(20000, { width: 40 }))
    const live = reopen()
    live.history.startLive()
    let most = 0
    const count = (): number => (core.database.sqlite.prepare('SELECT count(*) AS n FROM log_lines WHERE workspace = ?').get(name) as { n: number }).n
    try {
      await startApp(container, '--restart', 'never')
      await waitFor('the last line stored', () => {
        most = Math.max(most, count())
        return core.history.logs({ workspace: name, query: '19999', limit: 1 }).lines.length > 0 || undefined
      })
    } finally {
      live.close()
      await core.api.call('settings.update', { history: { logLinesPerWorkspace: 200_000 } })
    }
    // Pruned after every 1,000 lines stored, in batches, while the ingest goes on.
    expect(most).toBeLessThanOrEqual(3000)
    await core.history.retention.pruneLogs(name, { logLinesPerWorkspace: 1000, logDays: 14, eventDays: 90 })
    expect(count()).toBe(1000)
    const page = core.history.logs({ workspace: name, limit: 1 })
    expect(page.lines[0]!.line).toMatch(/^line 19999 /)
  })
})

interface Ingester {
  child: ChildProcess
  ready: Promise<void>
  /** Stops it; resolves with the log lines it stored itself. */
  stop(): Promise<number>
}

function startIngester(): Ingester {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'tests/support/history-ingester.ts')], {
    env: { ...process.env, SANDLOT_HOME: home },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const lines = createInterface({ input: child.stdout! })
  const output: string[] = []
  let onLine = (): void => {}
  lines.on('line', (line) => {
    output.push(line)
    onLine()
  })
  const next = (test: (line: string) => boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      const look = (): void => {
        const found = output.find(test)
        if (found) resolve(found)
      }
      onLine = look
      child.once('exit', (code) => reject(new Error(`ingester exited with ${code}`)))
      look()
    })
  return {
    child,
    ready: next((l) => l === 'ready').then(() => undefined),
    async stop() {
      const result = next((l) => l.startsWith('{'))
      child.kill('SIGTERM')
      return (JSON.parse(await result) as { lines: number }).lines
    }
  }
}
