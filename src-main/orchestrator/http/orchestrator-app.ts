import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { z } from 'zod'
import { SyncBatch } from '../../core/contract/sync'
import { FleetQuery, LogQuery, NewToken, TokenName } from '../fleet-contract'
import { addToken, listTokens, revokeToken } from '../store/host-tokens'
import { SandlotError } from '../../core/sandlot-error'
import { storeBatch } from '../store/batch-store'
import type { OrchestratorDb } from '../store/database'
import { fleetErrors, fleetEvents, fleetHosts, fleetLogs, fleetWorkspaces } from '../store/fleet-queries'
import { FLEET_CSS, FLEET_HTML, FLEET_JS, FLEET_PAGE_CSP } from './fleet-page'
import { databaseFailure, orchestratorError } from './http-errors'
import { behindProxyOnly } from './proxy-policy'
import { requireRole, type AuthEnv } from './request-auth'

/**
 * The largest batch body. 2,000 records of ordinary log lines fit many times over; a desktop whose batch is
 * refused with 413 sends it in smaller parts.
 */
export const MAX_BATCH_BYTES = 16 * 1024 * 1024
/** Query and token routes take little or no body. */
const MAX_OTHER_BYTES = 16 * 1024

export interface OrchestratorAppOptions {
  db: OrchestratorDb
  /** Trust X-Forwarded-Proto from a loopback proxy, and refuse everyone else (see behindProxyOnly). */
  behindProxy: boolean
  /** The peer's address (from the socket), for the proxy policy. */
  peer: (c: Context) => string | undefined
  onProblem: (message: string) => void
}

export function createOrchestratorApp(options: OrchestratorAppOptions): Hono<AuthEnv> {
  const { db } = options
  const app = new Hono<AuthEnv>()
  app.use('*', async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
    c.header('X-Content-Type-Options', 'nosniff')
  })
  if (options.behindProxy) app.use('*', behindProxyOnly(options.peer))
  const tooLarge = (limit: number) => (c: Context) =>
    c.json(orchestratorError('TOO_LARGE', `The request body is larger than ${limit} bytes.`, 'Nothing was stored: send the records in smaller batches.'), 413)
  app.use('/api/sync/*', bodyLimit({ maxSize: MAX_BATCH_BYTES, onError: tooLarge(MAX_BATCH_BYTES) }))
  app.use('/api/fleet/*', bodyLimit({ maxSize: MAX_OTHER_BYTES, onError: tooLarge(MAX_OTHER_BYTES) }))
  app.use('/api/admin/*', bodyLimit({ maxSize: MAX_OTHER_BYTES, onError: tooLarge(MAX_OTHER_BYTES) }))

  app.get('/api/health', async (c) => {
    try {
      await db.execute('select 1')
      return c.json({ status: 'ok' })
    } catch (err) {
      // Open to anyone: the cause (which may name the database server) goes to the orchestrator's output only.
      options.onProblem(`orchestrator: health check: the database does not answer: ${(err as Error).message}`)
      return c.json(orchestratorError('DATABASE', 'The database does not answer.', 'See the orchestrator’s output for the cause.'), 503)
    }
  })

  app.post('/api/sync/batches', requireRole(db, ['host'], options.onProblem), async (c) => {
    let body: unknown
    try {
      body = JSON.parse(await c.req.text())
    } catch {
      return c.json(orchestratorError('BAD_REQUEST', 'The body is not JSON.', 'Send a SyncBatch as JSON (Content-Type: application/json). Nothing was stored.'), 400)
    }
    const parsed = SyncBatch.safeParse(body)
    if (!parsed.success) return c.json(orchestratorError('BAD_REQUEST', `Malformed batch: ${issuesText(parsed.error)}`, 'Nothing was stored: fix the batch and send it again.'), 400)
    const holder = c.get('holder')
    try {
      return c.json(await storeBatch(db, { id: holder.id, name: holder.name }, parsed.data))
    } catch (err) {
      return databaseFailure(c, err, options.onProblem)
    }
  })

  const readers = requireRole(db, ['admin', 'reader'], options.onProblem)
  const listRoute = <S extends z.ZodType>(path: string, schema: S, answer: (query: z.infer<S>) => Promise<unknown>) =>
    app.get(path, readers, async (c) => {
      const parsed = schema.safeParse(c.req.query())
      if (!parsed.success) return c.json(orchestratorError('BAD_REQUEST', `Bad query: ${issuesText(parsed.error)}`, 'See `sandlot orchestrator --help` for the filters.'), 400)
      try {
        return c.json((await answer(parsed.data)) as object)
      } catch (err) {
        return databaseFailure(c, err, options.onProblem)
      }
    })
  listRoute('/api/fleet/hosts', FleetQuery, async () => ({ hosts: await fleetHosts(db) }))
  listRoute('/api/fleet/workspaces', FleetQuery, async (q) => ({ workspaces: await fleetWorkspaces(db, q) }))
  listRoute('/api/fleet/errors', FleetQuery, async (q) => ({ errors: await fleetErrors(db, q) }))
  listRoute('/api/fleet/events', FleetQuery, async (q) => fleetEvents(db, q))
  listRoute('/api/fleet/logs', LogQuery, async (q) => ({ lines: await fleetLogs(db, q) }))

  // Token management over HTTP (admin): the way to add and revoke while an embedded store is held by this process.
  const admins = requireRole(db, ['admin'], options.onProblem)
  app.get('/api/admin/tokens', admins, async (c) => c.json({ tokens: await listTokens(db) }))
  app.post('/api/admin/tokens', admins, async (c) => {
    const parsed = NewToken.safeParse(await c.req.json().catch(() => undefined))
    if (!parsed.success) return c.json(orchestratorError('BAD_REQUEST', `Bad token request: ${issuesText(parsed.error)}`, 'Send {"name": "…", "role": "host|reader|admin"}.'), 400)
    return answerOrRefuse(c, () => addToken(db, parsed.data.name, parsed.data.role), 201)
  })
  app.post('/api/admin/tokens/:name/revoke', admins, async (c) => {
    const name = TokenName.safeParse(c.req.param('name'))
    if (!name.success) return c.json(orchestratorError('BAD_REQUEST', `Bad token name: ${issuesText(name.error)}`), 400)
    return answerOrRefuse(c, () => revokeToken(db, name.data), 200)
  })

  // The read-only fleet page: static, it holds no data; it asks the routes above with the reader token it is given.
  const page = (body: string, type: string) => (c: Context) => {
    c.header('Content-Security-Policy', FLEET_PAGE_CSP)
    c.header('Content-Type', type)
    return c.body(body)
  }
  app.get('/', page(FLEET_HTML, 'text/html; charset=utf-8'))
  app.get('/fleet.js', page(FLEET_JS, 'text/javascript; charset=utf-8'))
  app.get('/fleet.css', page(FLEET_CSS, 'text/css; charset=utf-8'))
  // Browsers ask for it on their own; there is none.
  app.get('/favicon.ico', (c) => c.body(null, 204))

  app.notFound((c) => c.json(orchestratorError('NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`, 'The orchestrator answers /api/sync/batches, /api/fleet/* and /api/health.'), 404))
  app.onError((err, c) => {
    options.onProblem(`orchestrator: ${c.req.method} ${c.req.path} failed: ${(err as Error).stack ?? String(err)}`)
    return c.json(orchestratorError('INTERNAL', 'The orchestrator failed to answer.', 'See the orchestrator’s output for the cause.'), 500)
  })
  return app
}

/** A SandlotError the store throws (a name taken, a name unknown) as its HTTP answer. */
async function answerOrRefuse(c: Context, work: () => Promise<object>, status: 200 | 201): Promise<Response> {
  try {
    return c.json(await work(), status)
  } catch (err) {
    if (!(err instanceof SandlotError)) throw err
    const code = err.code === 'CONFLICT' ? 409 : err.code === 'NOT_FOUND' ? 404 : 400
    return c.json(orchestratorError(err.code, err.message, err.hint), code)
  }
}

function issuesText(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length === 0 ? '(body)' : i.path.join('.')}: ${i.message}`)
    .join('; ')
}
