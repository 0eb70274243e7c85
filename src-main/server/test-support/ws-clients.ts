import { connect as connectTcp, type Socket } from 'node:net'
import WebSocket from 'ws'
import type { ServerMessage } from '../../core/contract'
import { wsProtocols } from '../../core/contract/ws-transport'

/** Where test clients connect: a server on 127.0.0.1, its own origin, and the token they offer by default. */
export interface WsTarget {
  port: number
  origin: string
  token: string
}

export type Opened = { socket: WebSocket; protocol: string } | { refused: number }

export function connect(target: WsTarget, options: { protocols?: string[]; origin?: string; path?: string; host?: string } = {}): Promise<Opened> {
  const socket = new WebSocket(`ws://127.0.0.1:${target.port}${options.path ?? '/ws'}`, options.protocols ?? wsProtocols(target.token), {
    origin: options.origin ?? target.origin,
    ...(options.host === undefined ? {} : { headers: { Host: options.host } })
  })
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, protocol: socket.protocol }))
    socket.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }))
    socket.once('error', reject)
  })
}

export async function open(target: WsTarget): Promise<WebSocket> {
  const opened = await connect(target)
  if ('refused' in opened) throw new Error(`refused with ${opened.refused}`)
  return opened.socket
}

export function closeCode(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)))
}

/** The next `count` frames the server sends. */
export function nextFrames(socket: WebSocket, count: number): Promise<ServerMessage[]> {
  const received: ServerMessage[] = []
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      received.push(JSON.parse(data.toString()) as ServerMessage)
      if (received.length < count) return
      socket.off('message', onMessage)
      resolve(received)
    }
    socket.on('message', onMessage)
  })
}

/** Sends frames and collects as many replies. */
export function exchange(socket: WebSocket, frames: unknown[]): Promise<ServerMessage[]> {
  const replies = nextFrames(socket, frames.length)
  for (const frame of frames) socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  return replies
}

/** A client on a plain TCP socket, for what well-behaved clients never send. */
export interface RawClient {
  socket: Socket
  /** Everything the server sent so far, as latin1 text. */
  received(): string
  /** Resolves once the server sent at least this text. */
  answered(text: string): Promise<void>
  closed: Promise<void>
}

export function rawClient(port: number, bytes: string | Buffer): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: '127.0.0.1', port })
    let received = ''
    const waiting = new Set<() => void>()
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1')
      waiting.forEach((check) => check())
    })
    // The server may reset the connection: that is an outcome the tests look at, not a failure of the client.
    socket.on('error', () => undefined)
    const closed = new Promise<void>((done) => socket.once('close', () => done()))
    const answered = (text: string): Promise<void> =>
      new Promise((done) => {
        const check = (): void => {
          if (!received.includes(text)) return
          waiting.delete(check)
          done()
        }
        waiting.add(check)
        check()
      })
    socket.once('connect', () => {
      socket.off('error', reject)
      socket.write(bytes)
      resolve({ socket, received: () => received, answered, closed })
    })
    socket.once('error', reject)
  })
}

/** An upgrade request as a browser would send it, with the parts a test wants to change. */
export function upgradeRequest(options: { host: string; origin: string; protocols: string[]; target?: string }): string {
  return [
    `GET ${options.target ?? '/ws'} HTTP/1.1`,
    `Host: ${options.host}`,
    `Origin: ${options.origin}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Key: ${Buffer.from('0123456789abcdef').toString('base64')}`,
    `Sec-WebSocket-Protocol: ${options.protocols.join(', ')}`,
    '',
    ''
  ].join('\r\n')
}

/**
 * A short text frame as a client sends it, masked with an all-zero key (the payload stays readable), or
 * without the mask every client frame must carry (RFC 6455 §5.1).
 */
export function clientTextFrame(text: string, { masked = true } = {}): Buffer {
  const payload = Buffer.from(text, 'utf8')
  if (payload.length > 125) throw new Error('a short frame carries at most 125 bytes')
  return Buffer.concat([Buffer.from([0x81, (masked ? 0x80 : 0) | payload.length]), masked ? Buffer.alloc(4) : Buffer.alloc(0), payload])
}
