import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src-main/cli/program'
import { capturedIo } from '../../src-main/cli/testing/captured-io'
import type { EventName, EventPayload } from '../../src-main/core/contract'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { crashOnFirstRun, monitoredWorkspace, startApp } from '../support/history-fixtures'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { tempSandlotHome } from '../support/run-cli'
import { waitFor } from '../support/wait'

// Crashes with a TypeError on its first run (with a colour code and a window-title sequence in its output),
// then serves on 3000.
const APP = crashOnFirstRun({
  before: `console.log('\\x1b[32mstarting\\x1b[0m run ' + run + ' \\x1b]0;owned\\x07')`,
  after: `require('http').createServer((q, s) => s.end('ok')).listen(3000, '127.0.0.1', () => console.log('listening on 3000'))`
})

const home = tempSandlotHome()
const name = `live-${Math.random().toString(16).slice(2, 8)}`
let core: SandlotCore
let container: Dockerode.Container
let tag: string
const seen: { [E in EventName]?: EventPayload<E>[] } = {}

function collect<E extends EventName>(event: E): void {
  const list: EventPayload<E>[] = []
  ;(seen as Record<string, unknown[]>)[event] = list
  core.api.subscribe(event, (payload) => list.push(payload))
}

beforeAll(async () => {
  core = openSandlotCore({ home })
  tag = (await core.api.call('image.build', { base: testBaseImage() })).tag
  for (const event of ['history.logs', 'history.events', 'history.errors', 'workspaces.changed'] as const) collect(event)
  core.startBackgroundWork()
  container = await monitoredWorkspace(core, tag, name, APP)
  await startApp(container, '--port', '3000', '--backoff-initial', '300ms')
})

afterAll(async () => {
  try {
    await removeInstanceObjects(core.engine.connection.docker, core.instanceId)
  } finally {
    core.close()
  }
})

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capturedIo({ SANDLOT_HOME: home })
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err() }
}

describe('live history events and the CLI', () => {
  it('sends the crash, the restart, the error and the lines as they are stored, and the workspace with its app state', async () => {
    await waitFor('ready after the crash', () => seen['history.events']!.some((e) => e.event.kind === 'ready') || undefined)
    const timeline = seen['history.events']!
    const crash = timeline.find((e) => e.event.kind === 'crash')
    expect(crash?.event).toMatchObject({ workspace: name, exitCode: 1, signal: null, run: 1 })
    // The status as it is once the entry's batch is stored: the restart may already be scheduled.
    expect(crash?.app).toMatchObject({ state: expect.stringMatching(/^(crashed|backing-off|starting)$/), lastExit: { code: 1, signal: null } })
    expect(timeline.find((e) => e.event.kind === 'restart')?.event).toMatchObject({ attempt: 1, delayMs: expect.any(Number) })
    expect(timeline.at(-1)?.app).toMatchObject({ state: 'ready', restarts: 1, unreadErrors: 1 })

    const error = seen['history.errors']!.find((e) => /Cannot read properties of undefined/.test(e.error.message))
    expect(error?.error).toMatchObject({ workspace: name, category: 'runtime', count: 1, unread: true, file: '/app/app.js' })

    // Lines go out a few times a second, so the last ones may follow the timeline entry that came with them.
    const lines = await waitFor('the lines of both runs', () => {
      const all = seen['history.logs']!.flatMap((e) => e.lines)
      return all.some((l) => l.line === 'listening on 3000') ? all : undefined
    })
    expect(lines.map((l) => l.line)).toEqual(expect.arrayContaining([expect.stringMatching(/run 1/), 'listening on 3000']))
    expect(lines.map((l) => l.id)).toEqual([...lines.map((l) => l.id)].sort((a, b) => a - b))

    await waitFor('the workspace changed with its app ready', () => seen['workspaces.changed']!.some((c) => c.workspace?.app?.state === 'ready') || undefined)
  })

  it('logs from the history: colours kept, other sequences shown; --raw and --json as they are; --grep, --stream', async () => {
    const plain = await cli('logs', name)
    expect(plain.code).toBe(0)
    expect(plain.out).toContain('\x1b[32mstarting\x1b[0m run 1')
    expect(plain.out).not.toContain('\x1b]0;owned')
    expect(plain.out).toContain('^[]0;owned^G')
    expect((await cli('logs', name, '--raw')).out).toContain('\x1b]0;owned\x07')

    const json = JSON.parse((await cli('logs', name, '--json', '--grep', 'listening')).out)
    expect(json.lines).toHaveLength(1)
    expect(json.lines[0]).toMatchObject({ line: 'listening on 3000', matches: [[0, 9]], workspace: name })
    expect(json.lines[0].id).toEqual(expect.any(Number))

    const stderrOnly = JSON.parse((await cli('logs', name, '--json', '--stream', 'stderr')).out)
    expect(stderrOnly.lines.length).toBeGreaterThan(0)
    expect(stderrOnly.lines.every((l: { stream: string }) => l.stream === 'stderr')).toBe(true)
    expect(JSON.parse((await cli('logs', name, '--json', '--since', '1m', '-n', '1')).out).lines).toHaveLength(1)
    expect((await cli('logs', name, '--since', 'yesterday')).code).toBe(2)
  })

  it('errors and events, as text and JSON', async () => {
    const errors = await cli('errors', name)
    expect(errors.code).toBe(0)
    expect(errors.out).toMatch(/1× (error|fatal) \(runtime\) · new: .*Cannot read properties of undefined/)
    expect(errors.out).toMatch(/\/app\/app\.js:\d+/)
    expect(JSON.parse((await cli('errors', name, '--json')).out)[0]).toMatchObject({ count: 1, category: 'runtime' })

    const events = await cli('events', name)
    expect(events.out).toMatch(/crash\s+crashed, exited with code 1/)
    expect(events.out).toMatch(/restart\s+restart 1 in/)
    const kinds = JSON.parse((await cli('events', name, '--json')).out).map((e: { kind: string }) => e.kind)
    expect(kinds).toEqual(expect.arrayContaining(['state', 'crash', 'restart', 'ready', 'spec']))

    const list = await cli('ls')
    expect(list.out).toMatch(new RegExp(`${name}\\s+test\\s+running\\s+ready \\(1 restart\\) · 1 new error`))
    expect((await cli('errors', 'no-such-workspace')).code).toBe(1)
  })

  it('logs -f prints new lines as they come and ends when the container stops', async () => {
    const ticker = `${name}-f`
    const ticking = await monitoredWorkspace(core, tag, ticker, "let i = 0; setInterval(() => console.log('tick ' + i++), 100)")
    await startApp(ticking, '--restart', 'never')
    await waitFor('the first tick stored', () => core.history.logs({ workspace: ticker, query: 'tick' }).lines.length > 0 || undefined)
    const following = cli('logs', '-f', ticker)
    // Lines printed after the command started reach it, then the stop ends it.
    const before = core.history.logs({ workspace: ticker, limit: 1 }).lines[0]!.line
    await waitFor('ten more ticks', async () => {
      const newest = (await core.history.logs({ workspace: ticker, limit: 1 })).lines[0]!.line
      return Number(newest.split(' ')[1]) >= Number(before.split(' ')[1]) + 10 || undefined
    })
    await ticking.stop()
    const { code, out } = await following
    expect(code).toBe(0)
    const ticks = out.trim().split('\n').map((l) => Number(l.split(' ')[1]))
    expect(ticks).toEqual(ticks.map((_, i) => ticks[0]! + i))
    expect(ticks.at(-1)!).toBeGreaterThanOrEqual(Number(before.split(' ')[1]) + 10)
  })

  it('keeps the history after rm, and drops it with rm --purge', async () => {
    expect((await cli('rm', '--force', name)).code).toBe(0)
    expect(JSON.parse((await cli('errors', name, '--json')).out)).toHaveLength(1)
    expect(JSON.parse((await cli('logs', name, '--json')).out).lines.length).toBeGreaterThan(0)

    const other = `${name}-p`
    const purged = await monitoredWorkspace(core, tag, other, 'console.log("to be purged")')
    await startApp(purged, '--restart', 'never')
    await waitFor('its line stored', () => core.history.logs({ workspace: other }).lines.length > 0 || undefined)
    expect((await cli('rm', '--force', '--purge', other)).out).toMatch(/Removed .* and its history/)
    const after = await cli('logs', other, '--json')
    expect(after.code).toBe(1)
    expect(JSON.parse(after.out).error.code).toBe('NOT_FOUND')
    expect(core.database.sqlite.prepare('SELECT count(*) AS n FROM log_lines WHERE workspace = ?').get(other)).toEqual({ n: 0 })
  })
})
