import { OpenAPIHono } from '@hono/zod-openapi'
import { HTTPException } from 'hono/http-exception'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import type { CoreApi } from '../../core/api'
import { tokenMatches } from '../../core/api-token'
import { toErrorInfo } from '../../core/sandlot-error'
import { restError, statusOf, type ErrorStatus } from './rest-errors'
import { OPENAPI_CONFIG, OPENAPI_PATH } from './openapi-config'
import { registerRoutes } from './rest-routes'
import { ARCHIVE_BODY_PATHS, TooLarge } from './archive-routes'

/** The largest request body: an exec's standard input (1 MiB of text) as JSON, with room for escapes. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024

export interface RestOptions {
  api: CoreApi
  /** The current token, or undefined when it cannot be read (then every request is refused). */
  token: () => string | undefined
  /** The Host values this server answers to. */
  hosts: ReadonlySet<string>
  /** The Origin values allowed (a browser page of this server); clients that send none are allowed too. */
  origins: ReadonlySet<string>
}

/** Paths that answer without a token: they reveal nothing but that the server is up. */
const OPEN_PATHS = new Set(['/api/health'])

/**
 * The REST API under `/api`: every request is checked for its Host and Origin (DNS rebinding, other web pages),
 * then for `Authorization: Bearer <token>` (constant time), then validated against the contract by the route.
 * Every error is JSON `{ error: { code, message, hint } }`.
 */
export function createRestApp(options: RestOptions): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        return c.json(restError('BAD_REQUEST', `Invalid request: ${z.prettifyError(result.error)}`, 'Nothing was changed: correct the request as the message says (see /api/openapi.json).'), 422)
      }
    }
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer', description: 'The token in the data folder\'s api-token file (`sandlot token`).' })

  app.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store')
    c.header('X-Content-Type-Options', 'nosniff')
    if (!options.hosts.has(c.req.header('host') ?? '')) {
      return c.json(restError('FORBIDDEN', 'This server answers only to its own loopback address.', 'Connect to the address `sandlot serve` printed.'), 403)
    }
    const origin = c.req.header('origin')
    if (origin !== undefined && !options.origins.has(origin)) {
      return c.json(restError('FORBIDDEN', `Requests from ${origin} are not allowed.`, 'Only this server\'s own pages, and clients that send no Origin, may call the API.'), 403)
    }
    if (OPEN_PATHS.has(c.req.path)) return next()
    const token = options.token()
    if (token === undefined) return c.json(restError('INTERNAL', 'The server cannot read its API token.', 'See the server\'s output: the token file needs fixing.'), 500)
    const presented = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1]
    if (!tokenMatches(token, presented)) {
      c.header('WWW-Authenticate', 'Bearer')
      return c.json(
        restError('UNAUTHORIZED', presented === undefined ? 'No API token.' : 'Wrong API token.', 'Send `Authorization: Bearer <token>` with the token `sandlot token` prints.'),
        401
      )
    }
    return next()
  })
  const jsonLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(restError('TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES} bytes.`, 'Nothing was changed: send less (large files go through uploads).'), 413)
  })
  // Archive uploads are counted as they are written to disk instead (see archive-routes).
  app.use('*', (c, next) => (ARCHIVE_BODY_PATHS.test(c.req.path) ? next() : jsonLimit(c, next)))

  registerRoutes(app, options.api)
  app.doc31(OPENAPI_PATH, OPENAPI_CONFIG)

  app.notFound((c) => c.json(restError('NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`, 'See /api/openapi.json for the routes.'), 404))
  app.onError((err, c) => {
    if (err instanceof TooLarge) return c.json(restError('TOO_LARGE', err.message, 'Nothing was changed: send a smaller archive (leave node_modules and build output out).'), 413)
    if (err instanceof HTTPException) {
      // The validator's "Malformed JSON" and similar: the request could not be read at all.
      const status = err.status === 413 ? 413 : 400
      return c.json(restError(status === 413 ? 'TOO_LARGE' : 'BAD_REQUEST', err.message || 'Malformed request.', 'Nothing was changed: send a JSON body with Content-Type: application/json.'), status)
    }
    const info = toErrorInfo(err)
    const status: ErrorStatus = statusOf(info.code)
    return c.json({ error: info }, status)
  })
  return app
}
