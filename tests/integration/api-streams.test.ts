import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { pack } from 'tar-stream'
import WebSocket from 'ws'
import { ARCHIVE_CAP, WS_TERMINAL_PROTOCOL, WS_MONITORING_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX, type TerminalInfo, type Workspace } from '../../src-main/core/contract'
import type { SandlotCore } from '../../src-main/core/sandlot-core'
import { Sandlot, type Sandbox } from '../../src-main/sdk'
import type { WebSocketClass } from '../../src-main/sdk/http-client'
import type { SandlotServer } from '../../src-main/server/sandlot-server'
import { tempSandlotHome } from '../support/run-cli'
import { startApiServer, type ApiServer } from '../support/api-server'
import { waitFor } from '../support/wait'

// Issue 14: terminals and the monitoring stream over the API's WebSockets, and exec output streamed as Server-Sent
// Events, on loopback, against the real engine.
const home = tempSandlotHome()
const id = Math.random().toString(16).slice(2, 8)
let api: ApiServer
let core: SandlotCore
let server: SandlotServer
let token: string
let base: string
let sandlot: Sandlot
let sandbox: Sandbox

beforeAll(async () => {
  api = await startApiServer(home)
  ;({ core, server, token, base } = api)
  sandlot = await Sandlot.connect({ url: server.url, token, WebSocket: WebSocket as unknown as WebSocketClass })
  sandbox = await sandlot.workspaces.create({ template: 'shell', name: `sockets-${id}` })
}, 600_000)

afterAll(async () => {
  await api?.close()
})

const call: ApiServer['call'] = (method, path, options) => api.call(method, path, options)

type Outcome = { closed: number; frames: string[] } | { refused: number }

/** Opens a raw socket and collects its text frames until it closes (or `untilFrames` arrive), or the refusal. */
function rawSocket(path: string, options: { protocols?: string[]; origin?: string; host?: string; untilFrames?: number; until?: (frame: string) => boolean } = {}): Promise<Outcome & { socket?: WebSocket }> {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}${path}`, options.protocols ?? [WS_TERMINAL_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${token}`], {
    ...(options.origin === undefined ? {} : { origin: options.origin }),
    ...(options.host === undefined ? {} : { headers: { Host: options.host } })
  })
  const frames: string[] = []
  return new Promise((resolve, reject) => {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return
      frames.push(data.toString())
      if (frames.length === options.untilFrames || options.until?.(frames.at(-1)!)) resolve({ closed: 0, frames: [...frames], socket })
    })
    socket.once('close', (code) => resolve({ closed: code, frames }))
    socket.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }))
    socket.once('error', reject)
  })
}

async function terminalIds(): Promise<string[]> {
  return ((await (await call('GET', '/api/terminals')).json()) as TerminalInfo[]).map((t) => t.id)
}

describe('terminals over the API', () => {
  it('opens a workspace shell with the SDK, types into it, resizes it, sees its exit; the window sees the same session', async () => {
    let output = ''
    const decoder = new TextDecoder()
    const terminal = await sandbox.terminal.open({ cols: 100, rows: 30, onData: (bytes) => void (output += decoder.decode(bytes, { stream: true })) })
    expect(terminal.info).toMatchObject({ target: { kind: 'workspace', workspace: sandbox.name }, cols: 100, rows: 30 })
    // The window's list (terminals.list through the contract) holds the same session.
    expect((await core.api.call('terminals.list', {})).map((t) => t.id)).toContain(terminal.id)
    terminal.write('echo "sum=$((6 * 7)) é"\n')
    await waitFor('the echo', async () => (/sum=42 é/.test(output) ? true : undefined))
    expect((await terminal.resize(120, 40))).toMatchObject({ cols: 120, rows: 40 })
    terminal.write('stty size\n')
    await waitFor('the new size', async () => (/40 120/.test(output) ? true : undefined))
    terminal.write('exit 3\n')
    expect(await terminal.wait()).toBe(3)
    // An exited shell's session stays (its screen), until it is closed.
    expect(await terminalIds()).toContain(terminal.id)
    await terminal.kill()
    expect(await terminalIds()).not.toContain(terminal.id)
  }, 120_000)

  it('a second client attaching gets the screen so far; detaching leaves the shell running', async () => {
    const first = await sandbox.terminal.open()
    first.write('echo marker-$((1 + 1))\n')
    first.detach()
    const again = await waitFor('the screen replayed', async () => {
      let screen = ''
      const attached = await sandbox.terminal.attach(first.id, { onData: (b) => void (screen += Buffer.from(b).toString()) })
      await new Promise((resolve) => setTimeout(resolve, 300))
      if (/marker-2/.test(screen)) return attached
      attached.detach()
      return undefined
    })
    expect(await terminalIds()).toContain(first.id)
    await again.kill()
  }, 60_000)

  it('refuses sockets without the token or with a wrong one (4401), from another origin or host (403), for unknown terminals (4404)', async () => {
    const opened = (await (await call('POST', '/api/terminals', { body: JSON.stringify({ target: { kind: 'workspace', workspace: sandbox.name } }) })).json()) as TerminalInfo
    const path = `/ws/terminals/${opened.id}`
    expect(await rawSocket(path, { protocols: [WS_TERMINAL_PROTOCOL] })).toMatchObject({ closed: 4401 })
    expect(await rawSocket(path, { protocols: [WS_TERMINAL_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${'f'.repeat(64)}`] })).toMatchObject({ closed: 4401 })
    expect(await rawSocket(path, { origin: 'http://evil.example' })).toEqual({ refused: 403 })
    expect(await rawSocket(path, { host: 'evil.example' })).toEqual({ refused: 403 })
    expect(await rawSocket('/ws/terminals/not-an-id')).toEqual({ refused: 404 })
    const unknown = await rawSocket('/ws/terminals/tnosuchterminal')
    expect(unknown).toMatchObject({ closed: 4404 })
    expect(JSON.parse((unknown as { frames: string[] }).frames[0]!)).toMatchObject({ type: 'error', error: { code: 'NOT_FOUND' } })
    // A malformed frame is answered and changes nothing; the socket stays usable.
    const good = await rawSocket(path, { untilFrames: 1 })
    const socket = (good as { socket: WebSocket }).socket
    expect(JSON.parse((good as { frames: string[] }).frames[0]!)).toMatchObject({ type: 'ready', terminal: { id: opened.id } })
    const replies: string[] = []
    socket.on('message', (data, isBinary) => void (isBinary || replies.push(data.toString())))
    socket.send('{"type":"resize","cols":')
    socket.send(JSON.stringify({ type: 'resize', cols: 1, rows: 5 }))
    socket.send(JSON.stringify({ type: 'resize', cols: 90, rows: 20 }))
    await waitFor('three answers', async () => (replies.length >= 3 ? true : undefined))
    expect(replies.map((r) => JSON.parse(r))).toEqual([
      expect.objectContaining({ type: 'error', error: expect.objectContaining({ code: 'BAD_REQUEST' }) }),
      expect.objectContaining({ type: 'error', error: expect.objectContaining({ code: 'BAD_REQUEST' }) }),
      expect.objectContaining({ type: 'resized', terminal: expect.objectContaining({ cols: 90, rows: 20 }) })
    ])
    socket.close()
    await call('DELETE', `/api/terminals/${opened.id}`)
  }, 60_000)

  it('guards the terminal routes: 401 without or with a wrong token, 400 malformed, 422 invalid, 413 oversized, nothing opened', async () => {
    const before = await terminalIds()
    const routes: Array<[string, string, string?]> = [
      ['GET', '/api/terminals'],
      ['POST', '/api/terminals', JSON.stringify({ target: { kind: 'workspace', workspace: sandbox.name } })],
      ['POST', '/api/terminals/tabcdef/resize', JSON.stringify({ cols: 80, rows: 24 })],
      ['DELETE', '/api/terminals/tabcdef']
    ]
    for (const [method, path, body] of routes) {
      for (const wrong of [null, 'f'.repeat(64)]) {
        const res = await call(method, path, { token: wrong, ...(body === undefined ? {} : { body }) })
        expect({ path, status: res.status }).toEqual({ path, status: 401 })
      }
    }
    expect((await call('POST', '/api/terminals', { body: '{"target":' })).status).toBe(400)
    expect((await call('POST', '/api/terminals', { body: JSON.stringify({ target: { kind: 'workspace', workspace: 'Bad Name' } }) })).status).toBe(422)
    expect((await call('POST', '/api/terminals', { body: JSON.stringify({ target: { kind: 'host' }, pad: 'x'.repeat(5 * 1024 * 1024) }) })).status).toBe(413)
    expect((await call('POST', '/api/terminals', { body: JSON.stringify({ target: { kind: 'workspace', workspace: 'nope' } }) })).status).toBe(404)
    expect((await call('DELETE', '/api/terminals/tnosuchterminal')).status).toBe(404)
    expect(await terminalIds()).toEqual(before)
  })
})

describe('exec streamed', () => {
  it('hands stdout and stderr to the SDK as they come (the command waits for a file the test writes on its first line), with stdin', async () => {
    const out: string[] = []
    const err: string[] = []
    const script = 'echo ready; echo warm >&2; while [ ! -f /app/go ]; do sleep 0.1; done; cat; echo done; exit 4'
    const result = await sandbox.commands.run(script, {
      timeout: 30_000,
      stdin: 'piped é\n',
      onStdout: (data) => {
        out.push(data)
        if (out.join('') === 'ready\n') void sandbox.files.write('go', '')
      },
      onStderr: (data) => void err.push(data)
    })
    expect(result).toEqual({ exitCode: 4, stdout: 'ready\npiped é\ndone\n', stderr: 'warm\n', stdoutTruncated: false, stderrTruncated: false, timedOut: false })
    expect(out.join('')).toBe(result.stdout)
    expect(err.join('')).toBe('warm\n')
    const slow = await sandbox.commands.run('echo start; sleep 30', { timeout: 500, onStdout: () => undefined })
    expect(slow).toMatchObject({ exitCode: 124, stdout: 'start\n', timedOut: true })
  }, 60_000)

  it('answers a stream for a missing workspace or a bad body as a JSON error, before any event', async () => {
    const stream = (path: string, body: string, auth = token) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${auth}`, accept: 'text/event-stream', 'content-type': 'application/json' }, body })
    const missing = await stream('/api/workspaces/nope/exec', JSON.stringify({ command: 'true' }))
    expect([missing.status, (await missing.json()).error.code]).toEqual([404, 'NOT_FOUND'])
    expect((await stream(`/api/workspaces/${sandbox.name}/exec`, '{"command":')).status).toBe(400)
    expect((await stream(`/api/workspaces/${sandbox.name}/exec`, JSON.stringify({ command: '-rf' }))).status).toBe(422)
    expect((await stream(`/api/workspaces/${sandbox.name}/exec`, JSON.stringify({ command: 'true' }), 'f'.repeat(64))).status).toBe(401)
    expect((await stream(`/api/workspaces/${sandbox.name}/exec`, JSON.stringify({ command: 'cat', stdin: 'x'.repeat(5 * 1024 * 1024) }))).status).toBe(413)
  })
})

type Entry = { name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; content?: string; linkname?: string; mode?: number }

/** A tar of these entries, in memory (the SDK sends bytes). */
async function tarBytes(entries: Entry[]): Promise<Uint8Array> {
  const tar = pack()
  for (const { content, ...header } of entries) tar.entry({ mode: 0o644, ...header }, content ?? '')
  tar.finalize()
  const chunks: Buffer[] = []
  for await (const chunk of tar) chunks.push(chunk as Buffer)
  return new Uint8Array(Buffer.concat(chunks))
}

/** The entries of a tar (names and file contents). */
async function tarEntries(bytes: Uint8Array): Promise<Record<string, string>> {
  const { extract } = await import('tar-stream')
  const input = extract()
  const entries: Record<string, string> = {}
  const reading = (async () => {
    for await (const entry of input) {
      const chunks: Buffer[] = []
      for await (const chunk of entry) chunks.push(chunk as Buffer)
      entries[entry.header.name] = entry.header.type === 'file' ? Buffer.concat(chunks).toString() : `<${entry.header.type}>`
    }
  })()
  input.end(Buffer.from(bytes))
  await reading
  return entries
}

describe('file operations', () => {
  it('stats, makes folders, moves and removes inside /app; refuses escapes, /app itself, a taken destination and a full folder', async () => {
    await sandbox.files.makeDir('ops/deep/er')
    expect(await sandbox.files.getInfo('ops/deep')).toMatchObject({ name: 'deep', path: '/app/ops/deep', type: 'dir' })
    await sandbox.files.write('ops/a.txt', 'a')
    await sandbox.commands.run('ln -s a.txt /app/ops/alias && ln -sfn /etc /app/ops/out')
    expect(await sandbox.files.getInfo('ops/alias')).toMatchObject({ type: 'link' })
    await sandbox.files.rename('ops/a.txt', 'ops/deep/b.txt')
    expect(await sandbox.files.read('ops/deep/b.txt')).toBe('a')
    await sandbox.files.rename('ops/alias', 'ops/alias2')
    expect((await sandbox.files.list('ops')).map((e) => e.name).sort()).toEqual(['alias2', 'deep', 'out'])
    await sandbox.files.write('ops/c.txt', 'c')
    await expect(sandbox.files.rename('ops/c.txt', 'ops/deep/b.txt')).rejects.toMatchObject({ status: 409 })
    await expect(sandbox.files.remove('ops/deep')).rejects.toMatchObject({ status: 409 })
    for (const [what, attempt] of [
      ['stat ..', () => sandbox.files.getInfo('../etc/passwd')],
      ['mkdir absolute', () => sandbox.files.makeDir('/tmp/made')],
      ['mkdir through a link', () => sandbox.files.makeDir('ops/out/made')],
      ['move out', () => sandbox.files.rename('ops/c.txt', '../tmp/c.txt')],
      ['move through a link', () => sandbox.files.rename('ops/c.txt', 'ops/out/c.txt')],
      ['remove /app', () => sandbox.files.remove('.', { recursive: true })],
      ['remove outside', () => sandbox.files.remove('/etc/hostname')]
    ] as const) {
      await expect(attempt(), what).rejects.toMatchObject({ status: 422 })
    }
    expect((await sandbox.commands.run('ls /tmp /etc/hostname; ls /app/ops')).stdout).toMatch(/^\/etc\/hostname\n[\s\S]*c\.txt/)
    await sandbox.files.remove('ops', { recursive: true })
    await expect(sandbox.files.getInfo('ops')).rejects.toMatchObject({ status: 404 })
    expect((await sandbox.commands.run('ls -d /etc')).exitCode).toBe(0)
  }, 60_000)

  it('guards the file operation routes: 401 without or with a wrong token, 400 malformed, 422 invalid', async () => {
    const routes: Array<[string, string, string?]> = [
      ['GET', `/api/workspaces/${sandbox.name}/files/stat?path=a`],
      ['POST', `/api/workspaces/${sandbox.name}/files/mkdir`, JSON.stringify({ path: 'never' })],
      ['POST', `/api/workspaces/${sandbox.name}/files/move`, JSON.stringify({ from: 'a', to: 'b' })],
      ['DELETE', `/api/workspaces/${sandbox.name}/files?path=a`]
    ]
    for (const [method, path, body] of routes) {
      for (const wrong of [null, 'f'.repeat(64)]) {
        const res = await call(method, path, { token: wrong, ...(body === undefined ? {} : { body }) })
        expect({ path, status: res.status }).toEqual({ path, status: 401 })
      }
    }
    expect((await call('POST', `/api/workspaces/${sandbox.name}/files/mkdir`, { body: '{"path":' })).status).toBe(400)
    expect((await call('POST', `/api/workspaces/${sandbox.name}/files/move`, { body: JSON.stringify({ from: 'a' }) })).status).toBe(422)
    expect((await call('POST', `/api/workspaces/${sandbox.name}/files/mkdir`, { body: JSON.stringify({ path: 'x'.repeat(5000) }) })).status).toBe(422)
    expect((await sandbox.commands.run('test -e /app/never')).exitCode).not.toBe(0)
  })
})

describe('archives', () => {
  it('uploads a tar into a folder as node, downloads it back, and puts it back elsewhere', async () => {
    const tar = await tarBytes([
      { name: 'src/', type: 'directory', mode: 0o755 },
      { name: 'src/a.txt', content: 'hello é' },
      { name: 'src/b.sh', content: '#!/bin/sh\necho b\n', mode: 0o4755 },
      { name: 'src/link', type: 'symlink', linkname: 'a.txt' }
    ])
    expect(await sandbox.files.upload(tar, 'up')).toMatchObject({ path: '/app/up' })
    expect(await sandbox.files.read('up/src/link')).toBe('hello é')
    const owners = await sandbox.commands.run('stat -c "%U %a" up/src/a.txt up/src/b.sh')
    expect(owners.stdout).toBe('node 644\nnode 755\n')
    const downloaded = await tarEntries(await sandbox.files.download('up'))
    expect(downloaded).toMatchObject({ './src/a.txt': 'hello é', './src/link': '<symlink>' })
    await sandbox.files.upload(await sandbox.files.download('up'), 'copy')
    expect(await sandbox.files.read('copy/src/a.txt')).toBe('hello é')
    expect(await tarEntries(await sandbox.files.download('up/src/a.txt'))).toEqual({ 'a.txt': 'hello é' })
  }, 60_000)

  it('refuses entries that leave the folder, links out, hard links and targets outside /app, changing nothing', async () => {
    await sandbox.commands.run('ln -sfn /tmp /app/outside')
    const refused: Array<[string, Entry[], string?]> = [
      ['up .. out', [{ name: '../evil.txt', content: 'x' }]],
      ['absolute', [{ name: '/tmp/evil.txt', content: 'x' }]],
      ['link out', [{ name: 'evil', type: 'symlink', linkname: '/etc' }]],
      ['link up', [{ name: 'evil', type: 'symlink', linkname: '../../etc' }]],
      ['through a link', [{ name: 'l', type: 'symlink', linkname: '.' }, { name: 'l/evil.txt', content: 'x' }]],
      ['hard link', [{ name: 'a.txt', content: 'x' }, { name: 'evil', type: 'link', linkname: 'a.txt' }]],
      ['target ..', [{ name: 'ok.txt', content: 'x' }], '../tmp'],
      ['target through a link', [{ name: 'ok.txt', content: 'x' }], 'outside/x']
    ]
    for (const [what, entries, path] of refused) {
      const res = await fetch(`${base}/api/workspaces/${sandbox.name}/files/archive?path=${encodeURIComponent(path ?? 'refused')}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-tar' },
        body: Buffer.from(await tarBytes(entries))
      })
      expect({ what, status: res.status }).toEqual({ what, status: 422 })
      expect((await res.json()).error.hint).toBeTruthy()
    }
    const left = await sandbox.commands.run('ls -A /app /tmp /')
    expect(left.stdout).not.toMatch(/evil|ok\.txt|refused/)
    await expect(sandbox.files.upload(new Uint8Array(Buffer.from('not a tar at all')), 'refused')).rejects.toMatchObject({ status: 422, code: 'BAD_REQUEST' })
    await expect(sandbox.files.download('../etc')).rejects.toMatchObject({ status: 422 })
    await expect(sandbox.files.download('outside')).rejects.toMatchObject({ status: 422 })
    // A link out of /app would also make the workspace unsavable (see the save test below).
    await sandbox.commands.run('rm /app/outside')
  }, 60_000)

  it('guards the archive routes: 401 without or with a wrong token, 413 for an archive over the limit, 404 for no workspace', async () => {
    const routes: Array<[string, string]> = [
      ['PUT', `/api/workspaces/${sandbox.name}/files/archive`],
      ['GET', `/api/workspaces/${sandbox.name}/files/archive`],
      ['GET', `/api/workspaces/${sandbox.name}/archive`],
      ['POST', '/api/workspaces/restore'],
      ['POST', '/api/templates']
    ]
    for (const [method, path] of routes) {
      for (const wrong of [null, 'f'.repeat(64)]) {
        const res = await fetch(`${base}${path}`, { method, headers: wrong === null ? {} : { authorization: `Bearer ${wrong}` }, ...(method === 'GET' ? {} : { body: 'x' }) })
        expect({ path, status: res.status }).toEqual({ path, status: 401 })
      }
    }
    // Declared larger than the limit: refused before the body is read.
    const oversized = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/api/workspaces/${sandbox.name}/files/archive?path=big`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-length': String(ARCHIVE_CAP + 1) } }, (res) => {
        let body = ''
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
      req.write(Buffer.alloc(1024))
    })
    expect(oversized.status).toBe(413)
    expect(JSON.parse(oversized.body).error.code).toBe('TOO_LARGE')
    expect((await sandbox.commands.run('test -e /app/big')).exitCode).not.toBe(0)
    const missing = await fetch(`${base}/api/workspaces/nope/files/archive`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: Buffer.from(await tarBytes([{ name: 'a', content: 'x' }])) })
    expect(missing.status).toBe(404)
  })

  it('adds a template from an uploaded .tar.gz of its folder, and refuses one with a link out, adding nothing', async () => {
    const { gzipSync } = await import('node:zlib')
    const manifest = JSON.stringify({ id: `up-${id}`, name: 'Uploaded', description: 'From an archive', start: 'node server.js' })
    const folder = await tarBytes([
      { name: 'my-template/', type: 'directory', mode: 0o755 },
      { name: 'my-template/template.json', content: manifest },
      { name: 'my-template/server.js', content: 'console.log("hi")\n' }
    ])
    const added = await sandlot.templates.add(gzipSync(folder))
    expect(added).toMatchObject({ id: `up-${id}`, source: 'user', files: 1, replaced: false })
    expect((await sandlot.templates.list()).map((t) => t.id)).toContain(`up-${id}`)
    await expect(sandlot.templates.add(gzipSync(folder))).rejects.toMatchObject({ status: 409 })
    expect(await sandlot.templates.add(folder, { replace: true })).toMatchObject({ replaced: true })
    const linked = await tarBytes([
      { name: 'template.json', content: JSON.stringify({ id: `bad-${id}`, name: 'Bad' }) },
      { name: 'secrets', type: 'symlink', linkname: '/etc' }
    ])
    await expect(sandlot.templates.add(linked)).rejects.toMatchObject({ status: 422, code: 'BAD_REQUEST' })
    await expect(sandlot.templates.add(new Uint8Array(Buffer.from('not an archive')))).rejects.toMatchObject({ status: 422 })
    expect((await sandlot.templates.list()).map((t) => t.id)).not.toContain(`bad-${id}`)
  })

  it('saves a workspace as a download and restores it from the upload as a new one', async () => {
    await sandbox.files.write('notes/kept.txt', 'kept\n')
    const saved = await sandbox.save()
    const restored = await sandlot.workspaces.restore(saved, { name: `restored-${id}` })
    try {
      expect(restored.info).toMatchObject({ name: `restored-${id}`, status: 'ready' } satisfies Partial<Workspace>)
      expect(await restored.files.read('notes/kept.txt')).toBe('kept\n')
    } finally {
      await restored.remove()
    }
    const bad = await fetch(`${base}/api/workspaces/restore`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/gzip' }, body: 'not an archive' })
    expect(bad.status).toBe(422)
    expect((await sandlot.workspaces.list()).map((w) => w.name)).toEqual([sandbox.name])
  }, 120_000)
})

describe('processes', () => {
  it('starts an app with a command of its own in a workspace whose template has none, then stops it', async () => {
    await expect(sandbox.process.restart()).rejects.toMatchObject({ status: 409 })
    const started = await sandbox.process.start({ command: 'node -e "setInterval(() => console.log(\'tick\'), 100)"' })
    expect(started).toBeTypeOf('object')
    await waitFor('a tick stored', async () => ((await sandbox.logs.list({ query: 'tick', limit: 1 })).length > 0 ? true : undefined))
    expect(await sandbox.process.status()).toMatchObject({ spec: { command: expect.stringMatching(/tick/) }, pid: expect.any(Number) })
    await sandbox.process.stop()
    const stop = await call('POST', `/api/workspaces/${sandbox.name}/process/stop`, { body: JSON.stringify({ command: 'true' }) })
    expect(stop.status).toBe(422)
    const extra = await call('POST', `/api/workspaces/${sandbox.name}/process/start`, { body: JSON.stringify({ command: 'true', other: 1 }) })
    expect(extra.status).toBe(422)
  }, 60_000)
})

describe('/ws/monitoring', () => {
  it('streams the live process events of one workspace (the monitor stopping with its container), after the token check', async () => {
    expect(await rawSocket(`/ws/monitoring?workspace=${sandbox.name}`, { protocols: [WS_MONITORING_PROTOCOL] })).toMatchObject({ closed: 4401 })
    const opened = rawSocket(`/ws/monitoring?workspace=${sandbox.name}`, {
      protocols: [WS_MONITORING_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${token}`],
      until: (frame) => JSON.parse(frame).payload.event?.state === 'stopped'
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await sandbox.stop()
    const outcome = await opened
    const frames = 'frames' in outcome ? outcome.frames.map((f) => JSON.parse(f) as { payload: { workspace?: string; name?: string } }) : []
    expect(frames.at(-1)).toMatchObject({ type: 'event', event: 'history.events', payload: { workspace: sandbox.name, event: { kind: 'state', state: 'stopped' } } })
    // Only this workspace's: its own changes (workspaces.changed) and earlier events may come first.
    expect(frames.every((f) => (f.payload.workspace ?? f.payload.name) === sandbox.name)).toBe(true)
    outcome.socket?.close()
  }, 60_000)
})
