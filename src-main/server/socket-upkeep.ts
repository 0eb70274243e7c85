import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { WebSocket, WebSocketServer } from 'ws'
import type { CoreApi } from '../core/api'
import { tokenDigest } from '../core/api-token'
import { WS_CLOSE_GOING_AWAY, WS_CLOSE_UNAUTHORIZED } from '../core/contract/ws-transport'
import { offersToken, type UpgradePolicy } from './token-auth'

/** A client that misses a whole interval of pings (a sleeping laptop, a killed tab) is dropped. */
const HEARTBEAT_MS = 30_000
/** How soon `sandlot token rotate` signs out connections that signed in with the old token. */
const TOKEN_CHECK_MS = 5_000
/** How long closing clients get to answer the close handshake on shutdown. */
const CLOSE_GRACE_MS = 2_000
/** The standard close code for a server that cannot serve: here, it cannot read its token. */
export const CLOSE_INTERNAL_ERROR = 1011
/** The standard close code for a peer that does not follow the protocol (such as the wrong subprotocol). */
export const CLOSE_PROTOCOL_ERROR = 1002

/** What every socket server of `sandlot serve` is given (with its Host and Origin policy). */
export interface SocketServerOptions extends UpgradePolicy {
  api: CoreApi
  /** The current token, or undefined when it cannot be read (see tokenReader; shared with the REST routes so a problem is said once). */
  token: () => string | undefined
  /** How often open connections are checked against the current token. */
  tokenCheckMs?: number
}

/**
 * The steps every socket of `sandlot serve` takes with an upgrade: a refusal (Host, Origin, path) answered in
 * plain HTTP before the handshake; after it the token, then the subprotocol, checked with close codes every
 * client can read (a refused handshake looks like a dead server in a browser). `accepted` gets the socket.
 */
export function acceptUpgrade(
  wss: WebSocketServer,
  upgrade: { req: IncomingMessage; socket: Duplex; head: Buffer },
  refusal: string | undefined,
  check: { token: () => string | undefined; protocol: string },
  accepted: (ws: WebSocket, token: string) => void
): void {
  const { req, socket, head } = upgrade
  // Node stops handling the errors of a socket it hands over here: unhandled, a client's reset would crash the server.
  socket.on('error', () => socket.destroy())
  if (refusal !== undefined) {
    socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    return
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    // Protocol violations (an unmasked or oversized frame) arrive here, after ws has sent the close code.
    ws.on('error', () => ws.terminate())
    const token = check.token()
    if (token === undefined) return ws.close(CLOSE_INTERNAL_ERROR, 'the server cannot read its API token')
    if (!offersToken(req, token)) return ws.close(WS_CLOSE_UNAUTHORIZED, 'wrong or missing token')
    if (ws.protocol !== check.protocol) return ws.close(CLOSE_PROTOCOL_ERROR, `offer the ${check.protocol} subprotocol`)
    accepted(ws, token)
  })
}

export interface SocketUpkeep {
  /**
   * A client signed in with `token`: it is pinged from now on, and signed out (`signOut`, which ends its work and
   * closes it with the code) once the current token differs or cannot be read.
   */
  signIn(ws: WebSocket, token: string, signOut: (code: number, reason: string) => void): void
  /** Closes every client with "going away" and stops the checks. */
  close(): Promise<void>
}

/** Heartbeats and token checks for the sockets of one WebSocketServer (the window's `/ws`, the API's sockets). */
export function socketUpkeep(wss: WebSocketServer, token: () => string | undefined, tokenCheckMs = TOKEN_CHECK_MS): SocketUpkeep {
  const alive = new WeakSet<WebSocket>()
  const signedIn = new Map<WebSocket, { token: Buffer; signOut: (code: number, reason: string) => void }>()

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate()
        continue
      }
      alive.delete(ws)
      ws.ping()
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()

  const tokenCheck = setInterval(() => {
    if (signedIn.size === 0) return
    const read = token()
    const current = read === undefined ? undefined : tokenDigest(read)
    for (const [ws, client] of signedIn) {
      if (current !== undefined && client.token.equals(current)) continue
      signedIn.delete(ws)
      if (current === undefined) client.signOut(CLOSE_INTERNAL_ERROR, 'the server cannot read its API token')
      else client.signOut(WS_CLOSE_UNAUTHORIZED, 'the API token was replaced')
    }
  }, tokenCheckMs)
  tokenCheck.unref()

  return {
    signIn(ws, token, signOut) {
      signedIn.set(ws, { token: tokenDigest(token), signOut })
      alive.add(ws)
      ws.on('pong', () => alive.add(ws))
      ws.on('close', () => signedIn.delete(ws))
    },
    async close() {
      clearInterval(heartbeat)
      clearInterval(tokenCheck)
      const closed = [...wss.clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            ws.once('close', () => resolve())
            ws.close(WS_CLOSE_GOING_AWAY, 'server shutting down')
            setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref()
          })
      )
      await Promise.all(closed)
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    }
  }
}
