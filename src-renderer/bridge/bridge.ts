import type { ErrorInfo, EventName, EventPayload, MethodName, MethodParams, MethodResult } from '../../src-main/core/contract'

/** The link between the views and the core: always open in the desktop app; a WebSocket that can drop in a browser. */
export type ConnectionState =
  | { state: 'connecting' }
  | { state: 'open' }
  /** Lost or never reached; the next attempt is due at `nextAttemptAt` (epoch ms). */
  | { state: 'disconnected'; attempt: number; nextAttemptAt: number }
  /** The server refused the token: only signing in again helps. */
  | { state: 'unauthorized' }

/**
 * What every view talks to. Views never know whether they run in the desktop app (IPC) or in a browser
 * (WebSocket to `sandlot serve`): both implement this, typed from the one contract.
 */
export interface Bridge {
  /** Where the app runs, for the status bar: "Desktop app" or the server's host and port. */
  readonly location: string
  connection(): ConnectionState
  onConnection(listener: (state: ConnectionState) => void): () => void
  /** Reconnect now instead of at the next scheduled attempt. */
  reconnectNow(): void
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>
  /** Listens until the returned function is called; subscriptions survive reconnects. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** A failed call: the core's error (code, message, hint), or DISCONNECTED when the link dropped. */
export class BridgeError extends Error {
  readonly code: ErrorInfo['code'] | 'DISCONNECTED'
  readonly hint: string | undefined

  constructor(info: { code: BridgeError['code']; message: string; hint?: string }) {
    super(info.message)
    this.name = 'BridgeError'
    this.code = info.code
    this.hint = info.hint
  }
}
