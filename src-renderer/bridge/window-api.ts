import type { EventName, MethodName, ServerMessage } from '../../src-main/core/contract'

/**
 * `window.sandlot`, exposed by the desktop app's preload. Calls resolve to the reply frame itself (result or
 * error): errors lose their fields when they cross the context bridge, plain data does not.
 */
export interface WindowSandlotApi {
  call(method: MethodName, params: unknown): Promise<ServerMessage>
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void
}

declare global {
  interface Window {
    sandlot?: WindowSandlotApi
  }
}
