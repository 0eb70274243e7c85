import type { OpenAPIHono } from '@hono/zod-openapi'
import { z } from 'zod'
import type { CoreApi } from '../../core/api'
import { ErrorGroup, LogsPage, LogsQuery, WorkspaceName } from '../../core/contract'
import { WS_PATH } from '../../core/contract/ws-transport'
import { LogsUrlQuery, ProcessAnswer, route } from './route-helpers'

const Workspace = z.object({ workspace: WorkspaceName })
const tags = ['seed aliases']

/**
 * The routes of the seeds' monitoring API, for clients written against them: the same contract calls as the
 * routes they alias (named in each summary), the same token and checks. Marked deprecated in the document.
 */
export function registerSeedAliases(app: OpenAPIHono, api: CoreApi): void {
  app.openapi(
    route({ method: 'get', path: '/api/monitoring/process/{workspace}/status', tags, deprecated: true, summary: 'Alias of GET /api/workspaces/{name}/process.', request: { params: Workspace } }, ProcessAnswer),
    async (c) => c.json(await api.call('workspaces.process', { name: c.req.valid('param').workspace, action: 'status' }), 200)
  )
  app.openapi(
    route(
      {
        method: 'post',
        path: '/api/monitoring/process/{workspace}/{action}',
        tags,
        deprecated: true,
        summary: 'Alias of POST /api/workspaces/{name}/process/{action} (start or stop).',
        request: { params: Workspace.extend({ action: z.enum(['start', 'stop']) }) }
      },
      ProcessAnswer
    ),
    async (c) => {
      const { workspace, action } = c.req.valid('param')
      return c.json(await api.call('workspaces.process', { name: workspace, action }), 200)
    }
  )
  app.openapi(
    route({ method: 'get', path: '/api/monitoring/errors/{workspace}', tags, deprecated: true, summary: 'Alias of GET /api/history/errors?workspace=.', request: { params: Workspace } }, z.array(ErrorGroup)),
    async (c) => c.json(await api.call('history.errors', c.req.valid('param')), 200)
  )
  app.openapi(
    route(
      { method: 'get', path: '/api/monitoring/logs/{workspace}', tags, deprecated: true, summary: 'Alias of GET /api/history/logs?workspace=.', request: { params: Workspace, query: LogsUrlQuery.omit({ workspace: true }) } },
      LogsPage
    ),
    async (c) => c.json(await api.call('history.logs', { ...(c.req.valid('query') as z.input<typeof LogsQuery>), ...c.req.valid('param') }), 200)
  )
  const Health = z.object({ ok: z.literal(true) })
  app.openapi(
    route({ method: 'get', path: '/health/terminal', tags, deprecated: true, summary: 'Whether terminals can be opened: answers with the number open.' }, Health.extend({ terminals: z.number().int() })),
    async (c) => c.json({ ok: true as const, terminals: (await api.call('terminals.list', {})).length }, 200)
  )
  app.openapi(
    route({ method: 'get', path: '/health/websocket', tags, deprecated: true, summary: 'Whether the WebSocket API is served, and where.' }, Health.extend({ path: z.string() })),
    (c) => c.json({ ok: true as const, path: WS_PATH }, 200)
  )
}
