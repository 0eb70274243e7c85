import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import { z } from 'zod'
import type { CoreApi } from '../../core/api'
import { EngineStatus, ErrorGroup, OpenEditorResult, SyncStatus, EventsQuery, ExecParams, ExecResult, LogsPage, LogsQuery, TemplateDetail, TemplateId, TemplateSummary, TimelineEvent, Workspace } from '../../core/contract'
import { CreateWorkspaceParams, WorkspaceChanges } from '../../core/contract/workspace'
import { createWithProgress, wantsEventStream } from './create-progress'
import { execWithStream } from './exec-stream'
import { registerArchiveRoutes } from './archive-routes'
import { registerFileRoutes } from './file-routes'
import { errorStream, rowStream } from './history-sse'
import { body, ErrorsQuery, EventsUrlQuery, json, LogsUrlQuery, Name, ProcessAction, ProcessAnswer, ProcessStart, RemoveQuery, route, sse, StreamHeaders } from './route-helpers'
import { registerSeedAliases } from './seed-aliases'
import { registerTerminalRoutes } from './terminal-routes'

/** The REST routes: each one is a contract method (params from the path, query or body), answered as JSON. */
export function registerRoutes(app: OpenAPIHono, api: CoreApi): void {
  app.openapi(
    createRoute({ method: 'get', path: '/api/health', tags: ['server'], summary: 'Whether the server is up (no token needed).', responses: { 200: json(z.object({ ok: z.literal(true) }), 'Up.') } }),
    (c) => c.json({ ok: true as const }, 200)
  )
  app.openapi(route({ method: 'get', path: '/api/engine', tags: ['engine'], summary: 'The Docker engine\'s status.' }, EngineStatus), async (c) =>
    c.json(await api.call('engine.status', {}), 200)
  )
  app.openapi(
    route({ method: 'get', path: '/api/sync/status', tags: ['sync'], summary: 'Sync to a team orchestrator: on or off, last acknowledged, records waiting, lag, lines dropped, the last error and what to do.' }, SyncStatus),
    async (c) => c.json(await api.call('sync.status', {}), 200)
  )
  app.openapi(route({ method: 'get', path: '/api/templates', tags: ['templates'], summary: 'The templates a workspace can be made from.' }, z.array(TemplateSummary)), async (c) =>
    c.json(await api.call('templates.list', {}), 200)
  )

  app.openapi(
    route({ method: 'get', path: '/api/templates/{id}', tags: ['templates'], summary: 'One template, with its settings.', request: { params: z.object({ id: TemplateId }) } }, TemplateDetail),
    async (c) => c.json(await api.call('templates.show', c.req.valid('param')), 200)
  )

  app.openapi(route({ method: 'get', path: '/api/workspaces', tags: ['workspaces'], summary: 'Every workspace.' }, z.array(Workspace)), async (c) =>
    c.json(await api.call('workspaces.list', {}), 200)
  )
  app.openapi(
    route({ method: 'post', path: '/api/workspaces', tags: ['workspaces'], summary: 'Creates a workspace and answers once it is ready; with Accept: text/event-stream, its phases as `progress` events, then a `workspace` (or `error`) event.', request: body(CreateWorkspaceParams) }, Workspace, 201),
    async (c) => (wantsEventStream(c) ? createWithProgress(c, api, c.req.valid('json')) : c.json(await api.call('workspaces.create', c.req.valid('json')), 201))
  )
  app.openapi(route({ method: 'get', path: '/api/workspaces/{name}', tags: ['workspaces'], summary: 'One workspace.', request: { params: Name } }, Workspace), async (c) =>
    c.json(await api.call('workspaces.get', c.req.valid('param')), 200)
  )
  for (const action of ['start', 'stop', 'restart'] as const) {
    app.openapi(
      route({ method: 'post', path: `/api/workspaces/{name}/${action}`, tags: ['workspaces'], summary: `${action[0]!.toUpperCase()}${action.slice(1)}s the workspace's container.`, request: { params: Name } }, Workspace),
      async (c) => c.json(await api.call(`workspaces.${action}`, c.req.valid('param')), 200)
    )
  }
  app.openapi(
    route(
      {
        method: 'patch',
        path: '/api/workspaces/{name}',
        tags: ['workspaces'],
        summary: 'Changes a made workspace: its own idle stop in minutes (0: never; null: follow the `workspaces.idleStopMinutes` setting again). It applies at once, running or not.',
        request: { params: Name, ...body(WorkspaceChanges) }
      },
      Workspace
    ),
    async (c) => c.json(await api.call('workspaces.update', { ...c.req.valid('json'), ...c.req.valid('param') }), 200)
  )
  app.openapi(
    route(
      { method: 'delete', path: '/api/workspaces/{name}', tags: ['workspaces'], summary: 'Removes a workspace (force: even running; purge: its history too).', request: { params: Name, query: RemoveQuery } },
      z.object({ name: z.string(), removed: z.literal(true) })
    ),
    async (c) => c.json(await api.call('workspaces.remove', { ...c.req.valid('param'), ...c.req.valid('query') }), 200)
  )
  app.openapi(
    route(
      {
        method: 'post',
        path: '/api/workspaces/{name}/exec',
        tags: ['workspaces'],
        summary:
          'Runs a command in the workspace as `node` and answers its exit code and output (each capped); with Accept: text/event-stream, its output as it comes: `stdout` and `stderr` events (data: a JSON string), then `exit` ({ exitCode, timedOut }) or `error`.',
        request: { params: Name, ...body(ExecParams.omit({ name: true })) }
      },
      ExecResult
    ),
    async (c) => {
      const params = { ...c.req.valid('json'), ...c.req.valid('param') }
      return wantsEventStream(c) ? execWithStream(c, api, params) : c.json(await api.call('workspaces.exec', params), 200)
    }
  )
  app.openapi(
    route(
      { method: 'post', path: '/api/workspaces/{name}/editor', tags: ['workspaces'], summary: 'Opens the workspace in the editor of the `editor.command` setting on the machine `serve` runs on (VS Code attached to its container in /app).', request: { params: Name } },
      OpenEditorResult
    ),
    async (c) => c.json(await api.call('workspaces.openEditor', c.req.valid('param')), 200)
  )
  app.openapi(
    route({ method: 'get', path: '/api/workspaces/{name}/process', tags: ['processes'], summary: "The app process as the workspace's monitor reports it." , request: { params: Name } }, ProcessAnswer),
    async (c) => c.json(await api.call('workspaces.process', { ...c.req.valid('param'), action: 'status' }), 200)
  )
  app.openapi(
    route(
      {
        method: 'post',
        path: '/api/workspaces/{name}/process/{action}',
        tags: ['processes'],
        summary: 'Starts, stops or restarts the app through the monitor; a start may give `{ "command" }` to run instead of the template\'s start command.',
        request: { params: ProcessAction, body: { content: { 'application/json': { schema: ProcessStart } }, required: false } }
      },
      ProcessAnswer
    ),
    async (c) => c.json(await api.call('workspaces.process', { ...c.req.valid('param'), ...(c.req.valid('json') ?? {}) }), 200)
  )

  app.openapi(route({ method: 'get', path: '/api/history/logs', tags: ['history'], summary: 'Stored log lines, paged, with full-text search.', request: { query: LogsUrlQuery } }, LogsPage), async (c) =>
    c.json(await api.call('history.logs', c.req.valid('query') as z.input<typeof LogsQuery>), 200)
  )
  app.openapi(route({ method: 'get', path: '/api/history/events', tags: ['history'], summary: 'The timeline, oldest first.', request: { query: EventsUrlQuery } }, z.array(TimelineEvent)), async (c) =>
    c.json(await api.call('history.events', c.req.valid('query') as z.input<typeof EventsQuery>), 200)
  )
  app.openapi(route({ method: 'get', path: '/api/history/errors', tags: ['history'], summary: 'Error groups, most recently seen first.', request: { query: ErrorsQuery } }, z.array(ErrorGroup)), async (c) =>
    c.json(await api.call('history.errors', c.req.valid('query')), 200)
  )

  const streamRoute = (path: string, summary: string) =>
    createRoute({ method: 'get', path, tags: ['history'], summary, security: [{ Bearer: [] }], request: { query: ErrorsQuery, headers: StreamHeaders }, responses: sse('Server-Sent Events.') })
  app.openapi(streamRoute('/api/history/logs/stream', 'New log lines as Server-Sent Events; `id` is the row id, Last-Event-ID resumes without loss.'), async (c) =>
    rowStream(c, api, 'history.logs', c.req.valid('query').workspace, rowId(c.req.valid('header')['last-event-id']))
  )
  app.openapi(streamRoute('/api/history/events/stream', 'New timeline entries as Server-Sent Events; `id` is the row id, Last-Event-ID resumes without loss.'), async (c) =>
    rowStream(c, api, 'history.events', c.req.valid('query').workspace, rowId(c.req.valid('header')['last-event-id']))
  )
  app.openapi(streamRoute('/api/history/errors/stream', 'Error groups as they are created or counted up; `id` is the last-seen time.'), async (c) =>
    errorStream(c, api, c.req.valid('query').workspace, c.req.valid('header')['last-event-id'])
  )
  registerFileRoutes(app, api)
  registerTerminalRoutes(app, api)
  registerArchiveRoutes(app, api)
  registerSeedAliases(app, api)
}

/** A Last-Event-ID that is not a row id is ignored (the stream starts from now), as a browser's EventSource would be. */
function rowId(header: string | undefined): number | undefined {
  return header !== undefined && /^\d{1,15}$/.test(header) ? Number(header) : undefined
}
