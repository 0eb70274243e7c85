import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { LogLine, Workspace } from '../../src-main/core/contract'
import { writeServeFile } from '../../src-main/core/data/serve-file'
import type { SandlotCore } from '../../src-main/core/sandlot-core'
import { Sandlot } from '../../src-main/sdk'
import type { WebSocketClass } from '../../src-main/sdk/http-client'
import type { SandlotServer } from '../../src-main/server/sandlot-server'
import { tarOf } from '../support/core-image'
import { crashOnFirstRun, monitoredWorkspace, startApp } from '../support/history-fixtures'
import { tempSandlotHome } from '../support/run-cli'
import { startApiServer, type ApiServer } from '../support/api-server'
import { waitFor } from '../support/wait'

// Issue 14: the REST API and the SDK over real HTTP on loopback, against the real engine.
const home = tempSandlotHome()
const id = Math.random().toString(16).slice(2, 8)
let api: ApiServer
let core: SandlotCore
let server: SandlotServer
let token: string
let base: string

/** Prints `line 1` … `line 400` a few milliseconds apart, then stays up. */
const PRINTER = `let n = 0
const timer = setInterval(() => { n += 1; console.log('line ' + n); if (n === 400) clearInterval(timer) }, 5)
setInterval(() => {}, 60000)
`


beforeAll(async () => {
  api = await startApiServer(home)
  ;({ core, server, token, base } = api)
}, 600_000)

afterAll(async () => {
  await api?.close()
})

const call: ApiServer['call'] = (method, path, options) => api.call(method, path, options)

async function names(): Promise<string[]> {
  return ((await (await call('GET', '/api/workspaces')).json()) as Workspace[]).map((w) => w.name).sort()
}

describe('the REST API on the real engine', () => {
  const printer = `printer-${id}`

  it('refuses every route without a token or with a wrong one (401), and answers /api/health alone', async () => {
    const routes: Array<[string, string, string?]> = [
      ['GET', '/api/engine'],
      ['GET', '/api/templates'],
      ['GET', '/api/workspaces'],
      ['POST', '/api/workspaces', JSON.stringify({ template: 'shell', name: `never-${id}` })],
      ['GET', `/api/workspaces/${printer}`],
      ['POST', `/api/workspaces/${printer}/start`],
      ['POST', `/api/workspaces/${printer}/stop`],
      ['POST', `/api/workspaces/${printer}/restart`],
      ['POST', `/api/workspaces/${printer}/exec`, JSON.stringify({ command: 'true' })],
      ['DELETE', `/api/workspaces/${printer}`],
      ['GET', '/api/history/logs'],
      ['GET', '/api/history/events'],
      ['GET', '/api/history/errors'],
      ['GET', '/api/history/logs/stream'],
      ['GET', '/api/history/events/stream'],
      ['GET', '/api/history/errors/stream'],
      ['GET', '/api/openapi.json'],
      ['GET', '/api/templates/shell'],
      ['GET', `/api/workspaces/${printer}/process`],
      ['POST', `/api/workspaces/${printer}/process/restart`],
      ['GET', `/api/monitoring/process/${printer}/status`],
      ['POST', `/api/monitoring/process/${printer}/start`],
      ['POST', `/api/monitoring/process/${printer}/stop`],
      ['GET', `/api/monitoring/errors/${printer}`],
      ['GET', `/api/monitoring/logs/${printer}`],
      ['GET', `/api/workspaces/${printer}/files`],
      ['GET', `/api/workspaces/${printer}/files/content?path=a.txt`],
      ['PUT', `/api/workspaces/${printer}/files/content?path=a.txt`, JSON.stringify({ content: 'x' })],
      ['GET', '/health/terminal'],
      ['GET', '/health/websocket']
    ]
    for (const [method, path, body] of routes) {
      for (const wrong of [null, 'f'.repeat(64)]) {
        const res = await call(method, path, { token: wrong, ...(body === undefined ? {} : { body }) })
        expect({ path, wrong, status: res.status }).toEqual({ path, wrong, status: 401 })
        expect((await res.json()).error.code).toBe('UNAUTHORIZED')
      }
    }
    const health = await call('GET', '/api/health', { token: null })
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true })
    expect(await names()).toEqual([])
  })

  it('answers the engine, templates and the OpenAPI document with the token', async () => {
    expect((await (await call('GET', '/api/engine')).json()).state).toBe('connected')
    const templates = (await (await call('GET', '/api/templates')).json()) as Array<{ id: string }>
    expect(templates.map((t) => t.id)).toEqual(expect.arrayContaining(['shell', 'node-api']))
    const doc = await (await call('GET', '/api/openapi.json')).json()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toContain('/api/workspaces/{name}/exec')
  })

  it('refuses a malformed body (400), an invalid one (422) and an oversized one (413), changing nothing', async () => {
    const malformed = await call('POST', '/api/workspaces', { body: '{"template": "shell",' })
    expect(malformed.status).toBe(400)
    expect((await malformed.json()).error).toMatchObject({ code: 'BAD_REQUEST', hint: expect.stringMatching(/Nothing was changed/) })
    const invalid = await call('POST', '/api/workspaces', { body: JSON.stringify({ template: 'shell', name: 'Bad Name' }) })
    expect(invalid.status).toBe(422)
    const oversized = await call('POST', '/api/workspaces', { body: JSON.stringify({ template: 'shell', pad: 'x'.repeat(5 * 1024 * 1024) }) })
    expect(oversized.status).toBe(413)
    expect((await oversized.json()).error.code).toBe('TOO_LARGE')
    expect((await call('GET', '/api/workspaces/nope')).status).toBe(404)
    expect(await names()).toEqual([])
  })

  it('streams log lines as SSE with row ids; a stream cut and resumed with Last-Event-ID misses and repeats nothing', async () => {
    const container = await monitoredWorkspace(core, (await core.api.call('image.status', {})).tag, printer, PRINTER)
    await startApp(container)
    // From the start of the workspace's history (row 0), cut after 50 lines, resumed from the last id seen.
    const first = await readSse(`/api/history/logs/stream?workspace=${printer}`, '0', 50)
    const rest = await readSse(`/api/history/logs/stream?workspace=${printer}`, first.at(-1)!.id, 400 - first.length)
    const received = [...first, ...rest]
    expect(received.map((e) => (JSON.parse(e.data) as LogLine).line)).toEqual(Array.from({ length: 400 }, (_, i) => `line ${i + 1}`))
    const stored = await waitFor('all 400 lines stored', async () => {
      const page = (await (await call('GET', `/api/history/logs?workspace=${printer}&limit=1000`)).json()) as { lines: LogLine[] }
      return page.lines.length >= 400 ? page.lines : undefined
    })
    expect(received.map((e) => Number(e.id))).toEqual(stored.map((l) => l.id))
    const events = (await (await call('GET', `/api/history/events?workspace=${printer}`)).json()) as Array<{ id: number; kind: string }>
    expect(events.some((e) => e.kind === 'state')).toBe(true)
    const streamed = await readSse(`/api/history/events/stream?workspace=${printer}`, '0', events.length)
    expect(streamed.map((e) => Number(e.id))).toEqual(events.map((e) => e.id))
    // The process through the monitor, by its route and by the seeds' alias: the same answer.
    const status = await (await call('GET', `/api/workspaces/${printer}/process`)).json()
    expect(status).toBeTypeOf('object')
    expect(Object.keys(await (await call('GET', `/api/monitoring/process/${printer}/status`)).json())).toEqual(Object.keys(status))
    const aliasLogs = (await (await call('GET', `/api/monitoring/logs/${printer}?limit=5`)).json()) as { lines: LogLine[] }
    expect(aliasLogs.lines.map((l) => l.id)).toEqual(stored.slice(-5).map((l) => l.id))
  }, 180_000)

  it('streams error groups as SSE, each with its last-seen time as the id', async () => {
    const crasher = `crasher-${id}`
    const container = await monitoredWorkspace(core, (await core.api.call('image.status', {})).tag, crasher, crashOnFirstRun())
    await startApp(container, '--backoff-initial', '300ms')
    const [event] = await readSse(`/api/history/errors/stream?workspace=${crasher}`, '1970-01-01T00:00:00.000Z', 1)
    const group = JSON.parse(event!.data) as { message: string; lastSeen: string; workspace: string }
    expect(group).toMatchObject({ workspace: crasher, message: expect.stringMatching(/Cannot read properties of undefined/) })
    expect(event!.id).toBe(group.lastSeen)
    expect(await (await call('DELETE', `/api/workspaces/${crasher}?force=true&purge=true`)).json()).toEqual({ name: crasher, removed: true })
  }, 180_000)

  it('runs exec with args, env, cwd, stdin and a timeout, and stops, starts, restarts and removes', async () => {
    const exec = (body: object) => call('POST', `/api/workspaces/${printer}/exec`, { body: JSON.stringify(body) })
    const ran = await (await exec({ command: 'sh', args: ['-c', 'echo "$GREETING from $(pwd) as $(whoami)"; cat; echo oops >&2; exit 3'], env: { GREETING: 'hi' }, cwd: '/app', stdin: 'piped\n' })).json()
    expect(ran).toEqual({ exitCode: 3, stdout: 'hi from /app as node\npiped\n', stderr: 'oops\n', stdoutTruncated: false, stderrTruncated: false, timedOut: false })
    const slow = await (await exec({ command: 'sleep', args: ['30'], timeoutMs: 500 })).json()
    expect(slow).toMatchObject({ exitCode: 124, timedOut: true })
    // Files: paths outside /app refused, by `..`, as absolute paths and through a link; nothing written there.
    await exec({ command: 'ln', args: ['-s', '/tmp', '/app/out'] })
    const file = (path: string) => `/api/workspaces/${printer}/files/content?path=${encodeURIComponent(path)}`
    for (const path of ['../etc/passwd', '/etc/passwd', 'out/x.txt', '/app/../tmp/x.txt']) {
      const read = await call('GET', file(path))
      expect({ path, status: read.status }).toEqual({ path, status: 422 })
      const write = await call('PUT', file(path), { body: JSON.stringify({ content: 'escaped' }) })
      expect({ path, status: write.status }).toEqual({ path, status: 422 })
    }
    expect((await (await exec({ command: 'ls', args: ['/tmp'] })).json()).stdout).not.toMatch(/x\.txt/)
    expect((await call('PUT', file('data/in.bin'), { body: JSON.stringify({ content: Buffer.from([0, 255, 1]).toString('base64'), encoding: 'base64' }) })).status).toBe(200)
    expect(await (await call('GET', `${file('data/in.bin')}&encoding=base64`)).json()).toMatchObject({ path: '/app/data/in.bin', size: 3, content: 'AP8B' })
    expect((await call('GET', file('nope.txt'))).status).toBe(404)
    const listed = (await (await call('GET', `/api/workspaces/${printer}/files`)).json()) as Array<{ name: string; type: string }>
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'out', type: 'link' }), expect.objectContaining({ name: 'data', type: 'dir' })]))
    const outside = await exec({ command: 'true', cwd: '../etc' })
    expect(outside.status).toBe(422)
    expect((await outside.json()).error.message).toMatch(/outside \/app/)
    expect(((await (await call('POST', `/api/workspaces/${printer}/stop`)).json()) as Workspace).container).toBe('exited')
    expect(((await (await call('POST', `/api/workspaces/${printer}/start`)).json()) as Workspace).container).toBe('running')
    expect(((await (await call('POST', `/api/workspaces/${printer}/restart`)).json()) as Workspace).container).toBe('running')
    expect(await (await call('DELETE', `/api/workspaces/${printer}?force=true`)).json()).toEqual({ name: printer, removed: true })
    expect(await names()).toEqual([])
  }, 180_000)
})

describe('the SDK', () => {
  it('finds the server in the data folder, creates a sandbox, runs a command, reads its output and removes it', async () => {
    writeServeFile(home, { url: server.url, pid: process.pid })
    const sandlot = await Sandlot.connect({ home })
    const sandbox = await sandlot.workspaces.create({ template: 'shell', name: `sdk-${id}` })
    expect(sandbox.info.status).toBe('ready')
    const written = await sandbox.commands.run('echo "console.log(6 * 7)" > answer.js && node answer.js', { timeout: 30_000 })
    expect(written).toMatchObject({ exitCode: 0, stdout: '42\n', stderr: '' })
    const failed = await sandbox.commands.run('ls /nowhere')
    expect(failed.exitCode).not.toBe(0)
    expect(failed.stderr).toMatch(/nowhere/)
    await sandbox.remove()
    expect(await names()).toEqual([])
    await expect(sandlot.workspaces.get(sandbox.name)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' })
  }, 300_000)

  it('runs the agent loop on node-api: write a file, run it, the preview answers, logs followed across a process restart', async () => {
    const sandlot = await Sandlot.connect({ url: server.url, token })
    const phases: string[] = []
    const sandbox = await sandlot.workspaces.create({ template: 'node-api', name: `agent-${id}`, onProgress: (p) => phases.push(p.phase) })
    expect(phases).toContain('claim')
    expect(phases.at(-1)).toBe('ready')
    expect(sandbox.info).toMatchObject({ name: `agent-${id}`, status: 'ready' })
    try {
      expect(sandbox.previewUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const health = await fetch(`${sandbox.previewUrl}/health`)
      expect(health.status).toBe(200)
      expect((await health.json()).ok).toBe(true)
      await sandbox.files.write('tools/shout.js', 'console.log(process.argv[2].toUpperCase())\n')
      expect((await sandbox.files.list('tools')).map((f) => [f.name, f.type])).toEqual([['shout.js', 'file']])
      expect(await sandbox.files.read('/app/tools/shout.js')).toBe('console.log(process.argv[2].toUpperCase())\n')
      const run = await sandbox.commands.run('node tools/shout.js hello', { timeout: 30_000 })
      expect(run).toMatchObject({ exitCode: 0, stdout: 'HELLO\n' })
      // Following from the first stored line: the first boot's "Listening" line, then the restarted app's.
      const stop = new AbortController()
      const lines = sandbox.logs.follow({ after: 0, signal: stop.signal })
      const seen: LogLine[] = []
      const listening = async (count: number): Promise<void> => {
        for await (const line of lines) {
          seen.push(line)
          if (seen.filter((l) => /^Listening on http:/.test(l.line)).length >= count) return
        }
      }
      await listening(1)
      expect(await sandbox.process.status()).toBeTypeOf('object')
      await sandbox.process.restart()
      await listening(2)
      stop.abort()
      const ids = seen.map((l) => l.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
    } finally {
      await sandbox.remove()
    }
  }, 300_000)

  it("runs the README's agent loop as written: streamed run, preview, upload, a terminal, restart, logs, save and restore", async () => {
    writeServeFile(home, { url: server.url, pid: process.pid })
    const chunks: Buffer[] = []
    for await (const chunk of tarOf({ 'logo.txt': 'a logo' })) chunks.push(chunk as Buffer)
    const tarBytes = new Uint8Array(Buffer.concat(chunks))
    const out: string[] = []
    const log = (text: unknown): void => void out.push(String(text))
    // From here to the end of the try block, the README's example with `console.log` and `process.stdout.write` as `log`.
    const sandlot = await Sandlot.connect({ home, WebSocket: WebSocket as unknown as WebSocketClass })
    const sandbox = await sandlot.workspaces.create({ template: 'node-api', name: `readme-${id}`, onProgress: (p) => log(p.phase) })
    let saved: Uint8Array | undefined
    try {
      await sandbox.files.write('tools/shout.js', 'console.log(process.argv[2].toUpperCase())\n')
      const run = await sandbox.commands.run('node tools/shout.js hello', { timeout: 30_000, onStdout: (d) => log(d) })
      if (run.exitCode !== 0) throw new Error(run.stderr)
      expect(run.stdout).toBe('HELLO\n')
      log((await fetch(`${sandbox.previewUrl}/health`)).status)
      await sandbox.files.upload(tarBytes, 'assets')
      let screen = ''
      const terminal = await sandbox.terminal.open({ onData: (bytes) => void (screen += Buffer.from(bytes).toString()) })
      terminal.write('ls assets && exit\n')
      expect(await terminal.wait()).toBe(0)
      expect(screen).toMatch(/logo\.txt/)
      await sandbox.process.restart()
      const followed: string[] = []
      for await (const line of sandbox.logs.follow({ after: 0, signal: AbortSignal.timeout(5_000) })) followed.push(line.line)
      expect(followed.filter((l) => /^Listening on http:/.test(l)).length).toBeGreaterThanOrEqual(1)
      saved = await sandbox.save()
    } finally {
      await sandbox.remove()
    }
    expect(out).toEqual(expect.arrayContaining(['claim', 'ready', 'HELLO\n', '200']))
    const back = await sandlot.workspaces.restore(saved!, { name: `readme-back-${id}` })
    try {
      expect(await back.files.read('assets/logo.txt')).toBe('a logo')
    } finally {
      await back.remove()
    }
    expect(await names()).toEqual([])
  }, 300_000)
})

/** Reads `count` events of an SSE route (resuming after `lastEventId`), then cuts the connection. */
async function readSse(path: string, lastEventId: string, count: number): Promise<Array<{ id: string; data: string }>> {
  const abort = new AbortController()
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, 'last-event-id': lastEventId }, signal: abort.signal })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
  const events: Array<{ id: string; data: string }> = []
  const decoder = new TextDecoder()
  let buffered = ''
  const reader = res.body!.getReader()
  try {
    while (events.length < count) {
      const { value, done } = await reader.read()
      if (done) throw new Error(`the stream ended after ${events.length} events`)
      buffered += decoder.decode(value, { stream: true })
      let end: number
      while ((end = buffered.indexOf('\n\n')) >= 0 && events.length < count) {
        const block = buffered.slice(0, end)
        buffered = buffered.slice(end + 2)
        const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]))
        if (fields.id !== undefined) events.push({ id: fields.id, data: fields.data! })
      }
    }
  } finally {
    abort.abort()
  }
  return events
}
