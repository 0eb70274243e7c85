import { randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { CoreApi } from '../../core/api'
import type { ErrorInfo, ExecParams } from '../../core/contract'

/** Output held for a client that reads slower than the command prints; past it, the client is cut off. */
const MAX_PENDING_CHARS = 8 * 1024 * 1024

type Frame = { event: 'stdout' | 'stderr'; text: string } | { event: 'exit'; exitCode: number | null; error: ErrorInfo | undefined }

/**
 * An exec whose output goes out as Server-Sent Events as it comes: `stdout` and `stderr` events (data: the text
 * as a JSON string), then one `exit` event (`{ exitCode, timedOut }`) or one `error` event (`{ error }`). The
 * command is started before the response begins, so a missing or stopped workspace is a plain JSON error.
 */
export async function execWithStream(c: Context, api: CoreApi, params: ExecParams): Promise<Response> {
  const queue: Frame[] = []
  let pending = 0
  let wake: (() => void) | undefined
  const push = (frame: Frame): void => {
    queue.push(frame)
    if (frame.event !== 'exit') pending += frame.text.length
    wake?.()
  }
  const { handle } = await api.openStream('workspaces.execStream', params, `s${randomBytes(12).toString('base64url')}`, {
    data: (text, channel) => push({ event: channel ?? 'stdout', text }),
    end: (exitCode, error) => push({ event: 'exit', exitCode, error })
  })
  return streamSSE(c, async (stream) => {
    let closed = false
    stream.onAbort(() => {
      closed = true
      handle.close()
      wake?.()
    })
    while (!closed) {
      const frame = queue.shift()
      if (frame === undefined) {
        await new Promise<void>((resolve) => (wake = resolve))
        wake = undefined
        continue
      }
      if (frame.event !== 'exit') {
        pending -= frame.text.length
        await stream.writeSSE({ event: frame.event, data: JSON.stringify(frame.text) })
        if (pending <= MAX_PENDING_CHARS) continue
        handle.close()
        const error: ErrorInfo = { code: 'CONFLICT', message: 'The client read the output too slowly: the stream was cut and the command stopped.', hint: 'Read the stream as it comes, or run the command without streaming (its output is then capped).' }
        await stream.writeSSE({ event: 'error', data: JSON.stringify({ error }) })
        return
      }
      if (frame.error !== undefined && frame.error.code !== 'TIMEOUT') await stream.writeSSE({ event: 'error', data: JSON.stringify({ error: frame.error }) })
      else await stream.writeSSE({ event: 'exit', data: JSON.stringify({ exitCode: frame.exitCode, timedOut: frame.error?.code === 'TIMEOUT' }) })
      return
    }
  })
}
