import type { TerminalInfo, TerminalSocketServerFrame } from '../core/contract'
import { streamFlow } from '../core/contract/methods'
import { WS_TERMINAL_PATH_PREFIX, WS_TERMINAL_PROTOCOL } from '../core/contract/ws-transport'
import { SandlotApiError } from './errors'
import type { HttpClient } from './http-client'

export interface TerminalOptions {
  cols?: number
  rows?: number
  name?: string
  /** The terminal's output as it arrives (the screen so far first); acknowledged once this returns. */
  onData?: (data: Uint8Array) => void
}

/** What the server's close codes mean, for a socket that closes before the terminal is ready. */
const CLOSE_ERRORS: Record<number, [number, string, string]> = {
  4401: [401, 'UNAUTHORIZED', 'Wrong or missing API token.'],
  4404: [404, 'NOT_FOUND', 'No such terminal.']
}

/**
 * A terminal session in a workspace, over the API's WebSocket: the same session the window shows (it appears in
 * its tabs). `detach()` leaves the shell running; `kill()` ends it.
 */
export class Terminal {
  readonly #http: HttpClient
  readonly #socket: WebSocket
  readonly #encoder = new TextEncoder()
  #info: TerminalInfo
  #exit: Promise<number | null>
  #pendingResize: Array<{ resolve: (info: TerminalInfo) => void; reject: (err: Error) => void }> = []

  private constructor(http: HttpClient, socket: WebSocket, info: TerminalInfo, exit: Promise<number | null>) {
    this.#http = http
    this.#socket = socket
    this.#info = info
    this.#exit = exit
  }

  /** Opens a session for `workspace` and attaches to it. */
  static async open(http: HttpClient, workspace: string, options: TerminalOptions): Promise<Terminal> {
    const size = options.cols === undefined && options.rows === undefined ? {} : { size: { cols: options.cols ?? 80, rows: options.rows ?? 24 } }
    const info = await http.request<TerminalInfo>('POST', '/api/terminals', { target: { kind: 'workspace', workspace }, ...size, ...(options.name === undefined ? {} : { name: options.name }) })
    return Terminal.attach(http, info.id, options)
  }

  /** Attaches to an open session (one the window opened, or an earlier `open`). */
  static attach(http: HttpClient, id: string, options: TerminalOptions = {}): Promise<Terminal> {
    const socket = http.socket(`${WS_TERMINAL_PATH_PREFIX}${encodeURIComponent(id)}`, WS_TERMINAL_PROTOCOL)
    socket.binaryType = 'arraybuffer'
    let terminal: Terminal | undefined
    let exited!: (code: number | null) => void
    const exit = new Promise<number | null>((resolve) => (exited = resolve))
    let unacked = 0
    return new Promise((resolve, reject) => {
      socket.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data !== 'string') {
          const bytes = new Uint8Array(event.data as ArrayBuffer)
          options.onData?.(bytes)
          unacked += bytes.length
          if (unacked >= streamFlow.ackEvery) {
            socket.send(JSON.stringify({ type: 'ack', bytes: unacked }))
            unacked = 0
          }
          return
        }
        const frame = JSON.parse(event.data) as TerminalSocketServerFrame
        if (frame.type === 'ready') {
          terminal = new Terminal(http, socket, frame.terminal, exit)
          resolve(terminal)
        } else if (frame.type === 'resized' && terminal !== undefined) terminal.#resized(frame.terminal)
        else if (frame.type === 'exit' || frame.type === 'end') exited(frame.exitCode)
        else if (frame.type === 'error') {
          const error = new SandlotApiError(0, frame.error.code, frame.error.message, frame.error.hint)
          // Before `ready`: the attach failed; after it, only a resize can be refused.
          if (terminal === undefined) reject(error)
          else terminal.#refused(error)
        }
      })
      socket.addEventListener('close', (event: CloseEvent) => {
        const [status, code, message] = CLOSE_ERRORS[event.code] ?? [0, 'INTERRUPTED', `The terminal's connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''}).`]
        if (terminal === undefined) reject(new SandlotApiError(status, code, message, 'Check the token and the terminal id (GET /api/terminals).'))
        exited(null)
      })
      socket.addEventListener('error', () => undefined)
    })
  }

  get id(): string {
    return this.#info.id
  }

  get info(): TerminalInfo {
    return this.#info
  }

  /** Sends input (keys, a command line with its "\n"); text is sent as UTF-8. */
  write(data: string | Uint8Array): void {
    this.#socket.send(typeof data === 'string' ? this.#encoder.encode(data) : data)
  }

  /** Resizes the terminal; resolves once the shell has the new size. */
  resize(cols: number, rows: number): Promise<TerminalInfo> {
    return new Promise((resolve, reject) => {
      this.#pendingResize.push({ resolve, reject })
      this.#socket.send(JSON.stringify({ type: 'resize', cols, rows }))
    })
  }

  /** The shell's exit code once it ends (null when the connection ended first). */
  wait(): Promise<number | null> {
    return this.#exit
  }

  /** Closes this connection; the session goes on (the window still shows it). */
  detach(): void {
    this.#socket.close(1000)
  }

  /** Ends the shell and the session. */
  async kill(): Promise<void> {
    await this.#http.request('DELETE', `/api/terminals/${encodeURIComponent(this.id)}`)
    this.detach()
  }

  #refused(error: Error): void {
    this.#pendingResize.shift()?.reject(error)
  }

  #resized(info: TerminalInfo): void {
    this.#info = info
    this.#pendingResize.shift()?.resolve(info)
  }
}
