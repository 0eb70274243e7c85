import type { IncomingMessage } from 'node:http'

/**
 * The path a request asks for, or undefined when its target is not a URL. Node's HTTP parser accepts
 * targets that the URL parser rejects (`GET http://[ HTTP/1.1`): those are answered 400, never thrown.
 */
export function requestPath(req: IncomingMessage): string | undefined {
  return requestUrl(req)?.pathname
}

/** The request's URL (path and query), or undefined when its target is not a URL. */
export function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://server')
  } catch {
    return undefined
  }
}
