import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { FILE_CAP } from '../core/contract/files'
import { WS_PROTOCOL } from '../core/contract/ws-transport'
import { ApiSession } from '../transport/api-session'
import { acceptUpgrade, socketUpkeep, type SocketServerOptions } from './socket-upkeep'
import { upgradeRefusal } from './token-auth'

/** Frames are JSON documents; the largest is a file write of FILE_CAP bytes as base64, with room for its envelope. */
export const MAX_MESSAGE_BYTES = Math.ceil((FILE_CAP * 4) / 3) + 64 * 1024
/** Output a client has not taken yet. A client this far behind is stalled (a frozen tab): dropped, not buffered for. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024
export type WsServerOptions = SocketServerOptions

export interface WsServer {
  /** Takes an HTTP upgrade for `/ws` (any other path is refused with 404). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Closes every client with "going away" (they reconnect to the next server) and stops accepting. */
  close(): Promise<void>
}

/**
 * The API over WebSockets on an HTTP server's `/ws`. Auth: the Origin and Host are checked before the
 * handshake; the token (offered as a subprotocol) after it, so a wrong token gets a close code the page can
 * tell apart from a dead server (a refused handshake looks exactly like one in a browser). Open connections
 * are checked against the current token periodically, so a rotated token signs them out.
 */
export function createWsServer(options: WsServerOptions): WsServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false)
  })
  const upkeep = socketUpkeep(wss, options.token, options.tokenCheckMs)

  function serve(ws: WebSocket, token: string): void {
    const session = new ApiSession(options.api, (message) => {
      if (ws.readyState !== ws.OPEN) return
      ws.send(JSON.stringify(message))
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate()
    })
    // Ends the client's session at once: the close handshake may take a while, and nothing it sends meanwhile counts.
    upkeep.signIn(ws, token, (code, reason) => {
      session.close()
      ws.close(code, reason)
    })
    ws.on('message', (data, isBinary) => session.receiveText(isBinary ? '' : data.toString()))
    ws.on('close', () => session.close())
  }

  return {
    handleUpgrade(req, socket, head) {
      acceptUpgrade(wss, { req, socket, head }, upgradeRefusal(req, options), { token: options.token, protocol: WS_PROTOCOL }, serve)
    },
    close: () => upkeep.close()
  }
}

/** The WebSocket API alone on a server (tests): every upgrade goes to it. */
export function attachWsServer(server: Server, options: WsServerOptions): WsServer {
  const ws = createWsServer(options)
  server.on('upgrade', (req, socket, head) => ws.handleUpgrade(req, socket, head))
  return ws
}
