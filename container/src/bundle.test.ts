import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { get } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseMonitorRecord, type MonitorRecord } from './protocol'
import { groupAlive, killGroup, nodeCommand, waitFor } from './testing/harness'

// The bundles the image ships (built by container/build-monitor.mjs), run as real processes:
// the monitor as a container's main process would run, monitor-cli as `docker exec` would.

let dir: string
let dist: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandlot-bundle-'))
  dist = join(dir, 'dist')
  execFileSync(process.execPath, [join(import.meta.dirname, '../build-monitor.mjs'), '--outdir', dist], { stdio: 'pipe' })
}, 60_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const env = () => ({
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
  SANDLOT_MONITOR_SOCKET: join(dir, 'monitor.sock'),
  SANDLOT_MONITOR_SPEC: join(dir, 'state', 'process.json'),
  SANDLOT_PREVIEW_PORT: '0'
})

interface MonitorProcess {
  child: ChildProcess
  stdout: string[]
  stderr: string[]
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  records(): MonitorRecord[]
}

function startMonitorProcess(): MonitorProcess {
  const child = spawn(process.execPath, [join(dist, 'monitor.js')], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] })
  const stdout: string[] = []
  const stderr: string[] = []
  let partial = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop()!
    stdout.push(...lines)
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  return { child, stdout, stderr, exited, records: () => stdout.map(parseMonitorRecord) }
}

function monitorCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Run the file itself: its shebang and executable bit are part of what the image relies on.
    execFile(join(dist, 'monitor-cli.js'), args, { env: env(), cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr })
    })
  })
}

function httpBody(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, agent: false }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve(body))
    }).on('error', reject)
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function stopMonitor(monitor: MonitorProcess) {
  monitor.child.kill('SIGTERM')
  return monitor.exited
}

const startedPids = (monitor: MonitorProcess) =>
  monitor.records().flatMap((r) => (r.type === 'state' && r.pid !== undefined ? [r.pid] : []))

function expectWellFormedBoot(records: MonitorRecord[]) {
  expect(new Set(records.map((r) => r.boot)).size).toBe(1)
  expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i))
  expect(records[0]).toMatchObject({ type: 'state', from: null, to: 'idle' })
  expect(records.at(-1)).toMatchObject({ type: 'state', to: 'stopped', reason: 'monitor shut down (SIGTERM)' })
}

describe('the bundled monitor and monitor-cli', { timeout: 60_000 }, () => {
  it('run an app, shut down cleanly on SIGTERM, and resume the app at the next start', async () => {
    const port = await freePort()
    const app = `require("http").createServer((q, s) => s.end("ok")).listen(${port}, "127.0.0.1", () => console.log("listening on ${port}"))`
    const first = startMonitorProcess()
    let appPid: number | undefined
    try {
      await waitFor(async () => (await monitorCli('health')).code === 0, 'the monitor to answer')
      const started = await monitorCli('process', 'start', '--command', nodeCommand(app), '--port', String(port), '--json')
      expect(started.code).toBe(0)
      expect(JSON.parse(started.stdout)).toMatchObject({ spec: { port } })
      await waitFor(() => first.records().some((r) => r.type === 'ready'), 'ready')
      appPid = startedPids(first)[0]
      // The preview port forwards to the app (SANDLOT_PREVIEW_PORT=0: any free port, read back from the status).
      const status = JSON.parse((await monitorCli('process', 'status', '--json')).stdout)
      expect(status.preview).toMatchObject({ listening: true, connections: 0 })
      expect(await httpBody(status.preview.port)).toBe('ok')
      expect(await stopMonitor(first)).toEqual({ code: 0, signal: null })
    } finally {
      first.child.kill('SIGKILL')
      if (appPid) killGroup(appPid)
    }
    expectWellFormedBoot(first.records())
    expect(groupAlive(appPid!)).toBe(false)
    expect(first.stderr.join('')).not.toContain('"v":1') // diagnostics never carry records

    const second = startMonitorProcess()
    try {
      await waitFor(() => second.records().some((r) => r.type === 'ready'), 'the resumed app to be ready')
      const resumed = second.records()
      expect(resumed[0]!.boot).not.toBe(first.records()[0]!.boot)
      expect(resumed.slice(0, 3).map((r) => r.type)).toEqual(['state', 'spec', 'state'])
      expect(resumed[1]).toMatchObject({ type: 'spec', source: 'resume' })
      expect(await stopMonitor(second)).toEqual({ code: 0, signal: null })
    } finally {
      second.child.kill('SIGKILL')
      startedPids(second).forEach(killGroup)
    }
    expectWellFormedBoot(second.records())
  })

  it('monitor-cli exits 1 without a monitor and 2 on bad usage', async () => {
    const unreachable = await monitorCli('process', 'status')
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toContain('the Sandlot monitor is not reachable at')
    const usage = await monitorCli('process', 'start', '--port', '80')
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('process start needs --command')
  })
})
