import type { OpenAPIHono } from '@hono/zod-openapi'
import { z } from 'zod'
import type { CoreApi } from '../../core/api'
import { fileMethods, FileEntry } from '../../core/contract'
import { queryOf } from './query-params'
import { body, Name, route } from './route-helpers'

const tags = ['files']
const PathQuery = z.object({ path: z.string().min(1).max(4096) })

/** Files in a workspace's /app: each path is resolved in the container (links included) and refused outside /app. */
export function registerFileRoutes(app: OpenAPIHono, api: CoreApi): void {
  app.openapi(
    route({ method: 'get', path: '/api/workspaces/{name}/files', tags, summary: 'A folder\'s entries (path: relative to /app; default /app).', request: { params: Name, query: PathQuery.partial() } }, z.array(FileEntry)),
    async (c) => c.json(await api.call('files.list', { ...c.req.valid('param'), ...c.req.valid('query') }), 200)
  )
  app.openapi(
    route(
      { method: 'get', path: '/api/workspaces/{name}/files/content', tags, summary: 'A file\'s content as utf8 text or base64 (at most 4 MiB).', request: { params: Name, query: PathQuery.extend({ encoding: z.enum(['utf8', 'base64']).optional() }) } },
      fileMethods['files.read'].result
    ),
    async (c) => c.json(await api.call('files.read', { ...c.req.valid('param'), ...c.req.valid('query') }), 200)
  )
  app.openapi(
    route(
      { method: 'put', path: '/api/workspaces/{name}/files/content', tags, summary: 'Writes a file (created or replaced, parent folders made).', request: { params: Name, query: PathQuery, ...body(fileMethods['files.write'].params.pick({ content: true, encoding: true })) } },
      fileMethods['files.write'].result
    ),
    async (c) => c.json(await api.call('files.write', { ...c.req.valid('json'), ...c.req.valid('param'), ...c.req.valid('query') }), 200)
  )
  app.openapi(
    route({ method: 'get', path: '/api/workspaces/{name}/files/stat', tags, summary: 'One entry (a link is described, not followed).', request: { params: Name, query: PathQuery } }, FileEntry),
    async (c) => c.json(await api.call('files.stat', { ...c.req.valid('param'), ...c.req.valid('query') }), 200)
  )
  app.openapi(
    route({ method: 'post', path: '/api/workspaces/{name}/files/mkdir', tags, summary: 'Makes a folder and its missing parents.', request: { params: Name, ...body(PathQuery.strict()) } }, fileMethods['files.mkdir'].result),
    async (c) => c.json(await api.call('files.mkdir', { ...c.req.valid('json'), ...c.req.valid('param') }), 200)
  )
  app.openapi(
    route(
      { method: 'post', path: '/api/workspaces/{name}/files/move', tags, summary: 'Moves or renames an entry (the destination must not exist).', request: { params: Name, ...body(fileMethods['files.move'].params.omit({ name: true })) } },
      fileMethods['files.move'].result
    ),
    async (c) => c.json(await api.call('files.move', { ...c.req.valid('json'), ...c.req.valid('param') }), 200)
  )
  app.openapi(
    route(
      {
        method: 'delete',
        path: '/api/workspaces/{name}/files',
        tags,
        summary: 'Removes a file, link or empty folder (recursive=true: a folder with its entries).',
        request: { params: Name, query: PathQuery.extend(queryOf({ recursive: z.boolean().optional() }).shape) }
      },
      fileMethods['files.remove'].result
    ),
    async (c) => c.json(await api.call('files.remove', { ...c.req.valid('param'), ...(c.req.valid('query') as { path: string; recursive?: boolean }) }), 200)
  )
}
