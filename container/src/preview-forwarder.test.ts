import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs'
import { get, request, createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http'
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from './clock'
import { monitorConfigFromEnv } from './config'
import { ProcessStatus } from './control-protocol'
import { startMonitor, type RunningMonitor } from './monitor-service'
import { PreviewForwarder, type PreviewTarget } from './preview-forwarder'
import { ProcessSpec } from './protocol'
import { monitorCli, nodeCommand, waitFor } from './testing/harness'
import { ManualClock } from './testing/manual-clock'

// Real sockets on this machine's loopback, ephemeral ports only. Nothing here measures speed:
// every wait polls for an outcome with a generous limit.

const TIMEOUT = 60_000

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Does this host have an IPv6 loopback? Checked once; the ::1 case is skipped (saying why) without it. */
const noIpv6Loopback: string | null = await new Promise((resolve) => {
  const server = createServer()
  server.once('error', (error) => resolve(error.message))
  server.listen(0, '::1', () => server.close(() => resolve(null)))
})

interface Forwarder {
  forwarder: PreviewForwarder
  port: number
  target: PreviewTarget
  diagnostics: string[]
}

/** A forwarder on 127.0.0.1:<any port> whose target the test changes at will. */
async function forwarder(target: Partial<PreviewTarget> = {}): Promise<Forwarder> {
  const current: PreviewTarget = { port: undefined, hosts: [], state: 'ready', reason: 'port answered', ...target }
  const diagnostics: string[] = []
  const instance = new PreviewForwarder({
    port: 0,
    host: '127.0.0.1',
    target: () => current,
    clock: systemClock,
    log: (message) => diagnostics.push(message),
    retryMs: 50
  })
  await instance.start()
  cleanups.push(() => instance.close())
  const { port, listening } = instance.status()
  expect(listening).toBe(true)
  return { forwarder: instance, port, target: current, diagnostics }
}

async function listening<T extends Server | HttpServer>(server: T, host: string): Promise<{ server: T; port: number }> {
  server.listen(0, host)
  await once(server, 'listening')
  cleanups.push(() => {
    ;(server as Server).close()
    ;(server as HttpServer).closeAllConnections?.()
  })
  return { server, port: (server.address() as AddressInfo).port }
}

function httpGet(port: number, path = '/', agent?: import('node:http').Agent): Promise<{ response: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: agent ?? false }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ response, body }))
    }).on('error', reject)
  })
}

/** Sends `data` on a raw connection and collects everything until the other side ends. */
function rawExchange(port: number, data: string | Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('end', () => resolve(Buffer.concat(chunks)))
    socket.on('error', reject)
    socket.write(data)
  })
}

/** A response split the way a strict reader does: status line, headers, exactly Content-Length bytes of body. */
function parseHttpResponse(raw: Buffer) {
  const headerEnd = raw.indexOf('\r\n\r\n')
  expect(headerEnd).toBeGreaterThan(0)
  const [statusLine, ...headerLines] = raw.subarray(0, headerEnd).toString('latin1').split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line)
    expect(match, `header line ${JSON.stringify(line)}`).not.toBeNull()
    headers[match![1]!.toLowerCase()] = match![2]!
  }
  const body = raw.subarray(headerEnd + 4)
  return { statusLine, headers, body: body.toString('utf8'), bodyBytes: body.length }
}

async function expect503(port: number, state: string, why: RegExp) {
  const raw = await rawExchange(port, 'GET /some/page HTTP/1.1\r\nHost: localhost\r\n\r\n')
  const { statusLine, headers, body, bodyBytes } = parseHttpResponse(raw)
  expect(statusLine).toBe('HTTP/1.1 503 Service Unavailable')
  expect(headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'retry-after': '1', connection: 'close', 'x-sandlot-preview': 'unavailable' })
  expect(Number(headers['content-length'])).toBe(bodyBytes)
  expect(body).toMatch(/^<!doctype html>/)
  const text = body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
  expect(text).toContain(`Sandlot: the app is not answering yet — state: ${state}, `)
  expect(text).toMatch(why)
  // A real HTTP client reads it too.
  const viaClient = await httpGet(port)
  expect(viaClient.response.statusCode).toBe(503)
  expect(viaClient.body).toBe(body)
}

/** A request head the preview lets through. */
const REQUEST_HEAD = 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

describe('PreviewForwarder: forwarding', { timeout: TIMEOUT }, () => {
  it('forwards HTTP to an app that listens on 127.0.0.1 only, keeping one client connection one app connection', async () => {
    let appConnections = 0
    const app = createHttpServer((req, res) => res.end(`hello ${req.method} ${req.url} host=${req.headers.host}`))
    app.on('connection', () => appConnections++)
    const { port: appPort } = await listening(app, '127.0.0.1')
    const { port, forwarder: f } = await forwarder({ port: appPort })

    const { Agent } = await import('node:http')
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    for (const path of ['/', '/a?x=1', '/b']) {
      const { response, body } = await httpGet(port, path, agent)
      expect(response.statusCode).toBe(200)
      expect(body).toBe(`hello GET ${path} host=127.0.0.1:${port}`)
    }
    expect(appConnections).toBe(1)
    expect(f.status().connections).toBe(1)
    agent.destroy()
    await waitFor(() => f.status().connections === 0, 'the connection to close')
  })

  describe.skipIf(noIpv6Loopback !== null)(
    noIpv6Loopback === null ? 'on IPv6' : `on IPv6 — skipped: this host has no IPv6 loopback (${noIpv6Loopback})`,
    () => {
      it('forwards HTTP to an app that listens on ::1 only', async () => {
        const app = createHttpServer((_req, res) => res.end('hello from ::1'))
        const { port: appPort } = await listening(app, '::1')
        const { port } = await forwarder({ port: appPort })
        const { response, body } = await httpGet(port)
        expect(response.statusCode).toBe(200)
        expect(body).toBe('hello from ::1')
      })
    }
  )

  it('asks for the target on every connection, so it follows the app to another port', async () => {
    const a = await listening(createHttpServer((_req, res) => res.end('A')), '127.0.0.1')
    const b = await listening(createHttpServer((_req, res) => res.end('B')), '127.0.0.1')
    const { port, target } = await forwarder({ port: a.port })
    expect((await httpGet(port)).body).toBe('A')
    target.port = b.port
    expect((await httpGet(port)).body).toBe('B')
  })

  it('passes a WebSocket-style upgrade through byte-exact, both ways', async () => {
    const upgradeRequest =
      'GET /?token=vite-hmr HTTP/1.1\r\nHost: localhost:5173\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: vite-hmr\r\n\r\n'
    const switching =
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: vite-hmr\r\n\r\n'
    let seenRequest = ''
    // The app answers the upgrade, then echoes every byte (what follows the headers in the same packet included).
    const app = createServer((socket) => {
      let buffered = Buffer.alloc(0)
      const onData = (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk])
        const end = buffered.indexOf('\r\n\r\n')
        if (end < 0) return
        socket.off('data', onData)
        seenRequest = buffered.subarray(0, end + 4).toString('latin1')
        socket.write(switching)
        socket.write(buffered.subarray(end + 4))
        socket.pipe(socket)
      }
      socket.on('data', onData)
    })
    const { port: appPort } = await listening(app, '127.0.0.1')
    const { port, forwarder: f } = await forwarder({ port: appPort })

    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const frames = [everyByte, Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]), randomBytes(300_000), Buffer.from('\r\n\r\n'), everyByte]
    const payload = Buffer.concat(frames)
    const client = connect({ host: '127.0.0.1', port })
    const received: Buffer[] = []
    client.on('data', (chunk: Buffer) => received.push(chunk))
    const ended = once(client, 'end')
    // The first frame rides with the request, the way a client may pipeline it.
    client.write(Buffer.concat([Buffer.from(upgradeRequest, 'latin1'), frames[0]!]))
    await waitFor(() => Buffer.concat(received).length >= switching.length, 'the 101 answer')
    for (const frame of frames.slice(1)) client.write(frame)
    const expected = Buffer.concat([Buffer.from(switching, 'latin1'), payload])
    await waitFor(() => Buffer.concat(received).length >= expected.length, 'the echo')
    client.end()
    await ended
    expect(seenRequest).toBe(upgradeRequest)
    expect(Buffer.concat(received).equals(expected)).toBe(true)
    await waitFor(() => f.status().connections === 0, 'the connection to close')
  })

  it('streams 96 MB from the app byte-exact, and holds the app back while the client does not read', async () => {
    const total = 96 * 1024 * 1024
    const chunkSize = 1024 * 1024
    const sent = { bytes: 0, hash: createHash('sha256'), done: false }
    const app = createServer(async (socket) => {
      socket.on('error', () => {})
      while (sent.bytes < total) {
        const chunk = randomBytes(chunkSize)
        sent.hash.update(chunk)
        const more = socket.write(chunk)
        sent.bytes += chunk.length
        if (!more) await once(socket, 'drain')
      }
      sent.done = true
      socket.end()
    })
    const { port: appPort } = await listening(app, '127.0.0.1')
    const { port, forwarder: f } = await forwarder({ port: appPort })

    const client = connect({ host: '127.0.0.1', port })
    client.pause()
    await once(client, 'connect')
    // The forwarder reaches the app once it has seen the request's head (the Host check).
    client.write(REQUEST_HEAD)
    // Not reading: the app must come to a stop well short of the total, however big the buffers on the way.
    let last = -1
    let steady = 0
    await waitFor(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 100))
        steady = sent.bytes === last ? steady + 1 : 0
        last = sent.bytes
        return steady >= 10
      },
      'the app to stall',
      TIMEOUT / 2
    )
    expect(sent.done).toBe(false)
    expect(sent.bytes).toBeLessThan(total)

    const received = { bytes: 0, hash: createHash('sha256') }
    client.on('data', (chunk: Buffer) => {
      received.bytes += chunk.length
      received.hash.update(chunk)
    })
    client.resume()
    await once(client, 'end')
    expect(received.bytes).toBe(total)
    expect(received.hash.digest('hex')).toBe(sent.hash.digest('hex'))
    await waitFor(() => f.status().connections === 0, 'the connection to close')
  })

  it('carries a 20 MB upload to the app, passes on the client’s half-close, and brings the answer back', async () => {
    // The app answers only after the client's end arrived: the forwarder must keep the way back open.
    const app = createServer({ allowHalfOpen: true }, (socket) => {
      const hash = createHash('sha256')
      let bytes = 0
      socket.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        hash.update(chunk)
      })
      socket.on('end', () => socket.end(`${bytes} ${hash.digest('hex')}\n`))
    })
    const { port: appPort } = await listening(app, '127.0.0.1')
    const { port, forwarder: f } = await forwarder({ port: appPort })

    const upload = Buffer.concat([Buffer.from(REQUEST_HEAD, 'latin1'), randomBytes(20 * 1024 * 1024)])
    const answer = await new Promise<string>((resolve, reject) => {
      const client = connect({ host: '127.0.0.1', port, allowHalfOpen: true })
      let text = ''
      client.setEncoding('utf8')
      client.on('data', (chunk: string) => (text += chunk))
      client.on('end', () => {
        client.end()
        resolve(text)
      })
      client.on('error', reject)
      client.end(upload)
    })
    expect(answer).toBe(`${upload.length} ${sha256(upload)}\n`)
    await waitFor(() => f.status().connections === 0, 'the connection to close')
  })
})

describe('PreviewForwarder: when the app does not answer', { timeout: TIMEOUT }, () => {
  it('answers 503 with a readable page when no app has been started', async () => {
    const { port } = await forwarder({ port: undefined, state: 'idle', reason: 'monitor started' })
    await expect503(port, 'idle', /no app has been started yet/)
  })

  it('answers 503 when the spec names no port', async () => {
    const { port } = await forwarder({ port: undefined, state: 'running', reason: 'started; no readiness check configured' })
    await expect503(port, 'running', /the process spec names no port/)
  })

  it('answers 503 when nothing accepts connections on the app port, naming the port and the state', async () => {
    const appPort = await freePort()
    const { port, forwarder: f } = await forwarder({ port: appPort, state: 'starting', reason: 'start requested' })
    await expect503(port, 'starting', new RegExp(`nothing accepts connections on port ${appPort} \\(127\\.0\\.0\\.1: ECONNREFUSED, ::1: E[A-Z]+\\)`))
    await waitFor(() => f.status().connections === 0, 'the connections to close')
  })

  it('escapes the state reason in the page', async () => {
    const { port } = await forwarder({ port: undefined, state: 'crashed', reason: 'exited with <script>alert(1)</script>' })
    const { body } = parseHttpResponse(await rawExchange(port, REQUEST_HEAD))
    expect(body).toContain('exited with &#60;script&#62;alert(1)&#60;/script&#62;')
    expect(body).not.toContain('<script>')
  })

  it('answers 503 instead of forwarding to itself when the app port is the preview port', async () => {
    const { port, target } = await forwarder()
    target.port = port
    await expect503(port, 'ready', new RegExp(`the app's port ${port} is the preview port itself`))
  })
})

describe('PreviewForwarder: connections and the port', { timeout: TIMEOUT }, () => {
  it('counts open connections and drops to 0 however they end: client end, destroy or reset, app close, 503', async () => {
    const appSockets: Socket[] = []
    // Reads (and drops) what arrives, like any server: so it sees a client's end and ends too.
    const app = createServer((socket) => {
      socket.on('error', () => {})
      socket.resume()
      appSockets.push(socket)
    })
    const { port: appPort } = await listening(app, '127.0.0.1')
    const { port, forwarder: f, target } = await forwarder({ port: appPort })

    const clients = Array.from({ length: 6 }, () => {
      const client = connect({ host: '127.0.0.1', port })
      client.on('error', () => {})
      client.write(REQUEST_HEAD)
      return client
    })
    await waitFor(() => appSockets.length === 6 && f.status().connections === 6, 'six forwarded connections')
    clients[0]!.end()
    clients[1]!.destroy()
    clients[2]!.resetAndDestroy()
    appSockets[3]!.end()
    appSockets[4]!.destroy()
    appSockets[5]!.resetAndDestroy()
    await waitFor(() => f.status().connections === 0, 'every connection to close')
    const appOpen = await new Promise<number>((resolve) => app.getConnections((_error, count) => resolve(count)))
    expect(appOpen).toBe(0)

    // Refused connects and 503 answers leave nothing behind either.
    target.port = await freePort()
    await Promise.all(Array.from({ length: 5 }, () => rawExchange(port, REQUEST_HEAD)))
    const leaving = Array.from({ length: 5 }, () => connect({ host: '127.0.0.1', port }).on('error', () => {}))
    for (const client of leaving) client.destroy()
    await waitFor(() => f.status().connections === 0, 'the 503 connections to close')
  })

  it('cuts open connections and stops listening on close()', async () => {
    const app = createServer((socket) => socket.on('error', () => {}))
    const { port: appPort } = await listening(app, '127.0.0.1')
    const { port, forwarder: f } = await forwarder({ port: appPort })
    const client = connect({ host: '127.0.0.1', port })
    client.on('error', () => {})
    const closed = once(client, 'close')
    await waitFor(() => f.status().connections === 1, 'the connection')
    await f.close()
    await closed
    expect(f.status()).toMatchObject({ listening: false, connections: 0 })
    const refused = await new Promise<string>((resolve) => {
      connect({ host: '127.0.0.1', port }).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? '')).on('connect', () => resolve('connected'))
    })
    expect(refused).toBe('ECONNREFUSED')
  })

  it('says why on stderr when the preview port is taken, retries, and listens once it is free', async () => {
    const blocker = await listening(createServer(), '127.0.0.1')
    const clock = new ManualClock()
    const diagnostics: string[] = []
    const f = new PreviewForwarder({
      port: blocker.port,
      host: '127.0.0.1',
      target: () => ({ port: undefined, hosts: [], state: 'idle', reason: 'monitor started' }),
      clock,
      log: (message) => diagnostics.push(message),
      retryMs: 3000
    })
    cleanups.push(() => f.close())
    await f.start()
    expect(f.status()).toEqual({ port: blocker.port, listening: false, connections: 0, lastConnectionAt: null })
    expect(f.reservedPort()).toBe(blocker.port)
    expect(diagnostics).toEqual([expect.stringContaining(`preview port ${blocker.port} is in use (EADDRINUSE)`)])
    expect(diagnostics[0]).toContain('retrying every 3 s')
    expect(clock.pending()).toEqual([3000])

    // Still taken: another attempt, no new diagnostic yet (it repeats every 20 attempts).
    clock.advance(3000)
    await waitFor(() => clock.pending().length === 1, 'the next retry to be scheduled')
    expect(diagnostics).toHaveLength(1)

    await new Promise<void>((resolve) => blocker.server.close(() => resolve()))
    clock.advance(3000)
    await waitFor(() => f.status().listening, 'the forwarder to listen')
    expect(diagnostics.at(-1)).toBe(`preview port ${blocker.port}: listening now, after 2 failed attempts`)
    await expect503(blocker.port, 'idle', /no app has been started yet/)
  })
})

describe('PreviewForwarder: the Host check (DNS rebinding)', { timeout: TIMEOUT }, () => {
  /** An app that counts what reaches it and echoes the Host it saw. */
  async function countingApp() {
    const seen = { connections: 0, requests: 0 }
    const app = createHttpServer((req, res) => {
      seen.requests++
      res.end(`app saw host=${req.headers.host}`)
    })
    app.on('connection', () => seen.connections++)
    app.on('upgrade', (_req, socket: Socket) => {
      seen.requests++
      socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')
    })
    const { port } = await listening(app, '127.0.0.1')
    return { seen, port }
  }

  function expect403(raw: Buffer, host: string) {
    const { statusLine, headers, body } = parseHttpResponse(raw)
    expect(statusLine).toBe('HTTP/1.1 403 Forbidden')
    expect(headers).toMatchObject({ 'x-sandlot-preview': 'host-refused', connection: 'close', 'content-type': 'text/html; charset=utf-8' })
    expect(body).toContain(host)
    expect(body).toContain('DNS rebinding')
  }

  it('refuses a request and a WebSocket upgrade for a rebinding name with 403 before a byte reaches the app', async () => {
    const app = await countingApp()
    const { port, diagnostics } = await forwarder({ port: app.port })
    expect403(await rawExchange(port, `GET /api/secrets HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`), `evil.example:${port}`)
    const upgrade =
      `GET /?token=x HTTP/1.1\r\nHost: evil.example:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'
    expect403(await rawExchange(port, upgrade), `evil.example:${port}`)
    // Byte by byte, so the head arrives in pieces: checked all the same.
    const split = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port })
      const chunks: Buffer[] = []
      socket.on('data', (chunk: Buffer) => chunks.push(chunk))
      socket.on('end', () => resolve(Buffer.concat(chunks)))
      socket.on('error', reject)
      const bytes = Buffer.from(`POST / HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 2\r\n\r\nhi`)
      let i = 0
      const next = () => {
        if (i < bytes.length && !socket.destroyed) socket.write(bytes.subarray(i, ++i), () => setImmediate(next))
      }
      next()
    })
    expect403(split, 'evil.example')
    expect(app.seen).toEqual({ connections: 0, requests: 0 })
    expect(diagnostics.filter((d) => d.includes('refused'))).toEqual([
      `preview port: refused a request with Host "evil.example:${port}" (only loopback names and the spec's previewHosts are answered)`,
      'preview port: refused a request with Host "evil.example" (only loopback names and the spec\'s previewHosts are answered)'
    ])
  })

  it('refuses a request without Host, with two Host fields, or with a head past the limit', async () => {
    const app = await countingApp()
    const { port } = await forwarder({ port: app.port })
    expect(parseHttpResponse(await rawExchange(port, 'GET / HTTP/1.1\r\n\r\n')).body).toContain('no Host header')
    expect(parseHttpResponse(await rawExchange(port, 'GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n')).body).toContain('several Host headers')
    const big = parseHttpResponse(await rawExchange(port, `GET / HTTP/1.1\r\nHost: localhost\r\nX: ${'a'.repeat(70 * 1024)}\r\n\r\n`))
    expect(big.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large')
    expect(app.seen.connections).toBe(0)
  })

  it('refuses a foreign Host even when no app runs (403, not the 503 page with the app’s state)', async () => {
    const { port } = await forwarder({ port: undefined, state: 'crashed', reason: 'exited with code 1' })
    expect403(await rawExchange(port, 'GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n'), 'evil.example')
  })

  it('forwards the loopback names on any port, and the names the spec allows', async () => {
    const app = await countingApp()
    const { port, target } = await forwarder({ port: app.port })
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LocalHost:9999', 'localhost']) {
      const raw = await rawExchange(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
      expect(parseHttpResponse(raw).body, host).toBe(`app saw host=${host}`)
    }
    const refused = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: dev.tunnel.example\r\n\r\n')
    expect(parseHttpResponse(refused).statusLine).toBe('HTTP/1.1 403 Forbidden')
    target.hosts = ['*.tunnel.example']
    const allowed = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: dev.tunnel.example\r\nConnection: close\r\n\r\n')
    expect(parseHttpResponse(allowed).body).toBe('app saw host=dev.tunnel.example')
  })

  it('passes what cannot be HTTP (a TLS hello) to the app unchecked: no browser page can send it', async () => {
    let received = Buffer.alloc(0)
    const app = createServer((socket) => socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk]))))
    const { port: appPort } = await listening(app, '127.0.0.1')
    const { port } = await forwarder({ port: appPort })
    const hello = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00])
    const client = connect({ host: '127.0.0.1', port })
    client.on('error', () => {})
    client.write(hello)
    cleanups.push(() => client.destroy())
    await waitFor(() => received.length === hello.length, 'the bytes to reach the app')
    expect(received.equals(hello)).toBe(true)
  })
})

describe('monitorConfigFromEnv: SANDLOT_PREVIEW_PORT', () => {
  it('defaults to 4700, takes a port or 0, and refuses anything else', () => {
    expect(monitorConfigFromEnv({}).previewPort).toBe(4700)
    expect(monitorConfigFromEnv({ SANDLOT_PREVIEW_PORT: '' }).previewPort).toBe(4700)
    expect(monitorConfigFromEnv({ SANDLOT_PREVIEW_PORT: '8080' }).previewPort).toBe(8080)
    expect(monitorConfigFromEnv({ SANDLOT_PREVIEW_PORT: '0' }).previewPort).toBe(0)
    for (const bad of ['http', '-1', '70000', '47.5', '4700x']) {
      expect(() => monitorConfigFromEnv({ SANDLOT_PREVIEW_PORT: bad }), bad).toThrow(/^SANDLOT_PREVIEW_PORT must be a TCP port/)
    }
  })
})

// ---------------------------------------------------------------------------------------------
// The preview port as part of the monitor.

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

interface MonitorUnderTest {
  monitor: RunningMonitor
  dir: string
  recordLines: string[]
  /** Whether the preview port still listened when the boot's final record was written. */
  previewAtFinalRecord: boolean[]
}

async function monitorUnderTest(options: { previewPort?: number; dir?: string } = {}): Promise<MonitorUnderTest> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sandlot-preview-'))
  const recordLines: string[] = []
  const previewAtFinalRecord: boolean[] = []
  let monitor: RunningMonitor | undefined = undefined
  monitor = await startMonitor({
    config: { socketPath: join(dir, 'monitor.sock'), specPath: join(dir, 'process.json'), previewPort: options.previewPort ?? 0 },
    stdout: {
      write: (chunk: string) => {
        for (const line of chunk.split('\n').filter(Boolean)) {
          recordLines.push(line)
          if (line.includes('monitor shut down')) previewAtFinalRecord.push(monitor!.preview.status().listening)
        }
      }
    },
    log: () => {},
    env: process.env,
    cwd: dir
  })
  const started = monitor
  cleanups.push(async () => {
    await started.shutdown('test cleanup') // a second shutdown changes nothing
    rmSync(dir, { recursive: true, force: true })
  })
  return { monitor: started, dir, recordLines, previewAtFinalRecord }
}

const httpApp = (port: number, name: string) =>
  nodeCommand(`require("http").createServer((q, s) => s.end(${JSON.stringify(name)})).listen(${port}, "127.0.0.1", () => console.log("listening on ${port}")); setInterval(() => {}, 1000)`)

describe('the preview port in the monitor', { timeout: TIMEOUT }, () => {
  it('forwards to the current spec’s port, follows `process start` to a new port, and shows in `process status`', async () => {
    const { monitor, dir } = await monitorUnderTest()
    const status = async () => ProcessStatus.parse(JSON.parse((await monitorCli(dir, 'process', 'status', '--json')).stdout))
    const preview = (await status()).preview!
    expect(preview).toEqual({ port: expect.any(Number), listening: true, connections: 0, lastConnectionAt: null })
    expect(preview.port).toBeGreaterThan(0)
    await expect503(preview.port, 'idle', /no app has been started yet/)

    const [portA, portB] = [await freePort(), await freePort()]
    await monitor.supervisor.start(ProcessSpec.parse({ command: httpApp(portA, 'app A'), cwd: dir, port: portA, readiness: { pollIntervalMs: 20 } }))
    await waitFor(async () => (await status()).state === 'ready', 'app A to be ready')
    expect((await httpGet(preview.port)).body).toBe('app A')

    const started = await monitorCli(dir, 'process', 'start', '--command', httpApp(portB, 'app B'), '--port', String(portB))
    expect(started.code).toBe(0)
    expect(started.stdout).toMatch(new RegExp(`^preview: +port ${preview.port} forwards to port ${portB}, 0 open connections$`, 'm'))
    await waitFor(async () => (await status()).state === 'ready', 'app B to be ready')
    expect((await httpGet(preview.port)).body).toBe('app B')

    // And after a restart, on the same port again.
    await monitor.supervisor.restart()
    await waitFor(async () => (await status()).state === 'ready', 'app B to be ready again')
    expect((await httpGet(preview.port)).body).toBe('app B')
    await waitFor(async () => (await status()).preview?.connections === 0, 'the preview connections to close')
    // The last connection's time stays (the host's idle stop reads it).
    expect((await status()).preview).toEqual({ port: preview.port, listening: true, connections: 0, lastConnectionAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })
  })

  it('refuses `process start --port <preview port>` with BAD_REQUEST, changing nothing', async () => {
    const { monitor, dir, recordLines } = await monitorUnderTest()
    const previewPort = monitor.preview.status().port
    const refused = await monitorCli(dir, 'process', 'start', '--command', 'npm run dev', '--port', String(previewPort), '--json')
    expect(refused.code).toBe(1)
    expect(JSON.parse(refused.stdout)).toEqual({
      error: {
        code: 'BAD_REQUEST',
        message: `port ${previewPort} is the preview port, reserved by the monitor: let the app listen on another port (the preview port forwards to the spec's port)`
      }
    })
    expect(monitor.supervisor.status()).toMatchObject({ state: 'idle', spec: null, run: 0 })
    expect(recordLines.filter((line) => line.includes('"type":"spec"'))).toEqual([])
  })

  it('fails a resumed spec that names the preview port, saying why', async () => {
    const previewPort = await freePort()
    const dir = mkdtempSync(join(tmpdir(), 'sandlot-preview-'))
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'process.json'), JSON.stringify({ version: 1, desired: 'running', spec: { command: 'true', cwd: dir, port: previewPort } }))
    const { monitor } = await monitorUnderTest({ previewPort, dir })
    expect(monitor.preview.status()).toMatchObject({ port: previewPort, listening: true })
    expect(monitor.supervisor.status()).toMatchObject({ state: 'failed', reason: expect.stringMatching(`^port ${previewPort} is the preview port, reserved by the monitor`) })
  })

  it('closes the preview port on shutdown, before the final record', async () => {
    const { monitor, previewAtFinalRecord } = await monitorUnderTest()
    const { port } = monitor.preview.status()
    const client = connect({ host: '127.0.0.1', port })
    client.on('error', () => {})
    await once(client, 'connect')
    await monitor.shutdown('SIGTERM')
    expect(previewAtFinalRecord).toEqual([false])
    expect(monitor.preview.status()).toMatchObject({ listening: false, connections: 0 })
    const refused = await new Promise<string>((resolve) => {
      const probe = request({ host: '127.0.0.1', port, agent: false })
      probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? ''))
      probe.on('response', () => resolve('answered'))
      probe.end()
    })
    expect(refused).toBe('ECONNREFUSED')
  })
})
