import type { EventName, MethodName, ServerMessage } from '../../src-main/core/contract'
import type { StreamClientFrame, StreamFrame } from './terminal-streams'

/**
 * `window.sandlot`, exposed by the desktop app's preload. Calls resolve to the reply frame itself (result or
 * error): errors lose their fields when they cross the context bridge, plain data does not.
 */
export interface WindowSandlotApi {
  call(method: MethodName, params: unknown): Promise<ServerMessage>
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void
  /** Sends a stream frame (input, acknowledgement, detach); the main process validates it and its stream id. */
  sendStream(frame: StreamClientFrame): void
  /** Receives every `stream.data` and `stream.end` frame of this window, until the returned function is called. */
  onStream(listener: (frame: StreamFrame) => void): () => void
  /** The native folder picker: the chosen folder's absolute path, undefined when cancelled. */
  chooseFolder(): Promise<string | undefined>
  /** A dropped file's or folder's path on this machine; empty when it has none. */
  pathForFile(file: File): string
}

declare global {
  interface Window {
    sandlot?: WindowSandlotApi
  }
}
