import type { CoreApi } from '../../src-main/core/api'
import { streamFlow, type MethodName, type ServerMessage, type TerminalChange } from '../../src-main/core/contract'
import { ApiSession } from '../../src-main/transport/api-session'

export interface ClientOptions {
  /** How long the consumer takes to "render" each frame before it counts as processed (a slow window: more). */
  renderMs?: number
}

/** One attached stream as a client sees it: everything received, in order, and what it can send. */
export class ClientStream {
  readonly frames: string[] = []
  text = ''
  /** Every character received, trimmed or not. */
  chars = 0
  /** Characters trimmed off the front of `text`. */
  #trimmed = 0
  ended: Extract<ServerMessage, { type: 'stream.end' }> | undefined
  #processed = 0
  readonly #waiters = new Set<() => void>()

  constructor(
    readonly id: string,
    private readonly client: TerminalClient
  ) {}

  write(data: string): void {
    this.client.session.receive({ type: 'stream.write', stream: this.id, data })
  }

  close(): void {
    this.client.session.receive({ type: 'stream.close', stream: this.id })
  }

  /** Resolves when the received text matches (from `from` on); fails after `timeoutMs` saying what came. */
  waitFor(pattern: RegExp | string, options: { from?: number; timeoutMs?: number } = {}): Promise<void> {
    // Where a text pattern can still start, counted from the first character received (trim drops the front): each
    // check scans only what came since the last one, as a flood is long.
    let start = this.#trimmed + (options.from ?? 0)
    const matches = () => {
      const from = Math.max(0, start - this.#trimmed)
      if (typeof pattern !== 'string') return pattern.test(this.text.slice(from))
      const found = this.text.indexOf(pattern, from) >= 0
      start = this.#trimmed + Math.max(from, this.text.length - pattern.length + 1)
      return found
    }
    if (matches()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!matches()) return
        clearTimeout(timer)
        this.#waiters.delete(check)
        resolve()
      }
      const timer = setTimeout(() => {
        this.#waiters.delete(check)
        reject(new Error(`waited for ${String(pattern)}; received (last 500): ${JSON.stringify(this.text.slice(-500))}`))
      }, options.timeoutMs ?? 20_000)
      this.#waiters.add(check)
    })
  }

  /** A frame arrived: kept, then acknowledged as the renderer does (after processing, every `ackEvery`). */
  received(data: string): void {
    this.frames.push(data)
    this.text += data
    this.chars += data.length
    const ack = () => {
      this.#processed += data.length
      if (this.#processed < streamFlow.ackEvery || this.ended) return
      this.client.session.receive({ type: 'stream.ack', stream: this.id, bytes: this.#processed })
      this.#processed = 0
    }
    if (this.client.renderMs > 0) setTimeout(ack, this.client.renderMs)
    else ack()
    for (const waiter of [...this.#waiters]) waiter()
  }

  /** Keeps only the last `keep` characters and no frames (a long flood): memory stays small, `chars` counts on. */
  trim(keep: number): void {
    if (this.text.length <= keep) return void (this.frames.length = 0)
    this.#trimmed += this.text.length - keep
    this.text = this.text.slice(-keep)
    this.frames.length = 0
  }
}

/** An API client over an ApiSession, the way the window's bridge uses it: requests, subscriptions, streams. */
export class TerminalClient {
  readonly session: ApiSession
  readonly renderMs: number
  readonly changes: TerminalChange[] = []
  readonly refusals: Extract<ServerMessage, { type: 'stream.end' }>[] = []
  readonly #streams = new Map<string, ClientStream>()
  readonly #pending = new Map<string, { resolve: (value: unknown) => void; reject: (err: Error) => void }>()
  /** Called on each change event, as ClientStream's waiters are on each frame. */
  readonly #changeWaiters = new Set<() => void>()
  #next = 0

  constructor(api: CoreApi, options: ClientOptions = {}) {
    this.renderMs = options.renderMs ?? 0
    this.session = new ApiSession(api, (message) => this.#receive(message))
    this.session.receive({ type: 'subscribe', id: 'changes', event: 'terminals.changed' })
  }

  call<T = unknown>(method: MethodName, params: unknown): Promise<T> {
    const id = `r${this.#next++}`
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.session.receive({ type: 'request', id, method, params })
    })
  }

  async attach(terminal: string): Promise<ClientStream> {
    const { stream } = await this.call<{ stream: string }>('terminals.attach', { id: terminal })
    return this.#streams.get(stream)!
  }

  /** Resolves at the first change of this kind for this terminal (including ones already seen). */
  waitForChange(terminal: string, kind: TerminalChange['kind'], timeoutMs = 60_000): Promise<TerminalChange> {
    const find = () => this.changes.find((c) => c.terminal.id === terminal && c.kind === kind)
    const seen = find()
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find()
        if (!found) return
        clearTimeout(timer)
        this.#changeWaiters.delete(check)
        resolve(found)
      }
      const timer = setTimeout(() => {
        this.#changeWaiters.delete(check)
        reject(new Error(`no ${kind} for ${terminal}; saw ${this.changes.map((c) => c.kind).join(', ')}`))
      }, timeoutMs)
      this.#changeWaiters.add(check)
    })
  }

  close(): void {
    this.session.close()
  }

  #receive(message: ServerMessage): void {
    switch (message.type) {
      case 'result': {
        const result = message.result as { stream?: string } | null
        // The stream exists from its reply on: frames that follow it find it here.
        if (result && typeof result.stream === 'string') this.#streams.set(result.stream, new ClientStream(result.stream, this))
        this.#pending.get(message.id)?.resolve(message.result)
        this.#pending.delete(message.id)
        return
      }
      case 'error':
        this.#pending.get(message.id)?.reject(Object.assign(new Error(message.error.message), message.error))
        this.#pending.delete(message.id)
        return
      case 'event':
        this.changes.push(message.payload as TerminalChange)
        for (const waiter of [...this.#changeWaiters]) waiter()
        return
      case 'stream.data': {
        const stream = this.#streams.get(message.stream)
        if (!stream) throw new Error(`stream.data for ${message.stream} before its reply`)
        stream.received(message.data)
        return
      }
      case 'stream.end': {
        const stream = this.#streams.get(message.stream)
        if (stream) stream.ended = message
        else this.refusals.push(message)
      }
    }
  }
}
