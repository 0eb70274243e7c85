import type { Context, MiddlewareHandler } from 'hono'
import type { TokenRole } from '../fleet-contract'
import type { OrchestratorDb } from '../store/database'
import { tokenHolder, type TokenHolder } from '../store/host-tokens'
import { databaseFailure, orchestratorError } from './http-errors'

export type AuthEnv = { Variables: { holder: TokenHolder } }

const BEARER = /^Bearer ([\x21-\x7e]{1,256})$/

/**
 * Bearer tokens, looked up by their hash on every request: a revoked token is refused from the next request on.
 * No token, an unknown one and a revoked one are all 401; a known token of the wrong role is 403.
 */
export function requireRole(db: OrchestratorDb, roles: readonly TokenRole[], onProblem: (message: string) => void): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const presented = BEARER.exec(c.req.header('authorization') ?? '')?.[1]
    if (presented === undefined) return unauthorized(c, 'No token: send Authorization: Bearer <token>.')
    let holder: TokenHolder | undefined
    try {
      holder = await tokenHolder(db, presented)
    } catch (err) {
      return databaseFailure(c, err, onProblem)
    }
    if (holder === undefined) return unauthorized(c, 'The token is not known to this orchestrator.')
    if (holder.revoked) return unauthorized(c, `The token of ${holder.name} was revoked.`)
    if (!roles.includes(holder.role)) {
      return c.json(orchestratorError('FORBIDDEN', `A ${holder.role} token cannot do this.`, `This route needs a token with the role ${roles.join(' or ')}.`), 403)
    }
    c.set('holder', holder)
    await next()
  }
}

function unauthorized(c: Context, message: string): Response {
  c.header('WWW-Authenticate', 'Bearer realm="sandlot-orchestrator"')
  return c.json(
    orchestratorError('UNAUTHORIZED', message, 'Create a token on the orchestrator with `sandlot orchestrator token add NAME` and use it (desktops: sandlot config set sync.token …).'),
    401
  )
}
