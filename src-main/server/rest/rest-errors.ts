import { z } from '@hono/zod-openapi'
import { ErrorCode, type ErrorInfo } from '../../core/contract'

/** Codes only the HTTP transport gives (the core's own are ErrorCode). */
export const TransportErrorCode = z.enum(['UNAUTHORIZED', 'FORBIDDEN', 'TOO_LARGE', 'NOT_FOUND'])

/** Every error answer of the REST API: a stable code, what was wrong, and what to do. */
export const RestError = z
  .object({ error: z.object({ code: z.union([ErrorCode, TransportErrorCode]), message: z.string(), hint: z.string().optional() }) })
  .openapi('Error')
export type RestError = z.infer<typeof RestError>
export type RestErrorCode = RestError['error']['code']

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 500 | 503

/**
 * The HTTP status of a core error. A core BAD_REQUEST is a request that parsed but did not hold (the route's own
 * validation already caught shape errors): 422, like them. Malformed JSON is 400 (see rest-app).
 */
export function statusOf(code: ErrorInfo['code']): ErrorStatus {
  switch (code) {
    case 'BAD_REQUEST':
    case 'BAD_USAGE':
      return 422
    case 'NOT_FOUND':
      return 404
    case 'CONFLICT':
    case 'PORT_IN_USE':
    case 'IMAGE_MISSING':
    case 'EDITOR_MISSING':
      return 409
    case 'ENGINE_UNREACHABLE':
      return 503
    default:
      return 500
  }
}

export function restError(code: RestErrorCode, message: string, hint?: string): RestError {
  return { error: { code, message, ...(hint === undefined ? {} : { hint }) } }
}
