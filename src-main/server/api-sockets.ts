import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { TerminalId } from '../core/contract/terminal'
import { WS_MONITORING_PATH, WS_MONITORING_PROTOCOL, WS_TERMINAL_PATH_PREFIX, WS_TERMINAL_PROTOCOL } from '../core/contract/ws-transport'
import { WorkspaceName } from '../core/contract/workspace'
import { serveMonitoringSocket } from './monitoring-socket'
import { acceptUpgrade, socketUpkeep, type SocketServerOptions } from './socket-upkeep'
import { serveTerminalSocket } from './terminal-socket'

/** Terminal input arrives as typed or pasted bytes; a larger frame is split by the client. */
const MAX_MESSAGE_BYTES = 1024 * 1024
export type ApiSocketsOptions = SocketServerOptions

export interface ApiSockets {
  /** Whether a path is one of these sockets' (`/ws/terminals/<id>`, `/ws/monitoring`). */
  handles(path: string): boolean
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void
  close(): Promise<void>
}

type Target = { kind: 'terminal'; id: string } | { kind: 'monitoring'; workspace: string | undefined }

/**
 * The API's own WebSockets, for scripts and agents: one per terminal session, and the seeds' monitoring stream.
 * As for the REST routes, the Host must be the server's own and an Origin, when sent, too (browsers always send
 * one; scripts need not). The token is offered as a `sandlot.token.<token>` subprotocol (never in the URL) and
 * checked after the handshake, so a wrong one gets the close code 4401 that every client can read.
 */
export function createApiSockets(options: ApiSocketsOptions): ApiSockets {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (offered) => [WS_TERMINAL_PROTOCOL, WS_MONITORING_PROTOCOL].find((p) => offered.has(p)) ?? false
  })
  const upkeep = socketUpkeep(wss, options.token, options.tokenCheckMs)

  return {
    handles: (path) => path === WS_MONITORING_PATH || path.startsWith(WS_TERMINAL_PATH_PREFIX),
    handleUpgrade(req, socket, head, url) {
      const target = targetOf(url)
      // As for the REST routes: the Host must be the server's own, and an Origin too when one is sent (scripts need not).
      const foreign = !options.hosts.has(req.headers.host ?? '') || (req.headers.origin !== undefined && !options.origins.has(req.headers.origin))
      const refusal = target === undefined ? '404 Not Found' : foreign ? '403 Forbidden' : undefined
      const protocol = target?.kind === 'terminal' ? WS_TERMINAL_PROTOCOL : WS_MONITORING_PROTOCOL
      acceptUpgrade(wss, { req, socket, head }, refusal, { token: options.token, protocol }, (ws, token) => {
        const served = serve(ws, target!)
        upkeep.signIn(ws, token, (code, reason) => {
          served.end()
          ws.close(code, reason)
        })
      })
    },
    close: () => upkeep.close()
  }

  function serve(ws: WebSocket, target: Target): { end(): void } {
    return target.kind === 'terminal' ? serveTerminalSocket(ws, options.api, target.id) : serveMonitoringSocket(ws, options.api, target.workspace)
  }
}

/** What an upgrade's URL asks for, or undefined when it names nothing these sockets serve (a malformed id or name too). */
function targetOf(url: URL): Target | undefined {
  if (url.pathname === WS_MONITORING_PATH) {
    const workspace = url.searchParams.get('workspace') ?? undefined
    if (workspace !== undefined && !WorkspaceName.safeParse(workspace).success) return undefined
    return { kind: 'monitoring', workspace }
  }
  const id = url.pathname.slice(WS_TERMINAL_PATH_PREFIX.length)
  return url.pathname.startsWith(WS_TERMINAL_PATH_PREFIX) && TerminalId.safeParse(id).success ? { kind: 'terminal', id } : undefined
}
