import { z } from 'zod'
import { ErrorInfo } from './errors'
import { EventName, MethodName } from './methods'

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
  /** Bytes written into a stream (keyboard input into a terminal). */
  z.object({ type: z.literal('stream.write'), stream: Id, data: z.string() }),
  /** The consumer processed `bytes` more of the stream's output. */
  z.object({ type: z.literal('stream.ack'), stream: Id, bytes: z.number().int().positive() }),
  z.object({ type: z.literal('stream.close'), stream: Id })
])
export type ClientMessage = z.infer<typeof ClientMessage>

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: Id, result: z.unknown() }),
  z.object({ type: z.literal('error'), id: Id, error: ErrorInfo }),
  z.object({ type: z.literal('event'), id: Id, event: EventName, payload: z.unknown() }),
  /** Output of a stream; `data` is UTF-8 text decoded across chunk borders by the producer. */
  z.object({ type: z.literal('stream.data'), stream: Id, data: z.string() }),
  z.object({ type: z.literal('stream.end'), stream: Id, exitCode: z.number().int().nullable(), error: ErrorInfo.optional() })
])
export type ServerMessage = z.infer<typeof ServerMessage>
