import {
  ServerMessage,
  type ClientMessage,
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodParams,
  type MethodResult,
  type TerminalId
} from '../../src-main/core/contract'
import { BridgeError, type Bridge, type ConnectionState } from './bridge'
import { parseEvent, settleReply } from './replies'
import { TerminalStreams, type TerminalStream, type TerminalStreamListener } from './terminal-streams'
import { WS_CLOSE_UNAUTHORIZED, wsProtocols } from '../../src-main/core/contract/ws-transport'

/** The part of a WebSocket this bridge uses: the browser's, or the `ws` package's in tests. */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: (() => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number }) => void) | null
  onerror: (() => void) | null
}

export type SocketFactory = (url: string, protocols: string[]) => SocketLike

export interface WsBridgeOptions {
  /** The server's WebSocket URL (ws://127.0.0.1:PORT/ws). */
  url: string
  token: string
  connect?: SocketFactory
  /** Reconnect delays: doubling from `initialMs` up to `maxMs`. A local server restarts in about a second. */
  backoff?: { initialMs: number; maxMs: number }
}

const OPEN = 1

interface PendingCall {
  method: MethodName
  resolve: (value: never) => void
  reject: (error: BridgeError) => void
}

interface Subscription {
  event: EventName
  listener: (payload: never) => void
}

const browserSocket: SocketFactory = (url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike

/**
 * The browser's bridge to `sandlot serve`. Reconnects on its own when the link drops (a server restart, a
 * sleeping laptop) and re-subscribes. Calls made while disconnected fail at once with NOT_SENT; calls in flight
 * when the link drops fail with DISCONNECTED (the core got them and may still carry them out).
 */
export class WsBridge implements Bridge {
  readonly location: string
  readonly #options: Required<WsBridgeOptions>
  readonly #listeners = new Set<(state: ConnectionState) => void>()
  readonly #pending = new Map<string, PendingCall>()
  readonly #subscriptions = new Map<string, Subscription>()
  #state: ConnectionState = { state: 'connecting' }
  #socket: SocketLike | undefined
  #attempt = 0
  #retryTimer: ReturnType<typeof setTimeout> | undefined
  #nextId = 0
  #stopped = false
  readonly #streams = new TerminalStreams({ call: (method, params) => this.call(method, params), send: (frame) => this.#send(frame) })

  constructor(options: WsBridgeOptions) {
    this.#options = { connect: browserSocket, backoff: { initialMs: 500, maxMs: 5_000 }, ...options }
    this.location = new URL(options.url).host
    this.#open()
  }

  connection(): ConnectionState {
    return this.#state
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  reconnectNow(): void {
    if (this.#state.state !== 'disconnected') return
    clearTimeout(this.#retryTimer)
    this.#open()
  }

  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    const id = this.#id('r')
    return new Promise<MethodResult<M>>((resolve, reject) => {
      if (!this.#send({ type: 'request', id, method, params })) {
        reject(new BridgeError({ code: 'NOT_SENT', message: 'Not connected to sandlot serve: nothing was sent.', hint: 'It reconnects on its own; try again then.' }))
        return
      }
      this.#pending.set(id, { method, resolve, reject })
    })
  }

  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const id = this.#id('s')
    this.#subscriptions.set(id, { event, listener })
    this.#send({ type: 'subscribe', id, event })
    return () => {
      if (this.#subscriptions.delete(id)) this.#send({ type: 'unsubscribe', id })
    }
  }

  attachTerminal(id: TerminalId, listener: TerminalStreamListener): TerminalStream {
    return this.#streams.attach(id, listener)
  }

  /** Closes the link for good (tests; a page unload closes it anyway). */
  stop(): void {
    this.#stopped = true
    clearTimeout(this.#retryTimer)
    this.#socket?.close(1000, 'bridge stopped')
  }

  #open(): void {
    this.#setState({ state: 'connecting' })
    const socket = this.#options.connect(this.#options.url, wsProtocols(this.#options.token))
    this.#socket = socket
    socket.onopen = () => {
      this.#attempt = 0
      this.#setState({ state: 'open' })
      for (const [id, { event }] of this.#subscriptions) this.#send({ type: 'subscribe', id, event })
      this.#streams.linkOpened()
    }
    socket.onmessage = ({ data }) => this.#receive(data)
    socket.onclose = ({ code }) => this.#closed(socket, code)
    // A failed or broken connection also closes; the close handler decides what happens next.
    socket.onerror = () => undefined
  }

  #closed(socket: SocketLike, code: number): void {
    if (socket !== this.#socket) return
    this.#socket = undefined
    for (const call of this.#pending.values()) {
      call.reject(new BridgeError({ code: 'DISCONNECTED', message: 'The connection to sandlot serve dropped before the answer came.' }))
    }
    this.#pending.clear()
    this.#streams.linkDropped()
    if (this.#stopped) return
    if (code === WS_CLOSE_UNAUTHORIZED) {
      this.#setState({ state: 'unauthorized' })
      return
    }
    const { initialMs, maxMs } = this.#options.backoff
    const delay = Math.min(maxMs, initialMs * 2 ** this.#attempt)
    this.#setState({ state: 'disconnected', attempt: this.#attempt + 1, nextAttemptAt: Date.now() + delay })
    this.#attempt += 1
    this.#retryTimer = setTimeout(() => this.#open(), delay)
  }

  #receive(data: unknown): void {
    const message = typeof data === 'string' ? ServerMessage.safeParse(safeJson(data)) : undefined
    if (!message?.success) {
      console.warn('sandlot: ignored a message that does not match the contract', data)
      return
    }
    const frame = message.data
    if (frame.type === 'stream.data' || frame.type === 'stream.end') {
      this.#streams.receive(frame)
      return
    }
    if (frame.type === 'event') {
      const subscription = this.#subscriptions.get(frame.id)
      const payload = subscription && parseEvent(subscription.event, frame.payload)
      if (subscription && payload !== undefined) subscription.listener(payload as never)
      return
    }
    const call = this.#pending.get(frame.id)
    if (call === undefined) {
      // Subscription acknowledgements: only a refusal is worth reporting.
      if (frame.type === 'error') console.warn(`sandlot: ${frame.error.message}`)
      return
    }
    this.#pending.delete(frame.id)
    try {
      call.resolve(settleReply(call.method, frame) as never)
    } catch (err) {
      call.reject(err as BridgeError)
    }
  }

  #send(message: ClientMessage): boolean {
    if (this.#socket?.readyState !== OPEN) return false
    this.#socket.send(JSON.stringify(message))
    return true
  }

  #id(prefix: string): string {
    this.#nextId += 1
    return `${prefix}${this.#nextId}`
  }

  #setState(state: ConnectionState): void {
    this.#state = state
    for (const listener of [...this.#listeners]) listener(state)
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
