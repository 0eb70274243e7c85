import { z } from 'zod'
import { ErrorInfo } from './errors'
import { EventName, MethodName } from './methods'
import { MAX_STREAM_WRITE } from './terminal'

/**
 * Messages between a renderer (or any API client) and the core over one WebSocket or IPC channel.
 * Three kinds share it: request/response, subscribe/event, and byte streams with acknowledgements.
 * Payloads are validated separately against `methods` and `events`; this layer only frames them.
 */
const Id = z.string().min(1).max(64)

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('request'), id: Id, method: MethodName, params: z.unknown() }),
  z.object({ type: z.literal('subscribe'), id: Id, event: EventName }),
  z.object({ type: z.literal('unsubscribe'), id: Id }),
  /** Text written into a stream (keyboard input into a terminal); a longer paste is sent as several frames. */
  z.object({ type: z.literal('stream.write'), stream: Id, data: z.string().max(MAX_STREAM_WRITE, `at most ${MAX_STREAM_WRITE} characters per frame: split longer input`) }),
  /**
   * The consumer processed `bytes` more of the stream's output, counted in UTF-16 code units (the JavaScript
   * length of the `stream.data` strings), the screen replayed on attach included. See `streamFlow`.
   */
  z.object({ type: z.literal('stream.ack'), stream: Id, bytes: z.number().int().positive() }),
  /** Detaches this client from the stream (the terminal goes on); answered with `stream.end`. */
  z.object({ type: z.literal('stream.close'), stream: Id })
])
export type ClientMessage = z.infer<typeof ClientMessage>

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: Id, result: z.unknown() }),
  z.object({ type: z.literal('error'), id: Id, error: ErrorInfo }),
  z.object({ type: z.literal('event'), id: Id, event: EventName, payload: z.unknown() }),
  /**
   * Output of a stream; `data` is UTF-8 text decoded across chunk borders by the producer. Stream ids are the
   * connection's own: they come in the reply of the method that opened the stream, which is sent before its first frame.
   * `channel`: which output of a command (workspaces.execStream); a terminal's stream has none.
   */
  z.object({ type: z.literal('stream.data'), stream: Id, data: z.string(), channel: z.enum(['stdout', 'stderr']).optional() }),
  /**
   * The stream is over for this client: its terminal closed (`exitCode`: the shell's last one), the client closed
   * it, or it fell too far behind (`error`, CONFLICT: attach again). Also the answer to a frame naming a stream
   * this connection does not have (`error`, NOT_FOUND): another client's stream id is refused the same way.
   */
  z.object({ type: z.literal('stream.end'), stream: Id, exitCode: z.number().int().nullable(), error: ErrorInfo.optional() })
])
export type ServerMessage = z.infer<typeof ServerMessage>
