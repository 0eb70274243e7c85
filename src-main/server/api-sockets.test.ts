import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { StreamSink } from '../core/api'
import { WS_TERMINAL_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../core/contract/ws-transport'
import { fakeCoreApi } from '../transport/test-support/fake-core-api'
import { createApiSockets, type ApiSockets } from './api-sockets'
import { allowedHosts, allowedOrigins } from './listen-address'

const TOKEN = 'a'.repeat(64)
/** The server's current token: a test replaces it as `sandlot token rotate` would. */
let current = TOKEN
const terminal = { id: 'tabcde', name: 'one', target: { kind: 'host' as const }, state: 'running' as const, exitCode: null, cols: 80, rows: 24, position: 0, createdAt: '2026-01-01T00:00:00.000Z', revived: false }

let server: Server
let sockets: ApiSockets
let port: number
/** What the fake terminal received: input, acknowledged code units; and its sink, to send output. */
let written: string[]
let acked: number[]
let sink: StreamSink | undefined

beforeEach(async () => {
  written = []
  acked = []
  current = TOKEN
  sink = undefined
  server = createServer()
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve()))
  port = (server.address() as AddressInfo).port
  sockets = createApiSockets({
    api: fakeCoreApi({}, {}, {
      'terminals.attach': async ({ id }, given) => {
        if (id !== terminal.id) throw Object.assign(new Error('no such terminal'), { code: 'NOT_FOUND' })
        sink = given
        given.data('screen é')
        return { result: { terminal }, handle: { write: (d) => void written.push(d), ack: (n) => void acked.push(n), close: () => undefined } }
      }
    }),
    token: () => current,
    tokenCheckMs: 20,
    hosts: new Set(allowedHosts('127.0.0.1', port)),
    origins: new Set(allowedOrigins('127.0.0.1', port))
  })
  server.on('upgrade', (req, socket, head) => sockets.handleUpgrade(req, socket, head, new URL(req.url!, 'http://server')))
})

afterEach(async () => {
  await sockets.close()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function open(path = `/ws/terminals/${terminal.id}`): Promise<{ socket: WebSocket; text: string[]; binary: Buffer[] }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, [WS_TERMINAL_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${TOKEN}`])
  const text: string[] = []
  const binary: Buffer[] = []
  socket.on('message', (data, isBinary) => (isBinary ? binary.push(data as Buffer) : text.push(data.toString())))
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, text, binary }))
    socket.once('error', reject)
  })
}

const until = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('a terminal over the API socket', () => {
  it('sends ready before the screen, and the screen as UTF-8 bytes', async () => {
    const { text, binary } = await open()
    await until(() => binary.length > 0)
    expect(JSON.parse(text[0]!)).toEqual({ type: 'ready', terminal })
    expect(Buffer.concat(binary).toString()).toBe('screen é')
  })

  it('decodes input split inside a character across binary frames, once', async () => {
    const { socket } = await open()
    await until(() => sink !== undefined)
    const bytes = Buffer.from('é\n')
    socket.send(bytes.subarray(0, 1), { binary: true })
    socket.send(bytes.subarray(1), { binary: true })
    await until(() => written.join('') === 'é\n')
    expect(written.join('')).toBe('é\n')
  })

  it('turns acknowledged bytes into the code units the core counts', async () => {
    const { socket, binary } = await open()
    await until(() => binary.length > 0)
    // "screen é": 9 bytes, 8 code units.
    socket.send(JSON.stringify({ type: 'ack', bytes: 9 }))
    await until(() => acked.length > 0)
    expect(acked).toEqual([8])
  })

  it('answers a frame it cannot read with an error frame and stays open', async () => {
    const { socket, text } = await open()
    socket.send('not json')
    socket.send(JSON.stringify({ type: 'ack', bytes: -1 }))
    await until(() => text.length >= 3)
    expect(text.slice(1).map((t) => JSON.parse(t).error.code)).toEqual(['BAD_REQUEST', 'BAD_REQUEST'])
    expect(socket.readyState).toBe(WebSocket.OPEN)
  })

  it('is signed out with 4401 once the token is replaced, and refused with 4401 for a wrong one', async () => {
    const { socket } = await open()
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
    current = 'b'.repeat(64)
    expect(await closed).toBe(4401)
    const { socket: stale } = await open()
    expect(await new Promise<number>((resolve) => stale.once('close', (code) => resolve(code)))).toBe(4401)
  })

  it('ends with an end frame and a normal close when the terminal is closed', async () => {
    const { socket, text } = await open()
    await until(() => sink !== undefined)
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
    sink!.end(0)
    expect(await closed).toBe(1000)
    expect(JSON.parse(text.at(-1)!)).toEqual({ type: 'end', exitCode: 0 })
  })
})
