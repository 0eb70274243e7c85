import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { RequestError } from './request-error'
import { createHarness, groupAlive, killGroup, nodeCommand, transitions, waitFor, type Harness } from './testing/harness'
import { ManualClock } from './testing/manual-clock'

// Real child processes (node -e scripts) under the supervisor. Tests that check timing-dependent
// decisions (backoff, stop timeout, stability) use a ManualClock, so they never depend on how fast
// this machine is; the rest wait for outcomes, never for durations.
// Node processes start slowly on a loaded shared machine: a limit well above vitest's 5 s default.
vi.setConfig({ testTimeout: 30_000 })

const harnesses: Harness[] = []
function track(harness: Harness): Harness {
  harnesses.push(harness)
  return harness
}

afterEach(async () => {
  for (const harness of harnesses.splice(0)) {
    await harness.cleanup()
    // Every record of a boot: one boot id, sequence numbers 0, 1, 2, … without gaps.
    const records = harness.records()
    expect(new Set(records.map((r) => r.boot))).toEqual(new Set([harness.boot]))
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i))
  }
})

async function started(harness: Harness): Promise<Harness> {
  await harness.supervisor.boot()
  return harness
}

const pidOfRun = (h: Harness, run: number) =>
  h.ofType('state').find((r) => r.to === 'starting' && r.run === run)?.pid
const logLines = (h: Harness, run?: number) =>
  h.ofType('log').filter((r) => run === undefined || r.run === run).map((r) => r.line)

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

describe('Supervisor: crashes and restarts', () => {
  it('restarts a crashing app with exponential backoff, then gives up after maxRestarts within the window', async () => {
    const clock = new ManualClock()
    const h = track(await started(createHarness({ clock })))
    await h.supervisor.start(
      h.spec({
        command: nodeCommand('throw new Error("boom")'),
        readyPattern: null,
        restart: { initialDelayMs: 1000, factor: 2, maxDelayMs: 5000, jitter: 0, maxRestarts: 4, windowMs: 60_000 }
      })
    )
    const delays = [1000, 2000, 4000, 5000]
    for (const [i, delay] of delays.entries()) {
      await waitFor(() => h.ofType('restart').length === i + 1, `restart ${i + 1}`)
      expect(h.ofType('restart')[i]).toMatchObject({ attempt: i + 1, delayMs: delay, reason: 'exited with code 1' })
      expect(h.supervisor.status().state).toBe('backing-off')
      expect(clock.pending()).toEqual([delay]) // nothing restarts before the delay is over
      clock.advance(delay)
    }
    await waitFor(() => h.supervisor.status().state === 'failed', 'the give-up')
    expect(h.supervisor.status().reason).toBe('gave up after 4 restarts within 60s: exited with code 1')
    // The status says how many times it was restarted and how the last run ended.
    expect(h.supervisor.status()).toMatchObject({ run: 5, restarts: { total: 4 }, lastExit: { exitCode: 1, signal: null } })
    const crashes = h.ofType('crash')
    expect(crashes.map((c) => [c.run, c.exitCode, c.signal])).toEqual([1, 2, 3, 4, 5].map((run) => [run, 1, null]))
    expect(crashes[0]!.lastError).toMatchObject({ category: 'runtime', message: 'Error: boom' })
    // One distinct error, counted once per run.
    const errors = h.ofType('error')
    expect(new Set(errors.map((e) => e.fingerprint)).size).toBe(1)
    expect(errors.map((e) => e.count)).toEqual([1, 2, 3, 4, 5])
    expect(transitions(h).slice(0, 6)).toEqual(['∅→idle', 'idle→starting', 'starting→running', 'running→crashed', 'crashed→backing-off', 'backing-off→starting'])
    expect(transitions(h).at(-1)).toBe('crashed→failed')
  })

  it('resets the backoff after a run that lasted stableAfterMs', async () => {
    const clock = new ManualClock()
    const h = track(await started(createHarness({ clock })))
    await h.supervisor.start(
      h.spec({
        command: nodeCommand('console.log("up"); setInterval(() => {}, 1000)'),
        readyPattern: null,
        restart: { initialDelayMs: 1000, factor: 2, jitter: 0, maxRestarts: 10, stableAfterMs: 30_000 }
      })
    )
    const crashRun = async (run: number, livesFor: number) => {
      await waitFor(() => logLines(h, run).includes('up'), `run ${run} to print "up"`)
      clock.advance(livesFor)
      killGroup(pidOfRun(h, run)!)
      await waitFor(() => h.ofType('restart').length === run, `restart after run ${run}`)
      return h.ofType('restart')[run - 1]!
    }
    expect(await crashRun(1, 0)).toMatchObject({ attempt: 1, delayMs: 1000 })
    clock.advance(1000)
    expect(await crashRun(2, 29_999)).toMatchObject({ attempt: 2, delayMs: 2000 })
    clock.advance(2000)
    expect(await crashRun(3, 30_000)).toMatchObject({ attempt: 1, delayMs: 1000 })
    expect(h.ofType('crash').map((c) => [c.signal, c.uptimeMs])).toEqual([
      ['SIGKILL', 0],
      ['SIGKILL', 29_999],
      ['SIGKILL', 30_000]
    ])
  })

  it('fails at the first crash under the "never" policy', async () => {
    const h = track(await started(createHarness()))
    await h.supervisor.start(h.spec({ command: 'exit 7', readyPattern: null, restart: { policy: 'never' } }))
    await waitFor(() => h.supervisor.status().state === 'failed', 'failed')
    expect(h.supervisor.status().reason).toBe('exited with code 7; restart policy is "never"')
    expect(h.ofType('restart')).toEqual([])
  })

  it('leaves a cleanly exited app stopped under "on-failure" and restarts it under "always"', async () => {
    const h = track(await started(createHarness()))
    await h.supervisor.start(h.spec({ command: 'echo done', readyPattern: null }))
    await waitFor(() => h.supervisor.status().state === 'stopped', 'stopped')
    expect(h.supervisor.status().reason).toBe('exited with code 0')
    expect(h.ofType('crash')).toEqual([])

    const clock = new ManualClock()
    const always = track(await started(createHarness({ clock })))
    await always.supervisor.start(always.spec({ command: 'echo done', readyPattern: null, restart: { policy: 'always', jitter: 0 } }))
    await waitFor(() => always.ofType('restart').length === 1, 'a restart')
    expect(always.ofType('restart')[0]).toMatchObject({ attempt: 1, delayMs: 1000, reason: 'exited with code 0' })
    expect(always.ofType('crash')).toEqual([])
    expect(transitions(always)).toContain('running→backing-off')
  })

  it('reaps processes the app left behind before it reports the crash', async () => {
    const h = track(await started(createHarness()))
    await h.supervisor.start(h.spec({ command: 'sleep 300 & echo started; exit 3', readyPattern: null, restart: { policy: 'never' } }))
    await waitFor(() => h.ofType('crash').length === 1, 'the crash')
    expect(h.ofType('crash')[0]).toMatchObject({ exitCode: 3 })
    expect(groupAlive(pidOfRun(h, 1)!)).toBe(false)
  })

  it('refuses a spec whose cwd does not exist, changing nothing', async () => {
    const h = track(await started(createHarness()))
    await expect(h.supervisor.start(h.spec({ command: 'true', cwd: '/nonexistent-sandlot-dir' }))).rejects.toThrow(
      new RequestError('BAD_REQUEST', 'cwd /nonexistent-sandlot-dir is not a directory in the container')
    )
    // Refused up front: no state change, no spec saved.
    expect(h.supervisor.status().state).toBe('idle')
    expect(() => readFileSync(h.specPath)).toThrow()
    expect(h.records().map((r) => r.type)).toEqual(['state'])
  })
})

describe('Supervisor: stopping', () => {
  it('stops gracefully with SIGTERM to the whole process group', async () => {
    const h = track(await started(createHarness()))
    const app = nodeCommand('process.on("SIGTERM", () => { console.log("bye"); process.exit(0) }); console.log("up"); setInterval(() => {}, 1000)')
    await h.supervisor.start(h.spec({ command: `sleep 300 & exec ${app}`, readyPattern: null }))
    await waitFor(() => logLines(h).includes('up'), '"up"')
    const status = await h.supervisor.stop()
    expect(status).toMatchObject({ state: 'stopped', reason: 'stop requested', pid: null })
    expect(status.lastExit).toMatchObject({ exitCode: 0, signal: null })
    expect(logLines(h)).toContain('bye')
    expect(groupAlive(pidOfRun(h, 1)!)).toBe(false) // the background sleep went too
    expect(transitions(h).slice(-2)).toEqual(['running→stopping', 'stopping→stopped'])
    expect(JSON.parse(readFileSync(h.specPath, 'utf8'))).toMatchObject({ desired: 'stopped' })
  })

  it('sends SIGKILL when the app ignores SIGTERM for stopTimeoutMs', async () => {
    const clock = new ManualClock()
    const h = track(await started(createHarness({ clock })))
    const app = nodeCommand('process.on("SIGTERM", () => console.log("ignoring SIGTERM")); console.log("up"); setInterval(() => {}, 1000)')
    await h.supervisor.start(h.spec({ command: app, readyPattern: null, stopTimeoutMs: 3000 }))
    await waitFor(() => logLines(h).includes('up'), '"up"')
    const stopping = h.supervisor.stop()
    await waitFor(() => logLines(h).includes('ignoring SIGTERM'), 'the app to see SIGTERM')
    clock.advance(2999)
    expect(h.supervisor.status().state).toBe('stopping')
    expect(groupAlive(pidOfRun(h, 1)!)).toBe(true)
    clock.advance(1)
    const status = await stopping
    expect(status.state).toBe('stopped')
    expect(status.lastExit).toMatchObject({ exitCode: null, signal: 'SIGKILL' })
  })

  it('replaces the running app when a new spec starts', async () => {
    const h = track(await started(createHarness()))
    await h.supervisor.start(h.spec({ command: nodeCommand('console.log("first"); setInterval(() => {}, 1000)'), readyPattern: null }))
    await waitFor(() => logLines(h).includes('first'), '"first"')
    const status = await h.supervisor.start(h.spec({ command: nodeCommand('console.log("second"); setInterval(() => {}, 1000)'), readyPattern: null }))
    expect(status).toMatchObject({ state: 'running', run: 2 })
    expect(groupAlive(pidOfRun(h, 1)!)).toBe(false)
    expect(transitions(h)).toContain('running→stopping')
    expect(h.ofType('state').find((r) => r.to === 'stopping')?.reason).toBe('replaced by a new process spec')
    await waitFor(() => logLines(h, 2).includes('second'), '"second"')
  })

  it('refuses a restart before any spec exists', async () => {
    const h = track(await started(createHarness()))
    await expect(h.supervisor.restart()).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('writes a final state record on shutdown and keeps the spec meant to be running', async () => {
    const h = track(await started(createHarness()))
    await h.supervisor.start(h.spec({ command: nodeCommand('setInterval(() => {}, 1000)'), readyPattern: null }))
    await h.supervisor.shutdown('SIGTERM')
    const last = h.records().at(-1)!
    expect(last).toMatchObject({ type: 'state', from: 'stopping', to: 'stopped', reason: 'monitor shut down (SIGTERM)' })
    expect(JSON.parse(readFileSync(h.specPath, 'utf8'))).toMatchObject({ desired: 'running' })
    await expect(h.supervisor.start(h.spec({ command: 'true' }))).rejects.toMatchObject({ code: 'CONFLICT' })
  })
})

describe('Supervisor: readiness and health', () => {
  it('is ready when the port answers', async () => {
    const port = await freePort()
    const h = track(await started(createHarness()))
    const server = `setTimeout(() => require("net").createServer().listen(${port}, "127.0.0.1"), 200)`
    await h.supervisor.start(h.spec({ command: nodeCommand(server), port, readyPattern: null, readiness: { pollIntervalMs: 20 } }))
    await waitFor(() => h.supervisor.status().state === 'ready', 'ready')
    expect(h.ofType('ready')).toEqual([expect.objectContaining({ via: 'port', port, run: 1 })])
    expect(h.supervisor.status().reason).toBe(`port ${port} answered`)
  })

  it('is ready when the output matches the default patterns (Vite) or a given one', async () => {
    const h = track(await started(createHarness()))
    const vite = 'console.log("\\n  VITE v8.3.8  ready in 120 ms\\n\\n  \\u001b[32m➜\\u001b[39m  Local:   http://localhost:5173/"); setInterval(() => {}, 1000)'
    await h.supervisor.start(h.spec({ command: nodeCommand(vite) }))
    await waitFor(() => h.supervisor.status().state === 'ready', 'ready')
    expect(h.ofType('ready')[0]).toMatchObject({ via: 'pattern', line: '  VITE v8.3.8  ready in 120 ms' })

    const custom = track(await started(createHarness()))
    const app = 'console.log("warming up"); setTimeout(() => console.log("*** BOOTED ***"), 100); setInterval(() => {}, 1000)'
    await custom.supervisor.start(custom.spec({ command: nodeCommand(app), readyPattern: 'booted' }))
    await waitFor(() => custom.supervisor.status().state === 'ready', 'ready')
    expect(custom.ofType('ready')[0]).toMatchObject({ via: 'pattern', line: '*** BOOTED ***' })
  })

  it('finds the port an app listens on when the spec names none: a port record, ready, and the preview forwards to it', async () => {
    // A listener outside the app's process tree (this test process's) is not the app's port.
    const other = createServer().listen(0, '127.0.0.1')
    onTestFinished(() => void other.close())
    await new Promise((resolve) => other.once('listening', resolve))
    const otherPort = (other.address() as { port: number }).port
    const h = track(await started(createHarness()))
    // Silent, as `node ./bin/www` of Express's generator: no line matches a ready pattern. The listener is a
    // grandchild of the monitor's shell (bash → sh → node), as under npm.
    const app = 'const s = require("http").createServer((q, r) => r.end("hi")).listen(0, "127.0.0.1", () => console.error("port=" + s.address().port))'
    await h.supervisor.start(h.spec({ command: `sh -c ${JSON.stringify(nodeCommand(app))}; true`, readiness: { pollIntervalMs: 20 } }))
    const line = await waitFor(() => logLines(h).find((l) => l.startsWith('port=')), 'the port line')
    const port = Number(line.slice('port='.length))
    await waitFor(() => h.supervisor.status().state === 'ready', 'ready')
    expect(port).not.toBe(otherPort)
    expect(h.ofType('port')).toEqual([expect.objectContaining({ port, run: 1 })])
    expect(h.ofType('ready')).toEqual([expect.objectContaining({ via: 'port', port, run: 1 })])
    expect(h.supervisor.status()).toMatchObject({ reason: `port ${port} answered`, appPort: { port, source: 'found' } })
    expect(h.supervisor.previewTarget().port).toBe(port)
  })

  it('gives a spec without a port no preview port while its app listens on none', async () => {
    const h = track(await started(createHarness()))
    await h.supervisor.start(h.spec({ command: nodeCommand('console.log("listening on nothing"); setInterval(() => {}, 1000)'), readiness: { pollIntervalMs: 20 } }))
    await waitFor(() => h.supervisor.status().state === 'ready', 'ready by its output')
    expect(h.supervisor.status().appPort).toBeNull()
    expect(h.supervisor.previewTarget().port).toBeUndefined()
  })

  it('reads "running" after the startup grace period without readiness, and still becomes ready later', async () => {
    const clock = new ManualClock()
    const h = track(await started(createHarness({ clock })))
    const app = 'console.log("compiling"); process.on("SIGUSR2", () => console.log("listening on 3000")); setInterval(() => {}, 1000)'
    await h.supervisor.start(h.spec({ command: nodeCommand(app), readiness: { startupGraceMs: 10_000 } }))
    await waitFor(() => logLines(h).includes('compiling'), '"compiling"')
    clock.advance(9_999)
    expect(h.supervisor.status().state).toBe('starting')
    clock.advance(1)
    expect(h.supervisor.status()).toMatchObject({ state: 'running', reason: 'not ready after 10000 ms; still waiting for the ready pattern' })
    process.kill(pidOfRun(h, 1)!, 'SIGUSR2')
    await waitFor(() => h.supervisor.status().state === 'ready', 'ready')
  })

  it('turns unhealthy when its port stops answering and ready again when it answers, without restarting it', async () => {
    const port = await freePort()
    const h = track(await started(createHarness()))
    // A dev server that loses its port (a syntax error under a file watcher) and gets it back (the fix saved).
    const app =
      `const net = require("net"); let s; const open = (m) => { s = net.createServer().listen(${port}, "127.0.0.1", () => console.log(m)) }; ` +
      `open("listening on ${port}"); process.on("SIGUSR1", () => s.close(() => console.log("closed"))); process.on("SIGUSR2", () => open("reopened")); ` +
      'setInterval(() => {}, 1000)'
    await h.supervisor.start(h.spec({ command: nodeCommand(app), port, health: { intervalMs: 20, timeoutMs: 1000, failureThreshold: 2 } }))
    await waitFor(() => h.supervisor.status().state === 'ready', 'ready')
    const pid = pidOfRun(h, 1)!
    process.kill(pid, 'SIGUSR1')
    await waitFor(() => h.supervisor.status().state === 'unhealthy', 'unhealthy')
    expect(h.supervisor.status().reason).toBe(`port ${port} did not answer 2 health checks in a row`)
    process.kill(pid, 'SIGUSR2')
    await waitFor(() => h.supervisor.status().state === 'ready', 'ready again')
    expect(h.supervisor.status().reason).toBe(`port ${port} answers again`)
    expect(transitions(h)).toEqual(['∅→idle', 'idle→starting', 'starting→ready', 'ready→unhealthy', 'unhealthy→ready'])
    // One record for the unhealthy period and one for the recovery, however many checks failed in between.
    expect(h.ofType('health').map((r) => [r.ok, r.consecutiveFailures])).toEqual([
      [false, 2],
      [true, 0]
    ])
    expect(h.supervisor.status()).toMatchObject({ run: 1, restarts: { total: 0 } })
    expect(h.ofType('restart')).toEqual([])
  })

  it('restarts an app whose port stops answering when the spec asks for it, and gives up when that keeps happening', async () => {
    const port = await freePort()
    const h = track(await started(createHarness()))
    // Answers long enough to be seen, then closes its port but keeps running.
    const app = `const s = require("net").createServer().listen(${port}, "127.0.0.1", () => { console.log("listening on ${port}"); s.close() }); setInterval(() => {}, 1000)`
    await h.supervisor.start(
      h.spec({
        command: nodeCommand(app),
        port,
        health: { intervalMs: 20, timeoutMs: 1000, failureThreshold: 2, restartAfterFailures: 3 },
        restart: { initialDelayMs: 10, jitter: 0, maxRestarts: 1 }
      })
    )
    await waitFor(() => h.supervisor.status().state === 'failed', 'failed')
    const why = `unhealthy: port ${port} did not answer 3 health checks in a row`
    // Turned unhealthy (one record), then replaced at the third failed check (its `stopping` state says so).
    expect(h.ofType('health').filter((r) => r.run === 1).map((r) => [r.ok, r.consecutiveFailures])).toEqual([[false, 2]])
    expect(h.ofType('restart')).toEqual([expect.objectContaining({ attempt: 1, reason: why })])
    expect(h.supervisor.status().reason).toBe(`gave up after 1 restart within 60s: ${why}`)
    expect(h.ofType('crash')).toEqual([]) // the monitor ended those runs itself
    expect(transitions(h).filter((t) => t === 'ready→unhealthy')).toHaveLength(2)
    expect(transitions(h).filter((t) => t === 'unhealthy→stopping')).toHaveLength(2)
  })
})

describe('Supervisor: output', () => {
  it('records every line with its stream and run, capping very long lines', async () => {
    const h = track(await started(createHarness()))
    const app = 'console.log("out"); console.error("err"); console.log("x".repeat(20000)); console.log("after")'
    await h.supervisor.start(h.spec({ command: nodeCommand(app), readyPattern: null }))
    await waitFor(() => h.supervisor.status().state === 'stopped', 'exit')
    const logs = h.ofType('log')
    expect(logs.map((r) => [r.stream, r.line.slice(0, 5), r.run])).toEqual(
      expect.arrayContaining([
        ['stdout', 'out', 1],
        ['stderr', 'err', 1],
        ['stdout', 'after', 1]
      ])
    )
    const long = logs.find((r) => r.line.startsWith('xxx'))!
    expect(long.truncated).toBe(true)
    expect(long.line).toHaveLength(16 * 1024)
    // Output comes before the exit is reported.
    const types = h.records().map((r) => r.type)
    expect(types.lastIndexOf('log')).toBeLessThan(types.lastIndexOf('state'))
  })
})

describe('Supervisor: spec on disk', () => {
  it('resumes the saved spec at the next boot, unless it was stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandlot-resume-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const first = track(createHarness({ dir }))
    await first.supervisor.boot()
    await first.supervisor.start(first.spec({ command: nodeCommand('console.log("hello"); setInterval(() => {}, 1000)'), readyPattern: null, env: { TOKEN: 'secret' } }))
    await first.supervisor.shutdown('SIGTERM')

    const second = track(createHarness({ dir }))
    await second.supervisor.boot()
    expect(second.boot).not.toBe(first.boot)
    expect(second.records().slice(0, 3)).toEqual([
      expect.objectContaining({ seq: 0, type: 'state', from: null, to: 'idle' }),
      expect.objectContaining({ seq: 1, type: 'spec', source: 'resume' }),
      expect.objectContaining({ seq: 2, type: 'state', from: 'idle', to: 'starting', reason: 'resumed at monitor start' })
    ])
    // Environment values stay in the container: records name the keys only.
    const specRecord = second.ofType('spec')[0]!
    expect(specRecord.spec.envKeys).toEqual(['TOKEN'])
    expect(JSON.stringify(second.records())).not.toContain('secret')
    await waitFor(() => logLines(second).includes('hello'), 'the resumed app')
    await second.supervisor.stop()

    const third = track(createHarness({ dir }))
    await third.supervisor.boot()
    expect(third.supervisor.status()).toMatchObject({ state: 'stopped', run: 0 })
    expect(third.supervisor.status().spec?.command).toContain('hello')
  })

  it('fails with the reason when the saved cwd no longer exists', async () => {
    const h = track(createHarness())
    mkdirSync(dirname(h.specPath), { recursive: true })
    writeFileSync(h.specPath, JSON.stringify({ version: 1, desired: 'running', spec: { command: 'true', cwd: '/gone-sandlot-dir' } }))
    await h.supervisor.boot()
    expect(h.supervisor.status()).toMatchObject({ state: 'failed', reason: 'cwd /gone-sandlot-dir is not a directory in the container' })
  })

  it('starts idle and says why on stderr when the saved spec is unreadable', async () => {
    const h = track(createHarness())
    mkdirSync(dirname(h.specPath), { recursive: true })
    writeFileSync(h.specPath, '{"version":1,"desired":"running","spec":{"command":""}}')
    await h.supervisor.boot()
    expect(h.supervisor.status().state).toBe('idle')
    expect(h.diagnostics.join('\n')).toContain('cannot resume the saved process spec')
  })
})
