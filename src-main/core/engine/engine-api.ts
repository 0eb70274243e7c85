import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import type Dockerode from 'dockerode'

export interface EventsQuery {
  filters?: Record<string, string[]>
  /** Docker's `seconds[.nanoseconds]` form: a number cannot hold nanosecond precision. */
  since?: string
}

/** The engine stream dockerode returns: the HTTP response, whose Date header is the engine's clock. */
export type EngineStream = Readable & { headers?: IncomingHttpHeaders }

/** The dockerode calls the engine module makes, typed as docker-modem really accepts them. */
export interface EngineApi {
  ping(options: { abortSignal: AbortSignal }): Promise<unknown>
  version(options: { abortSignal: AbortSignal }): Promise<unknown>
  getEvents(query: EventsQuery): Promise<EngineStream>
}

/** @types/dockerode omits the abort signal and types `since` as a number; the calls themselves accept both. */
export function engineApi(docker: Dockerode): EngineApi {
  return docker as unknown as EngineApi
}
