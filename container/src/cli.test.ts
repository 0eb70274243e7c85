import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from './cli'
import { CliErrorDocument, ErrorsResult, HealthResult, LogsResult, ProcessStatus } from './control-protocol'
import { startMonitor, type RunningMonitor } from './monitor-service'
import { parseMonitorRecord } from './protocol'
import { monitorCli, nodeCommand, waitFor } from './testing/harness'

// monitor-cli against a real monitor (in this process) over its unix socket, with real apps.

let dir: string
let monitor: RunningMonitor
let recordLines: string[]

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sandlot-cli-'))
  recordLines = []
  monitor = await startMonitor({
    config: { socketPath: join(dir, 'monitor.sock'), specPath: join(dir, 'process.json'), previewPort: 0 },
    stdout: { write: (chunk: string) => recordLines.push(...chunk.split('\n').filter(Boolean)) },
    log: () => {},
    env: process.env,
    cwd: dir
  })
})

afterEach(async () => {
  await monitor.shutdown('test cleanup')
  rmSync(dir, { recursive: true, force: true })
})

const cli = (...argv: string[]) => monitorCli(dir, ...argv)

const status = async () => ProcessStatus.parse(JSON.parse((await cli('process', 'status', '--json')).stdout))

describe('monitor-cli', () => {
  it('starts, inspects and stops an app', async () => {
    // The error comes on a signal, after the ready line was seen: stdout and stderr are separate pipes.
    // The handler goes in before the ready line: a signal that came first would kill the app (a rare, load-dependent hang).
    const app = 'process.on("SIGUSR2", () => console.error("TypeError: kaboom\\n    at main (/app/main.js:3:9)")); console.log("listening on 1234"); setInterval(() => {}, 1000)'
    const started = await cli('process', 'start', '--command', nodeCommand(app), '--env', 'MODE=test')
    expect(started).toMatchObject({ code: 0, stderr: '' })
    expect(started.stdout).toMatch(/^state: +(starting|ready) /m)
    expect(started.stdout).toContain(`cwd:       ${dir}`)

    await waitFor(async () => (await status()).state === 'ready', 'ready')
    process.kill((await status()).pid!, 'SIGUSR2')
    await waitFor(() => recordLines.some((l) => l.includes('"type":"error"')), 'the error record')

    const logs = await cli('logs', 'tail', '-n', '2', '--json')
    expect(LogsResult.parse(JSON.parse(logs.stdout)).lines.map((r) => [r.stream, r.line])).toEqual([
      ['stderr', 'TypeError: kaboom'],
      ['stderr', '    at main (/app/main.js:3:9)']
    ])
    expect((await cli('logs', 'tail')).stdout).toBe('listening on 1234\nTypeError: kaboom\n    at main (/app/main.js:3:9)\n')

    const errors = ErrorsResult.parse(JSON.parse((await cli('errors', '--json')).stdout))
    expect(errors.errors).toEqual([expect.objectContaining({ category: 'runtime', message: 'TypeError: kaboom', file: '/app/main.js', line: 3, column: 9, count: 1 })])
    expect((await cli('errors')).stdout).toMatch(/^error runtime ×1 \(last .+\) {2}\/app\/main\.js:3:9\n {2}TypeError: kaboom\n$/)

    expect(await cli('health')).toMatchObject({ code: 0, stdout: 'healthy: ready (output matched the ready pattern)\n' })

    const stopped = await cli('process', 'stop', '--json')
    expect(stopped.code).toBe(0)
    expect(ProcessStatus.parse(JSON.parse(stopped.stdout))).toMatchObject({ state: 'stopped', pid: null, spec: { envKeys: ['MODE'] } })
    expect(stopped.stdout).not.toContain('test') // the value of MODE stays in the container
  })

  it('reports a failed app as unhealthy with exit code 1', async () => {
    expect((await cli('process', 'start', '-c', 'exit 4', '--restart', 'never')).code).toBe(0)
    await waitFor(async () => (await status()).state === 'failed', 'failed')
    const health = await cli('health', '--json')
    expect(health.code).toBe(1)
    expect(HealthResult.parse(JSON.parse(health.stdout))).toEqual({ healthy: false, state: 'failed', reason: 'exited with code 4; restart policy is "never"' })
    expect((await cli('health')).stdout).toBe('unhealthy: failed (exited with code 4; restart policy is "never")\n')
  })

  it('passes on what the monitor refuses, with exit code 1', async () => {
    const human = await cli('process', 'restart')
    expect(human).toMatchObject({ code: 1, stdout: '' })
    expect(human.stderr).toMatch(/^monitor-cli: there is no process to restart/)
    const json = await cli('process', 'start', '-c', 'true', '--cwd', 'missing-dir', '--json')
    expect(json.code).toBe(1)
    expect(CliErrorDocument.parse(JSON.parse(json.stdout))).toEqual({ error: { code: 'BAD_REQUEST', message: `cwd ${dir}/missing-dir is not a directory in the container` } })
  })

  it('prints usage on stderr and exits 2 on bad usage; --json adds the error document', async () => {
    const human = await cli('process', 'frobnicate')
    expect(human).toMatchObject({ code: 2, stdout: '' })
    expect(human.stderr).toContain('Usage: monitor-cli')
    const json = await cli('logs', 'tail', '-n', 'many', '--json')
    expect(json.code).toBe(2)
    expect(CliErrorDocument.parse(JSON.parse(json.stdout)).error).toEqual({ code: 'BAD_USAGE', message: '-n needs a whole number, got "many"' })
    expect(await cli('--help')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: monitor-cli/), stderr: '' })
  })

  it('says clearly when the monitor is not reachable, and exits 1', async () => {
    const out: string[] = []
    const err: string[] = []
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd: dir }
    const missing = join(dir, 'nobody-here.sock')
    expect(await runCli(['health'], { ...io, env: { SANDLOT_MONITOR_SOCKET: missing } })).toBe(1)
    expect(err.join('')).toContain(`monitor-cli: the Sandlot monitor is not reachable at ${missing} (ENOENT)`)
    expect(await runCli(['process', 'status', '--json'], { ...io, env: { SANDLOT_MONITOR_SOCKET: missing, SANDLOT_MONITOR_WAIT_MS: '0' } })).toBe(1)
    expect(CliErrorDocument.parse(JSON.parse(out.join(''))).error).toMatchObject({ code: 'MONITOR_UNREACHABLE', hint: expect.any(String) })
  })
})

describe('control socket', () => {
  /** Sends raw lines on one connection and collects `count` answers. */
  function exchange(lines: string[], count: number): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const socket = connect(join(dir, 'monitor.sock'))
      let buffered = ''
      socket.setEncoding('utf8')
      socket.on('error', reject)
      socket.on('data', (chunk: string) => {
        buffered += chunk
        const answers = buffered.split('\n').filter(Boolean)
        if (answers.length >= count) {
          socket.destroy()
          resolve(answers.map((a) => JSON.parse(a)))
        }
      })
      socket.on('connect', () => socket.write(lines.join('\n') + '\n'))
    })
  }

  it('validates every request: bad ones get BAD_REQUEST and change nothing; answers come in order', async () => {
    const answers = await exchange(
      [
        'this is not json',
        JSON.stringify({ op: 'process.explode' }),
        JSON.stringify({ op: 'process.start', spec: { command: 'true', port: -1 } }),
        JSON.stringify({ op: 'process.start', spec: { command: 'true', cwd: 'relative' } }),
        JSON.stringify({ op: 'logs.tail', lines: 1_000_000 }),
        JSON.stringify({ op: 'process.status' })
      ],
      6
    )
    expect(answers.slice(0, 5)).toEqual(Array(5).fill({ ok: false, error: { code: 'BAD_REQUEST', message: expect.any(String) } }))
    expect((answers[1] as { error: { message: string } }).error.message).toMatch(/^invalid request: /)
    expect(answers[5]).toMatchObject({ ok: true, result: { state: 'idle', spec: null, run: 0 } })
    expect(recordLines.map((l) => parseMonitorRecord(l).type)).toEqual(['state']) // the boot record only
  })

  it('refuses an oversized request and closes the connection', async () => {
    const [answer] = await exchange(['x'.repeat(1024 * 1024 + 10)], 1)
    expect(answer).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'request longer than 1048576 bytes' } })
  })

  it('will not let a second monitor take over a live socket', async () => {
    await expect(
      startMonitor({
        config: { socketPath: join(dir, 'monitor.sock'), specPath: join(dir, 'other.json'), previewPort: 0 },
        stdout: { write: () => {} },
        log: () => {},
        env: process.env,
        cwd: dir
      })
    ).rejects.toThrow(`another monitor already listens on ${join(dir, 'monitor.sock')}`)
  })

  it('waits for a monitor that is still starting (its socket bound a moment after the request)', async () => {
    const late = join(dir, 'late')
    const out: string[] = []
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => undefined }, cwd: dir }
    const answered = runCli(['process', 'status', '--json'], { ...io, env: { SANDLOT_MONITOR_SOCKET: join(late, 'monitor.sock'), SANDLOT_MONITOR_WAIT_MS: '5000' } })
    await new Promise((resolve) => setTimeout(resolve, 300))
    mkdirSync(late)
    const starting = await startMonitor({
      config: { socketPath: join(late, 'monitor.sock'), specPath: join(late, 'process.json'), previewPort: 0 },
      stdout: { write: () => undefined },
      log: () => {},
      env: process.env,
      cwd: dir
    })
    try {
      expect(await answered).toBe(0)
      expect(ProcessStatus.parse(JSON.parse(out.join(''))).state).toBe('idle')
    } finally {
      await starting.shutdown('test cleanup')
    }
  })
})
