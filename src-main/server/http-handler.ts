import { createReadStream, statSync, type Stats } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { requestPath } from './request-target'
import { contentTypeOf, isImmutableAsset, resolveStaticFile } from '../transport/static-files'

export interface HttpHandlerOptions {
  rendererDir: string
  /** The Host values this server answers to (see allowedHosts). */
  hosts: ReadonlySet<string>
  /** Security headers sent with every answer, errors included. */
  headers: Record<string, string>
}

/**
 * Serves the built web app, read-only. It holds no data: everything the app shows comes over the
 * authenticated WebSocket, so these files are served without the token (a reload has no token in its URL).
 */
export function createHttpHandler({ rendererDir, hosts, headers }: HttpHandlerOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
    if (!hosts.has(req.headers.host ?? '')) return plain(res, 403, 'This server answers only to its own loopback address.')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return plain(res, 405, 'Method not allowed.')
    }
    const pathname = requestPath(req)
    if (pathname === undefined) return plain(res, 400, 'Bad request.')
    const file = resolveStaticFile(rendererDir, pathname)
    const stats = file === undefined ? undefined : fileStats(file)
    if (file === undefined || stats === undefined) return plain(res, 404, 'Not found.')
    res.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Content-Length': stats.size,
      'Cache-Control': isImmutableAsset(pathname) ? 'public, max-age=31536000, immutable' : 'no-store'
    })
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res)
  }
}

function fileStats(file: string): Stats | undefined {
  try {
    const stats = statSync(file)
    return stats.isFile() ? stats : undefined
  } catch {
    return undefined
  }
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(`${text}\n`)
}
