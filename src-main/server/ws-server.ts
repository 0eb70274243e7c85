import type { Server } from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'
import type { CoreApi } from '../core/api'
import {
  WS_CLOSE_GOING_AWAY,
  WS_CLOSE_UNAUTHORIZED,
  WS_PROTOCOL
} from '../core/contract/ws-transport'
import { ApiSession } from './api-session'
import { offersToken, upgradeRefusal, type UpgradePolicy } from './token-auth'

/** Frames are small JSON documents; terminal input is typed or pasted text. */
const MAX_MESSAGE_BYTES = 1024 * 1024
/** A client that misses a whole interval of pings (a sleeping laptop, a killed tab) is dropped. */
const HEARTBEAT_MS = 30_000
/** How long closing clients get to answer the close handshake on shutdown. */
const CLOSE_GRACE_MS = 2_000
/** The standard close code for a peer that does not follow the protocol. */
const CLOSE_PROTOCOL_ERROR = 1002

export interface WsServerOptions extends UpgradePolicy {
  api: CoreApi
  token: () => string
}

export interface WsServer {
  /** Closes every client with "going away" (they reconnect to the next server) and stops accepting. */
  close(): Promise<void>
}

/**
 * The API over WebSockets on an HTTP server's `/ws`. Auth: the Origin and Host are checked before the
 * handshake; the token (offered as a subprotocol) after it, so a wrong token gets a close code the page can
 * tell apart from a dead server (a refused handshake looks exactly like one in a browser).
 */
export function attachWsServer(server: Server, options: WsServerOptions): WsServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false)
  })
  const alive = new WeakSet<WebSocket>()

  server.on('upgrade', (req, socket, head) => {
    const refusal = upgradeRefusal(req, options)
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!offersToken(req, options.token())) return ws.close(WS_CLOSE_UNAUTHORIZED, 'wrong or missing token')
      if (ws.protocol !== WS_PROTOCOL) return ws.close(CLOSE_PROTOCOL_ERROR, `offer the ${WS_PROTOCOL} subprotocol`)
      serve(ws)
    })
  })

  function serve(ws: WebSocket): void {
    const session = new ApiSession(options.api, (message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
    })
    alive.add(ws)
    ws.on('pong', () => alive.add(ws))
    ws.on('message', (data, isBinary) => session.receiveText(isBinary ? '' : data.toString()))
    ws.on('close', () => session.close())
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

  return {
    async close() {
      clearInterval(heartbeat)
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
