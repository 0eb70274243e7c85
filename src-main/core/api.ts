import { z } from 'zod'
import {
  events,
  methods,
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodParams,
  type MethodResult
} from './contract'
import { SandlotError } from './sandlot-error'

export type MethodHandlers = {
  [M in MethodName]: (params: z.output<(typeof methods)[M]['params']>) => Promise<MethodResult<M>> | MethodResult<M>
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

  constructor(handlers: MethodHandlers, eventSources: EventSources) {
    this.#handlers = handlers
    this.#events = eventSources
  }

  async call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>
  async call(method: string, params: unknown): Promise<unknown>
  async call(method: string, params: unknown): Promise<unknown> {
    if (!Object.hasOwn(methods, method)) {
      throw new SandlotError('BAD_REQUEST', `Unknown method "${method}".`, `Known methods: ${Object.keys(methods).join(', ')}.`)
    }
    const spec = methods[method as MethodName]
    const parsed = spec.params.safeParse(params ?? {})
    if (!parsed.success) {
      throw new SandlotError('BAD_REQUEST', `Invalid parameters for ${method}: ${z.prettifyError(parsed.error)}`, 'Nothing was changed.')
    }
    const handler = this.#handlers[method as MethodName] as (p: unknown) => unknown
    return spec.result.parse(await handler(parsed.data))
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
