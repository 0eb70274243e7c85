import { readFile } from 'node:fs/promises'
import { contentTypeOf, resolveStaticFile } from '../transport/static-files'
import { APP_SCHEME, isBundleUrl } from './renderer-source'

/** Registered before `ready`: standard (real origin, relative URLs) and secure (like https), nothing more. */
export const APP_SCHEME_PRIVILEGES = { scheme: APP_SCHEME, privileges: { standard: true, secure: true } }

/** Serves the built renderer on sandlot://app/, with the security headers (the CSP) on every answer. */
export function appProtocolHandler(bundleDir: string, headers: Record<string, string>) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    const file = isBundleUrl(url) ? resolveStaticFile(bundleDir, url.pathname) : undefined
    if (file === undefined) return notFound()
    let body: Buffer
    try {
      body = await readFile(file)
    } catch {
      return notFound()
    }
    return new Response(new Uint8Array(body), { status: 200, headers: { ...headers, 'Content-Type': contentTypeOf(file) } })
  }
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}
