import { z } from 'zod'
import {
  events,
  methods,
  streamMethods,
  type ErrorInfo,
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodParams,
  type MethodResult,
  type StreamMethodName
} from './contract'
import { SandlotError } from './sandlot-error'

export type MethodHandlers = {
  [M in Exclude<MethodName, StreamMethodName>]: (params: z.output<(typeof methods)[M]['params']>) => Promise<MethodResult<M>> | MethodResult<M>
}

/** Where a stream's output goes: the adapter turns these into `stream.data` and `stream.end` frames. */
export interface StreamSink {
  /** `channel`: a command's stdout or stderr (workspaces.execStream); a terminal's output has none. */
  data(text: string, channel?: 'stdout' | 'stderr'): void
  end(exitCode: number | null, error?: ErrorInfo): void
}

/** What the client sends into an open stream: input, acknowledgements (UTF-16 code units processed), its close. */
export interface StreamHandle {
  write(data: string): void
  ack(amount: number): void
  close(): void
}

/** Methods that open a stream for the calling client: their result (without the stream id the adapter adds) and the handle. */
export type StreamHandlers = {
  [M in StreamMethodName]: (
    params: z.output<(typeof methods)[M]['params']>,
    sink: StreamSink
  ) => Promise<{ result: Omit<MethodResult<M>, 'stream'>; handle: StreamHandle }>
}

export type EventSources = {
  [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void
}

/**
 * The one entry point every adapter (IPC, WebSocket, CLI) calls through: parameters are validated against the
 * contract before a handler runs, and results are checked on the way out so the contract stays true.
 */
export class CoreApi {
  readonly #handlers: MethodHandlers
  readonly #events: EventSources

  readonly #streams: StreamHandlers

  constructor(handlers: MethodHandlers, eventSources: EventSources, streams: StreamHandlers) {
    this.#handlers = handlers
    this.#events = eventSources
    this.#streams = streams
  }

  /** Whether a method opens a stream (it needs a client that can take stream frames, not a plain call). */
  static isStreamMethod(method: string): method is StreamMethodName {
    return (streamMethods as readonly string[]).includes(method)
  }

  /**
   * Calls a stream method for one client: `stream` is the id the adapter gave it, `sink` where its output goes.
   * The result is checked against the contract like any other.
   */
  async openStream(method: StreamMethodName, params: unknown, stream: string, sink: StreamSink): Promise<{ result: unknown; handle: StreamHandle }> {
    const spec = methods[method]
    const parsed = this.#parse(method, params)
    // Each handler takes its own method's parameters, which #parse has just checked.
    const handler = this.#streams[method] as (params: unknown, sink: StreamSink) => Promise<{ result: object; handle: StreamHandle }>
    const opened = await handler(parsed, sink)
    const check = spec.result.safeParse({ ...opened.result, stream })
    if (!check.success) {
      opened.handle.close()
      throw new Error(`${method} answered against the contract: ${z.prettifyError(check.error)}`)
    }
    return { result: check.data, handle: opened.handle }
  }

  async call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>
  async call(method: string, params: unknown): Promise<unknown>
  async call(method: string, params: unknown): Promise<unknown> {
    if (!Object.hasOwn(methods, method)) {
      throw new SandlotError('BAD_REQUEST', `Unknown method "${method}".`, `Known methods: ${Object.keys(methods).join(', ')}.`)
    }
    if (CoreApi.isStreamMethod(method)) {
      throw new SandlotError('BAD_REQUEST', `${method} opens a stream: it needs a connection that carries stream frames.`, 'Call it over the WebSocket API or the app\'s IPC channel.')
    }
    const spec = methods[method as MethodName]
    const parsed = this.#parse(method as MethodName, params)
    const handler = this.#handlers[method as Exclude<MethodName, StreamMethodName>] as (p: unknown) => unknown
    return spec.result.parse(await handler(parsed))
  }

  #parse(method: MethodName, params: unknown): unknown {
    const parsed = methods[method].params.safeParse(params ?? {})
    if (!parsed.success) {
      throw new SandlotError('BAD_REQUEST', `Invalid parameters for ${method}: ${z.prettifyError(parsed.error)}`, 'Nothing was changed.')
    }
    return parsed.data
  }

  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
  subscribe(event: string, listener: (payload: unknown) => void): () => void
  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    if (!Object.hasOwn(events, event)) {
      throw new SandlotError('BAD_REQUEST', `Unknown event "${event}".`, `Known events: ${Object.keys(events).join(', ')}.`)
    }
    const source = this.#events[event as EventName] as (l: (payload: unknown) => void) => () => void
    return source(listener)
  }
}
