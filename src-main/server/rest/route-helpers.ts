import { createRoute, type RouteConfig } from '@hono/zod-openapi'
import { z } from 'zod'
import { EventsQuery, LogsQuery, WorkspaceName } from '../../core/contract'
import { queryOf } from './query-params'
import { RestError } from './rest-errors'

export const json = <S extends z.ZodType>(schema: S, description: string) => ({ content: { 'application/json': { schema } }, description })

export const errorResponses = {
  400: json(RestError, 'Malformed request (a body that is not JSON): nothing was changed.'),
  401: json(RestError, 'No token, or a wrong one.'),
  404: json(RestError, 'No such workspace, template or route.'),
  409: json(RestError, 'Conflicts with the current state (a name in use, a running workspace).'),
  413: json(RestError, 'The body is too large.'),
  422: json(RestError, 'The request does not hold against the contract: nothing was changed.')
}

/** One authenticated route: its request parts, its result, and the errors every route may answer. */
export function route<R extends Omit<RouteConfig, 'responses'>, S extends z.ZodType>(config: R, result: S, status: 200 | 201 = 200) {
  return createRoute({
    ...config,
    security: [{ Bearer: [] }],
    // Typed loosely on purpose: results are checked against the contract by the core, not by the router.
    responses: { [status]: json(result, 'Success.'), ...errorResponses } as RouteConfig['responses']
  })
}

export const Name = z.object({ name: WorkspaceName })
export const body = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } }, required: true } })
export const ProcessAnswer = z.record(z.string(), z.unknown())
export const ProcessAction = Name.extend({ action: z.enum(['start', 'stop', 'restart']) })
export const ProcessStart = z.object({ command: z.string().min(1).max(4096).optional() }).strict()
export const RemoveQuery = queryOf({ force: z.boolean().optional(), purge: z.boolean().optional() })
export const LogsUrlQuery = queryOf(LogsQuery.shape)
export const EventsUrlQuery = queryOf(EventsQuery.shape)
export const ErrorsQuery = z.object({ workspace: WorkspaceName.optional() })
export const StreamHeaders = z.object({ 'last-event-id': z.string().max(64).optional() })
export const sse = (description: string) => ({ 200: { content: { 'text/event-stream': { schema: z.string() } }, description }, ...errorResponses })
