import { randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { CoreApi } from '../../core/api'
import type { MethodParams } from '../../core/contract'
import { toErrorInfo } from '../../core/sandlot-error'

/** Whether the client asked for Server-Sent Events (a create's progress, an exec's output) instead of one JSON answer. */
export function wantsEventStream(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('text/event-stream')
}

/**
 * A create whose phases go out as `progress` events (this call's own, by its request id), then one `workspace`
 * event with the result or one `error` event with the error document. The create goes on if the client leaves.
 */
export function createWithProgress(c: Context, api: CoreApi, params: MethodParams<'workspaces.create'>): Response {
  const requestId = params.requestId ?? randomBytes(12).toString('base64url')
  return streamSSE(c, async (stream) => {
    const unsubscribe = api.subscribe('workspaces.progress', (progress) => {
      if (progress.requestId === requestId) void stream.writeSSE({ event: 'progress', data: JSON.stringify(progress) })
    })
    try {
      const workspace = await api.call('workspaces.create', { ...params, requestId })
      await stream.writeSSE({ event: 'workspace', data: JSON.stringify(workspace) })
    } catch (err) {
      await stream.writeSSE({ event: 'error', data: JSON.stringify({ error: toErrorInfo(err) }) })
    } finally {
      unsubscribe()
    }
  })
}
