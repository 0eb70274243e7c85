import type { Server } from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'
import type { CoreApi } from '../core/api'
import { tokenDigest } from '../core/api-token'
import { FILE_CAP } from '../core/contract/files'
import {
  WS_CLOSE_GOING_AWAY,
  WS_CLOSE_UNAUTHORIZED,
  WS_PROTOCOL
} from '../core/contract/ws-transport'
import { ApiSession } from '../transport/api-session'
import { offersToken, upgradeRefusal, type UpgradePolicy } from './token-auth'

/** Frames are JSON documents; the largest is a file write of FILE_CAP bytes as base64, with room for its envelope. */
export const MAX_MESSAGE_BYTES = Math.ceil((FILE_CAP * 4) / 3) + 64 * 1024
/** Output a client has not taken yet. A client this far behind is stalled (a frozen tab): dropped, not buffered for. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024
/** A client that misses a whole interval of pings (a sleeping laptop, a killed tab) is dropped. */
const HEARTBEAT_MS = 30_000
/** How soon `sandlot token rotate` signs out connections that signed in with the old token. */
const TOKEN_CHECK_MS = 5_000
/** How long closing clients get to answer the close handshake on shutdown. */
const CLOSE_GRACE_MS = 2_000
/** The standard close code for a peer that does not follow the protocol. */
const CLOSE_PROTOCOL_ERROR = 1002
/** The standard close code for a server that cannot serve: here, it cannot read its token. */
const CLOSE_INTERNAL_ERROR = 1011

export interface WsServerOptions extends UpgradePolicy {
  api: CoreApi
  /** The current token, or undefined when it cannot be read (see tokenReader; shared with the REST routes so a problem is said once). */
  token: () => string | undefined
  /** How often open connections are checked against the current token. */
  tokenCheckMs?: number
}

export interface WsServer {
  /** Closes every client with "going away" (they reconnect to the next server) and stops accepting. */
  close(): Promise<void>
}

interface SignedIn {
  session: ApiSession
  /** The SHA-256 of the token the client signed in with. */
  token: Buffer
}

/**
 * The API over WebSockets on an HTTP server's `/ws`. Auth: the Origin and Host are checked before the
 * handshake; the token (offered as a subprotocol) after it, so a wrong token gets a close code the page can
 * tell apart from a dead server (a refused handshake looks exactly like one in a browser). Open connections
 * are checked against the current token periodically, so a rotated token signs them out.
 */
export function attachWsServer(server: Server, options: WsServerOptions): WsServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false)
  })
  const alive = new WeakSet<WebSocket>()
  const signedIn = new Map<WebSocket, SignedIn>()

  server.on('upgrade', (req, socket, head) => {
    // Node stops handling the errors of a socket it hands over here: unhandled, a client's reset would crash the server.
    socket.on('error', () => socket.destroy())
    const refusal = upgradeRefusal(req, options)
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Protocol violations (an unmasked or oversized frame) arrive here, after ws has sent the close code.
      ws.on('error', () => ws.terminate())
      const token = options.token()
      if (token === undefined) return ws.close(CLOSE_INTERNAL_ERROR, 'the server cannot read its API token')
      if (!offersToken(req, token)) return ws.close(WS_CLOSE_UNAUTHORIZED, 'wrong or missing token')
      if (ws.protocol !== WS_PROTOCOL) return ws.close(CLOSE_PROTOCOL_ERROR, `offer the ${WS_PROTOCOL} subprotocol`)
      serve(ws, tokenDigest(token))
    })
  })

  function serve(ws: WebSocket, token: Buffer): void {
    const session = new ApiSession(options.api, (message) => {
      if (ws.readyState !== ws.OPEN) return
      ws.send(JSON.stringify(message))
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate()
    })
    signedIn.set(ws, { session, token })
    alive.add(ws)
    ws.on('pong', () => alive.add(ws))
    ws.on('message', (data, isBinary) => session.receiveText(isBinary ? '' : data.toString()))
    ws.on('close', () => signOut(ws))
  }

  /** Ends the client's session at once: the close handshake may take a while, and nothing it sends meanwhile counts. */
  function signOut(ws: WebSocket, code?: number, reason?: string): void {
    signedIn.get(ws)?.session.close()
    signedIn.delete(ws)
    if (code !== undefined) ws.close(code, reason)
  }

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
    const token = options.token()
    const current = token === undefined ? undefined : tokenDigest(token)
    for (const [ws, client] of signedIn) {
      if (current === undefined) signOut(ws, CLOSE_INTERNAL_ERROR, 'the server cannot read its API token')
      else if (!client.token.equals(current)) signOut(ws, WS_CLOSE_UNAUTHORIZED, 'the API token was replaced')
    }
  }, options.tokenCheckMs ?? TOKEN_CHECK_MS)
  tokenCheck.unref()

  return {
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
