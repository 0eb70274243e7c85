import WebSocket from 'ws'
import { wsProtocols } from '../../../src-main/core/contract/ws-transport'
import type { ServeProcess } from './serve'

export type WsOutcome = { opened: true; socket: WebSocket } | { opened: false; status: number }

/** Opens the server's WebSocket as a client outside any browser: any token, any origin. */
export function openSocket(serve: ServeProcess, { token, origin }: { token: string | undefined; origin: string }): Promise<WsOutcome> {
  const protocols = token === undefined ? ['sandlot.v1'] : wsProtocols(token)
  const socket = new WebSocket(serve.wsUrl, protocols, { origin })
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ opened: true, socket }))
    socket.once('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode ?? 0 }))
    socket.once('error', reject)
  })
}

export function closeCode(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)))
}

/** One request over an open socket, answered with its reply frame. */
export function request(socket: WebSocket, method: string, params: unknown): Promise<unknown> {
  const id = `e2e-${Math.random().toString(16).slice(2)}`
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(data.toString()) as { id?: string }
      if (frame.id !== id) return
      socket.off('message', onMessage)
      resolve(frame)
    }
    socket.on('message', onMessage)
    socket.send(JSON.stringify({ type: 'request', id, method, params }))
  })
}
