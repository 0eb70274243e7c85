import type { ErrorInfo, EventName, EventPayload, MethodName, MethodParams, MethodResult, TerminalId } from '../../src-main/core/contract'
import type { TerminalStream, TerminalStreamListener } from './terminal-streams'

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
  /** Attaches to a terminal's output (screen first, then live) until closed; attaches again after a reconnect. */
  attachTerminal(id: TerminalId, listener: TerminalStreamListener): TerminalStream
  /** Desktop app only (a browser cannot give a path on the host): what the user picks or drops, as a host path. */
  readonly hostFolders?: HostFolders
}

/** Host folders from the desktop app's own UI: the native picker, and the path of something dropped on the window. */
export interface HostFolders {
  choose(): Promise<string | undefined>
  pathOf(file: File): string | undefined
}

/**
 * The link's own failures, beside the core's codes: NOT_SENT when the call never left (nothing happened),
 * DISCONNECTED when the link dropped after it was sent (the core may still be doing it).
 */
export type LinkErrorCode = 'NOT_SENT' | 'DISCONNECTED'

/** A failed call as views show it: the contract's ErrorInfo, or one of the link's own codes. */
export type CallError = Omit<ErrorInfo, 'code'> & { code: ErrorInfo['code'] | LinkErrorCode }

export class BridgeError extends Error {
  readonly code: CallError['code']
  readonly hint: string | undefined

  constructor(info: CallError) {
    super(info.message)
    this.name = 'BridgeError'
    this.code = info.code
    this.hint = info.hint
  }
}

/** Whatever a call rejected with, as a CallError (anything but a BridgeError is a bug: INTERNAL). */
export function callError(err: unknown): CallError {
  if (err instanceof BridgeError) return { code: err.code, message: err.message, ...(err.hint === undefined ? {} : { hint: err.hint }) }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }
}

/** The link dropped or was down: the connection banner says so already. */
export function isLinkError(error: CallError): boolean {
  return error.code === 'NOT_SENT' || error.code === 'DISCONNECTED'
}
