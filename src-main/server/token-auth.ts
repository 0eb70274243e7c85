import type { IncomingMessage } from 'node:http'
import { tokenMatches } from '../core/api-token'
import { WS_PATH, WS_TOKEN_PROTOCOL_PREFIX } from '../core/contract/ws-transport'
import { toErrorInfo } from '../core/sandlot-error'
import { requestPath } from './request-target'

export interface UpgradePolicy {
  hosts: ReadonlySet<string>
  origins: ReadonlySet<string>
}

/**
 * Why a WebSocket upgrade is refused before the handshake (an HTTP status line), or undefined to go on.
 * The Origin check stops other web pages (a browser sends their origin, which no page can forge); the Host
 * check stops DNS rebinding. Non-browser clients must send the server's own origin too.
 */
export function upgradeRefusal(req: IncomingMessage, policy: UpgradePolicy): string | undefined {
  const path = requestPath(req)
  if (path === undefined) return '400 Bad Request'
  if (path !== WS_PATH) return '404 Not Found'
  if (!policy.hosts.has(req.headers.host ?? '')) return '403 Forbidden'
  if (!policy.origins.has(req.headers.origin ?? '')) return '403 Forbidden'
  return undefined
}

/** Whether the upgrade offered the right token as a `sandlot.token.<token>` subprotocol. */
export function offersToken(req: IncomingMessage, token: string): boolean {
  const offered = (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .find((protocol) => protocol.startsWith(WS_TOKEN_PROTOCOL_PREFIX))
  return tokenMatches(token, offered?.slice(WS_TOKEN_PROTOCOL_PREFIX.length))
}

/**
 * Reads the current token, or undefined when it cannot (an unreadable or hand-edited token file). Each problem
 * is reported once until the token reads again: every tab retries, and stderr should not fill with the same line.
 */
export function tokenReader(token: () => string, onProblem: (problem: string) => void): () => string | undefined {
  let reported: string | undefined
  return () => {
    try {
      const current = token()
      reported = undefined
      return current
    } catch (err) {
      const { message, hint } = toErrorInfo(err)
      const problem = `Cannot check API tokens, so browser tabs and API clients are turned away: ${message}${hint === undefined ? '' : ` ${hint}`}`
      if (problem !== reported) onProblem(problem)
      reported = problem
      return undefined
    }
  }
}
