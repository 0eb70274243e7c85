import type { MiddlewareHandler } from 'hono'
import { isIP } from 'node:net'
import { orchestratorError } from './http-errors'

/** Whether an address (a peer's, or one to listen on) is this machine's loopback. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false
  const bare = address.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '')
  if (bare === 'localhost' || bare === '::1') return true
  return isIP(bare) === 4 && bare.startsWith('127.')
}

/**
 * Behind a TLS-terminating proxy on this machine: only the proxy (a loopback peer) may talk to the orchestrator,
 * and only for requests it received over HTTPS (its X-Forwarded-Proto). Anyone else reaching the plain-HTTP port
 * directly would send tokens in the clear: refused. The health check stays open for the proxy's probes.
 */
export function behindProxyOnly(peer: (c: Parameters<MiddlewareHandler>[0]) => string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path === '/api/health') return next()
    if (!isLoopback(peer(c))) {
      return c.json(orchestratorError('FORBIDDEN', 'This orchestrator answers only through its TLS proxy.', 'Use the proxy’s https:// address.'), 403)
    }
    if ((c.req.header('x-forwarded-proto') ?? '').split(',')[0]?.trim().toLowerCase() !== 'https') {
      return c.json(orchestratorError('FORBIDDEN', 'The request reached the proxy over plain HTTP.', 'Use the https:// address: tokens must not travel in the clear.'), 403)
    }
    await next()
  }
}
