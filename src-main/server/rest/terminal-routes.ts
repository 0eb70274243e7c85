import type { OpenAPIHono } from '@hono/zod-openapi'
import { z } from 'zod'
import type { CoreApi } from '../../core/api'
import { TerminalId, TerminalInfo, terminalMethods, TerminalSize } from '../../core/contract'
import { body, route } from './route-helpers'

const tags = ['terminals']
const Id = z.object({ id: TerminalId })

/**
 * Terminal sessions, the window's own: opened, listed, resized and closed here; their bytes go through the
 * WebSocket `/ws/terminals/{id}` (see docs/api.md), which attaches to a session without ending it on close.
 */
export function registerTerminalRoutes(app: OpenAPIHono, api: CoreApi): void {
  app.openapi(route({ method: 'get', path: '/api/terminals', tags, summary: 'Every open terminal session, in layout order.' }, z.array(TerminalInfo)), async (c) =>
    c.json(await api.call('terminals.list', {}), 200)
  )
  app.openapi(
    route(
      {
        method: 'post',
        path: '/api/terminals',
        tags,
        summary: 'Opens a terminal session (a workspace shell, or a host shell); attach to it with the WebSocket /ws/terminals/{id}.',
        request: body(terminalMethods['terminals.open'].params)
      },
      TerminalInfo,
      201
    ),
    async (c) => c.json(await api.call('terminals.open', c.req.valid('json')), 201)
  )
  app.openapi(
    route({ method: 'post', path: '/api/terminals/{id}/resize', tags, summary: 'Resizes a terminal (the last resize of any client wins).', request: { params: Id, ...body(TerminalSize.strict()) } }, TerminalInfo),
    async (c) => c.json(await api.call('terminals.resize', { ...c.req.valid('json'), ...c.req.valid('param') }), 200)
  )
  app.openapi(
    route({ method: 'delete', path: '/api/terminals/{id}', tags, summary: 'Ends the shell and forgets the session.', request: { params: Id } }, terminalMethods['terminals.close'].result),
    async (c) => c.json(await api.call('terminals.close', c.req.valid('param')), 200)
  )
}
