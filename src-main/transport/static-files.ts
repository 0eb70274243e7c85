import { existsSync } from 'node:fs'
import { extname, join, resolve, sep } from 'node:path'
import { SandlotError } from '../core/sandlot-error'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8'
}

/**
 * The file under `root` that a URL path names (`/` is the app's index.html), or undefined when the path is
 * malformed or would leave `root`. Existence is the caller's business.
 */
export function resolveStaticFile(root: string, pathname: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return undefined
  const base = resolve(root)
  const file = resolve(base, `.${decoded === '/' ? '/index.html' : decoded}`)
  return file.startsWith(base + sep) ? file : undefined
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/** Vite names everything under assets/ by content hash, so those files never change under one URL. */
export function isImmutableAsset(pathname: string): boolean {
  return pathname.startsWith('/assets/')
}

/** Fails early, before the core opens, when the web app was never built. */
export function assertRendererBuilt(root: string): void {
  if (existsSync(join(root, 'index.html'))) return
  throw new SandlotError(
    'NOT_FOUND',
    `The Sandlot web app is not built: ${join(root, 'index.html')} is missing.`,
    'Run `npm run build` (electron-vite build) in the Sandlot checkout, then `sandlot serve` again.'
  )
}
