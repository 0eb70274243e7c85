import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadApiToken, rotateApiToken } from '../core/api-token'
import type { EngineStatus } from '../core/contract'
import { wsProtocols } from '../core/contract/ws-transport'
import { allowedHosts, allowedOrigins } from './listen-address'
import { fakeCoreApi, fakeEventSource, unreachableStatus } from '../transport/test-support/fake-core-api'
import { tokenReader } from './token-auth'
import { clientTextFrame, closeCode, connect, exchange, nextFrames, open, rawClient, upgradeRequest, type WsTarget } from './test-support/ws-clients'
import { attachWsServer, MAX_MESSAGE_BYTES, type WsServer } from './ws-server'

const status = unreachableStatus
const terminal = { id: 'tabcde', name: 'one', target: { kind: 'host' as const }, state: 'running' as const, exitCode: null, cols: 80, rows: 24, position: 0, createdAt: '2026-01-01T00:00:00.000Z', revived: false }

let folder: string
let tokenFile: string
let server: Server
let wsServer: WsServer
let target: WsTarget
let problems: string[]
let engine: ReturnType<typeof fakeEventSource<EngineStatus>>
/** What clients did with the terminal streams they attached: input received, closed. */
let streams: { written: string[]; closed: boolean }[]

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'sandlot-ws-'))
  tokenFile = join(folder, 'api-token')
  problems = []
  streams = []
  engine = fakeEventSource<EngineStatus>()
  server = createServer()
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve()))
  const { port } = server.address() as AddressInfo
  wsServer = attachWsServer(server, {
    api: fakeCoreApi({ 'engine.status': () => status }, { 'engine.status': engine.source }, {
      'terminals.attach': async (_params, sink) => {
        const stream = { written: [] as string[], closed: false }
        streams.push(stream)
        sink.data('screen')
        return { result: { terminal }, handle: { write: (d) => void stream.written.push(d), ack: () => undefined, close: () => void (stream.closed = true) } }
      }
    }),
    token: tokenReader(() => loadApiToken(tokenFile), (problem) => problems.push(problem)),
    hosts: new Set(allowedHosts('127.0.0.1', port)),
    origins: new Set(allowedOrigins('127.0.0.1', port)),
    tokenCheckMs: 20
  })
  target = { port, origin: `http://127.0.0.1:${port}`, token: loadApiToken(tokenFile) }
})

afterEach(async () => {
  await wsServer.close()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  rmSync(folder, { recursive: true, force: true })
})

/** The server is still up: a new client signs in and gets an answer. */
async function answersNextClient(): Promise<void> {
  const socket = await open(target)
  expect(await exchange(socket, [{ type: 'request', id: 'next', method: 'engine.status', params: {} }])).toEqual([{ type: 'result', id: 'next', result: status }])
  socket.close()
}

function upgrade(protocols: string[], changes: { host?: string; target?: string } = {}): string {
  return upgradeRequest({ host: `127.0.0.1:${target.port}`, origin: target.origin, protocols, ...changes })
}

describe('a WebSocket server that misbehaving clients cannot crash', () => {
  it('drops a client that sends an unmasked frame, signed in or not', async () => {
    for (const protocols of [wsProtocols(target.token), ['sandlot.v1']]) {
      const client = await rawClient(target.port, upgrade(protocols))
      await client.answered('HTTP/1.1 101')
      client.socket.write(clientTextFrame('hi', { masked: false }))
      await client.closed
    }
    await answersNextClient()
  })

  it('drops a client that sends a message over the size limit', async () => {
    const socket = await open(target)
    // The client's end may see a reset while it is still sending.
    socket.on('error', () => undefined)
    const closed = closeCode(socket)
    socket.send('x'.repeat(MAX_MESSAGE_BYTES + 1024))
    expect([1006, 1009]).toContain(await closed)
    await answersNextClient()
  })

  it('survives a refused client that resets the connection', async () => {
    const client = await rawClient(target.port, `${upgrade(wsProtocols(target.token), { host: 'evil.example' })}trailing bytes`)
    await client.answered('HTTP/1.1 403')
    client.socket.resetAndDestroy()
    await client.closed
    await answersNextClient()
  })

  it('refuses an upgrade whose request target cannot be parsed with 400', async () => {
    const client = await rawClient(target.port, upgrade(wsProtocols(target.token), { target: 'http://[' }))
    await client.closed
    expect(client.received()).toMatch(/^HTTP\/1\.1 400 /)
    await answersNextClient()
  })

  it('drops a client that stops reading instead of buffering for it without bound', async () => {
    const socket = await open(target)
    expect(await exchange(socket, [{ type: 'subscribe', id: 's', event: 'engine.status' }])).toEqual([{ type: 'result', id: 's', result: null }])
    socket.pause()
    const big = { ...status, message: 'x'.repeat(1024 * 1024) }
    // Well past the limit plus what the kernel's socket buffers absorb; the session ends long before.
    for (let sent = 0; sent < 64 && engine.listeners.size > 0; sent++) {
      engine.emit(big)
      await new Promise((resolve) => setImmediate(resolve))
    }
    await vi.waitFor(() => expect(engine.listeners.size).toBe(0), { timeout: 10_000 })
    socket.terminate()
    await answersNextClient()
  })
})

describe('the token of open connections', () => {
  it('signs open connections out with 4401 when the token is rotated', async () => {
    const stale = await open(target)
    const staleClosed = closeCode(stale)
    target.token = rotateApiToken(tokenFile)
    expect(await staleClosed).toBe(4401)

    // A connection with the current token outlives many checks.
    const fresh = await open(target)
    let freshClosed = false
    fresh.once('close', () => (freshClosed = true))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(freshClosed).toBe(false)
    await answersNextClient()
    fresh.close()
  })

  it('ends the session of a signed-out client at once, even if it ignores the close', async () => {
    const client = await rawClient(target.port, upgrade(wsProtocols(target.token)))
    await client.answered('HTTP/1.1 101')
    client.socket.write(clientTextFrame(JSON.stringify({ type: 'subscribe', id: 's', event: 'engine.status' })))
    await vi.waitFor(() => expect(engine.listeners.size).toBe(1), { timeout: 10_000 })
    rotateApiToken(tokenFile)
    // A close frame: 0x88, the payload's length, then the code, big-endian. This client never answers it.
    await client.answered('the API token was replaced')
    const close = Buffer.from(client.received().slice(client.received().indexOf('\x88')), 'latin1')
    expect(close.readUInt16BE(2)).toBe(4401)
    expect(engine.listeners.size).toBe(0)
    client.socket.destroy()
  })

  it('closes connections with 1011 and reports once on stderr while the token file is unusable', async () => {
    const signedIn = await open(target)
    const signedInClosed = closeCode(signedIn)
    writeFileSync(tokenFile, 'hand-edited\n')
    expect(await signedInClosed).toBe(1011)
    for (let attempt = 0; attempt < 3; attempt++) {
      const opened = await connect(target)
      if ('refused' in opened) throw new Error(`refused with ${opened.refused}`)
      expect(await closeCode(opened.socket)).toBe(1011)
    }
    expect(problems).toEqual([expect.stringContaining('does not hold a valid token')])
    expect(problems[0]).toContain('Delete the file')

    rmSync(tokenFile)
    target.token = loadApiToken(tokenFile)
    await answersNextClient()
  })
})

describe('terminal streams over the WebSocket', () => {
  it('carries an attach (reply, then the screen), input, a foreign stream id refused, and ends the stream with the connection', async () => {
    const owner = await open(target)
    const frames = nextFrames(owner, 2)
    owner.send(JSON.stringify({ type: 'request', id: 'a1', method: 'terminals.attach', params: { id: 'tabcde' } }))
    const [reply, screen] = await frames
    const stream = (reply as { result: { stream: string } }).result.stream
    expect(reply).toMatchObject({ type: 'result', id: 'a1' })
    expect(screen).toEqual({ type: 'stream.data', stream, data: 'screen' })
    const other = await open(target)
    expect(await exchange(other, [{ type: 'stream.write', stream, data: 'whoami\r' }])).toEqual([
      { type: 'stream.end', stream, exitCode: null, error: expect.objectContaining({ code: 'NOT_FOUND' }) }
    ])
    owner.send(JSON.stringify({ type: 'stream.write', stream, data: 'ls\r' }))
    await exchange(owner, [{ type: 'request', id: 'sync', method: 'engine.status', params: {} }])
    expect(streams[0]!.written).toEqual(['ls\r'])
    owner.close()
    await closeCode(owner)
    for (let i = 0; i < 50 && !streams[0]!.closed; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(streams[0]!.closed).toBe(true)
    other.close()
  })
})
