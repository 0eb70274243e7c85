import type { EngineEvent } from '../contract'
import { backoffDelay, DEFAULT_BACKOFF, type Backoff } from './backoff'
import { systemClock, type Clock } from './clock'
import { engineApi, type EngineStream, type EventsQuery } from './engine-api'
import type { EngineConnection } from './engine-connection'
import { parseEngineEvent } from './engine-event'
import { EventCursor } from './event-cursor'
import { NdjsonLines } from './ndjson-lines'

/** What the follower needs of a connection: its client, and its status changes to resubscribe at once. */
export type EventsConnection = Pick<EngineConnection, 'docker' | 'onStatus'>

export interface FollowEngineEventsOptions {
  /** Docker event filters, e.g. `{ label: ['dev.sandlot.instance=abc'], type: ['container'] }`. */
  filters?: Record<string, string[]>
  /** Retry schedule while the stream cannot be reopened (the connection's `connected` status cuts the wait short). */
  backoff?: Partial<Backoff>
  clock?: Clock
  random?: () => number
}

export interface EngineEventSubscription {
  /**
   * Settles once the first stream is open (or the subscription is closed first), for callers that must
   * subscribe before they act or list, so that nothing falls in between.
   */
  readonly opened: Promise<void>
  close(): void
}

/**
 * Follows the engine's events across engine restarts: whenever the stream ends it is reopened with `since` at
 * the last event seen, so nothing is lost, and events the replay repeats are dropped.
 */
export function followEngineEvents(
  connection: EventsConnection,
  options: FollowEngineEventsOptions,
  onEvent: (event: EngineEvent) => void
): EngineEventSubscription {
  return new EventFollower(connection, options, onEvent)
}

class EventFollower implements EngineEventSubscription {
  readonly opened: Promise<void>
  readonly #markOpened: () => void
  readonly #connection: EventsConnection
  readonly #filters: Record<string, string[]> | undefined
  readonly #onEvent: (event: EngineEvent) => void
  readonly #backoff: Backoff
  readonly #clock: Clock
  readonly #random: () => number
  readonly #cursor = new EventCursor()
  readonly #unsubscribe: () => void
  #stream: EngineStream | undefined
  #opening = false
  #closed = false
  /** Reopen attempts since the stream last proved healthy (delivered an event) or the engine reconnected. */
  #failures = 0
  #retryTimer: unknown

  constructor(connection: EventsConnection, options: FollowEngineEventsOptions, onEvent: (event: EngineEvent) => void) {
    this.#connection = connection
    this.#filters = options.filters
    this.#onEvent = onEvent
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff }
    this.#clock = options.clock ?? systemClock
    this.#random = options.random ?? Math.random
    let markOpened = (): void => undefined
    this.opened = new Promise((resolve) => {
      markOpened = resolve
    })
    this.#markOpened = markOpened
    this.#unsubscribe = connection.onStatus((status) => {
      if (status.state === 'connected') this.#reopenNow()
    })
    void this.#open()
  }

  close(): void {
    this.#closed = true
    this.#markOpened()
    this.#unsubscribe()
    this.#clock.clearTimeout(this.#retryTimer)
    const stream = this.#stream
    this.#stream = undefined
    stream?.destroy()
  }

  #reopenNow(): void {
    this.#failures = 0
    this.#clock.clearTimeout(this.#retryTimer)
    void this.#open()
  }

  async #open(): Promise<void> {
    if (this.#closed || this.#stream !== undefined || this.#opening) return
    this.#opening = true
    let stream: EngineStream
    try {
      stream = await engineApi(this.#connection.docker).getEvents(this.#query())
    } catch {
      this.#retryLater()
      return
    } finally {
      this.#opening = false
    }
    if (this.#closed) {
      stream.destroy()
      return
    }
    this.#follow(stream)
  }

  #query(): EventsQuery {
    const since = this.#cursor.since()
    const query: EventsQuery = since === undefined ? {} : { since }
    return this.#filters === undefined ? query : { ...query, filters: this.#filters }
  }

  #follow(stream: EngineStream): void {
    this.#stream = stream
    this.#markOpened()
    const opened = Date.parse(stream.headers?.date ?? '')
    if (!Number.isNaN(opened)) this.#cursor.streamOpenedAt(Math.floor(opened / 1000))
    const lines = new NdjsonLines()
    stream.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk)) this.#deliver(line)
    })
    const ended = (): void => {
      if (this.#stream !== stream) return
      this.#stream = undefined
      // Usually the engine went away and the connection's `connected` status will reopen at once; the
      // backoff covers a stream that ended for another reason.
      this.#retryLater()
    }
    stream.on('error', ended).once('end', ended).once('close', ended)
  }

  #deliver(line: string): void {
    const event = parseEngineEvent(line)
    if (event === undefined || !this.#cursor.accept(event)) return
    this.#failures = 0
    this.#onEvent(event)
  }

  #retryLater(): void {
    if (this.#closed) return
    const delay = backoffDelay(this.#failures, this.#backoff, this.#random)
    this.#failures += 1
    this.#clock.clearTimeout(this.#retryTimer)
    this.#retryTimer = this.#clock.setTimeout(() => void this.#open(), delay)
  }
}
