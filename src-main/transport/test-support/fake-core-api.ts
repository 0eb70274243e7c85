import { CoreApi, type EventSources, type MethodHandlers, type StreamHandlers } from '../../core/api'
import { events, methods, streamMethods, type EngineStatus } from '../../core/contract'

/**
 * A CoreApi with the given handlers and event sources; every other method fails if called, every other event
 * stays silent. Tests of adapters name only what they use, so the contract can grow without touching them.
 */
export function fakeCoreApi(handlers: Partial<MethodHandlers>, sources: Partial<EventSources> = {}, streams: Partial<StreamHandlers> = {}): CoreApi {
  const all = Object.fromEntries(
    Object.keys(methods).filter((name) => !CoreApi.isStreamMethod(name)).map((name) => [
      name,
      handlers[name as keyof MethodHandlers] ??
        (() => {
          throw new Error(`${name} is not used by this test`)
        })
    ])
  ) as MethodHandlers
  const silent = Object.fromEntries(
    Object.keys(events).map((name) => [name, sources[name as keyof EventSources] ?? (() => () => undefined)])
  ) as EventSources
  const streaming = Object.fromEntries(
    streamMethods.map((name) => [
      name,
      streams[name] ??
        (() => {
          throw new Error(`${name} is not used by this test`)
        })
    ])
  ) as StreamHandlers
  return new CoreApi(all, silent, streaming)
}

/** An event source tests can fire, counting its listeners. */
export function fakeEventSource<T>() {
  const listeners = new Set<(payload: T) => void>()
  return {
    listeners,
    emit: (payload: T) => listeners.forEach((listener) => listener(payload)),
    source: (listener: (payload: T) => void) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    }
  }
}

/** An engine status for tests that need one of the contract's shape, not a real engine. */
export const unreachableStatus: EngineStatus = {
  state: 'unreachable',
  endpoint: { kind: 'unix', url: 'unix:///nowhere.sock', source: 'default' },
  message: 'm',
  hint: 'h',
  since: '2025-01-01T00:00:00.000Z',
  attempt: 0
}
