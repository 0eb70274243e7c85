import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { z } from 'zod'
import type { CoreApi } from '../../core/api'
import { ARCHIVE_CAP, fileMethods, TemplateAddResult, Workspace, WorkspaceName } from '../../core/contract'
import { SandlotError } from '../../core/sandlot-error'
import { Name, route } from './route-helpers'

/** Routes whose bodies are archives: limited to ARCHIVE_CAP instead of the JSON bodies' limit. */
export const ARCHIVE_BODY_PATHS = /^\/api\/(templates|workspaces\/restore|workspaces\/[^/]+\/files\/archive)$/

const PathQuery = z.object({ path: z.string().min(1).max(4096).optional() })
const binary = (type: string, description: string) => ({ content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } }, description })

/**
 * Archives in and out, streamed through a private temporary folder on this machine (never held in memory): an
 * upload is written there with its size counted (413 past the limit, before anything in a workspace changes),
 * then handed to the core; a download is written there by the core, then streamed out and removed.
 */
export function registerArchiveRoutes(app: OpenAPIHono, api: CoreApi): void {
  const tags = ['files']
  app.openapi(
    route(
      {
        method: 'put',
        path: '/api/workspaces/{name}/files/archive',
        tags,
        summary: `Extracts a tar into a folder of /app (path; default /app; made if missing) as node. Every entry is checked first (nothing outside the folder, no links out, no devices or hard links); at most ${ARCHIVE_CAP} bytes.`,
        request: { params: Name, query: PathQuery, body: { ...binary('application/x-tar', 'A tar archive.'), required: true } }
      },
      fileMethods['files.upload'].result
    ),
    async (c) => withTemporary(async (folder) => c.json(await api.call('files.upload', { ...c.req.valid('param'), ...c.req.valid('query'), file: await receive(c, join(folder, 'upload.tar')) }), 200))
  )
  app.openapi(
    route(
      {
        method: 'get',
        path: '/api/workspaces/{name}/files/archive',
        tags,
        summary: 'A file or folder of /app as a tar (a folder\'s entries relative to it), read as node.',
        request: { params: Name, query: PathQuery }
      },
      z.string()
    ),
    async (c) => send(c, 'application/x-tar', 'files.tar', (file) => api.call('files.download', { ...c.req.valid('param'), ...c.req.valid('query'), file }))
  )
  app.openapi(
    route({ method: 'get', path: '/api/workspaces/{name}/archive', tags: ['workspaces'], summary: 'Saves the workspace (/app without node_modules, with its run settings) as a .tar.gz download.', request: { params: Name } }, z.string()),
    async (c) => {
      const { name } = c.req.valid('param')
      return send(c, 'application/gzip', `${name}.tar.gz`, (file) => api.call('workspaces.save', { name, file }))
    }
  )
  app.openapi(
    route(
      {
        method: 'post',
        path: '/api/workspaces/restore',
        tags: ['workspaces'],
        summary: 'A new workspace from an uploaded saved archive (.tar.gz of GET /api/workspaces/{name}/archive or `sandlot save`); answers once it is ready.',
        request: { query: z.object({ name: WorkspaceName.optional() }), body: { ...binary('application/gzip', 'A saved workspace.'), required: true } }
      },
      Workspace,
      201
    ),
    async (c) => withTemporary(async (folder) => c.json(await api.call('workspaces.restore', { ...c.req.valid('query'), file: await receive(c, join(folder, 'workspace.tar.gz')) }), 201))
  )
  app.openapi(
    route(
      {
        method: 'post',
        path: '/api/templates',
        tags: ['templates'],
        summary:
          'Adds a template from an uploaded tar or .tar.gz of its folder (one top folder in it is taken as the template\'s); every entry is checked as a template\'s files are. replace: over a template of yours with the same id.',
        request: { query: z.object({ replace: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }), body: { ...binary('application/gzip', 'A tar or .tar.gz of a template folder.'), required: true } }
      },
      TemplateAddResult,
      201
    ),
    async (c) => withTemporary(async (folder) => c.json(await api.call('templates.addArchive', { ...c.req.valid('query'), file: await receive(c, join(folder, 'template.tar')) }), 201))
  )
}

async function withTemporary<T>(work: (folder: string) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(join(tmpdir(), 'sandlot-api-'))
  try {
    return await work(folder)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** Writes the request body to `file`, counting it: past ARCHIVE_CAP the request is refused (413) and nothing goes further. */
async function receive(c: Context, file: string): Promise<string> {
  const body = c.req.raw.body
  if (body === null) throw new SandlotError('BAD_REQUEST', 'The request has no body.', 'Send the archive as the request body.')
  // A declared length past the limit is refused before a byte is read.
  if (Number(c.req.header('content-length') ?? 0) > ARCHIVE_CAP) throw new TooLarge()
  let total = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length
      done(total > ARCHIVE_CAP ? new TooLarge() : null, chunk)
    }
  })
  await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), counter, createWriteStream(file, { mode: 0o600 }))
  return file
}

/** The body was larger than an archive may be (answered 413 by the app's error handler). */
export class TooLarge extends Error {
  constructor() {
    super(`The archive is larger than ${ARCHIVE_CAP} bytes.`)
  }
}

/** Has the core write a file into a private temporary folder, then streams it out and removes the folder. */
async function send(c: Context, type: string, filename: string, write: (file: string) => Promise<unknown>): Promise<Response> {
  const folder = mkdtempSync(join(tmpdir(), 'sandlot-api-'))
  const file = join(folder, 'out')
  try {
    await write(file)
  } catch (err) {
    rmSync(folder, { recursive: true, force: true })
    throw err
  }
  const stream = createReadStream(file)
  stream.once('close', () => rmSync(folder, { recursive: true, force: true }))
  return c.body(Readable.toWeb(stream) as ReadableStream, 200, { 'Content-Type': type, 'Content-Disposition': `attachment; filename="${filename}"` })
}
