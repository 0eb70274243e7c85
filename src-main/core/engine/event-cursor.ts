import type { EngineEvent } from '../contract'

const NANOS_PER_SECOND = 1_000_000_000n
/** Resubscribing this far before the newest event seen catches events the engine logged slightly out of order. */
const REPLAY_MARGIN_NS = NANOS_PER_SECOND
/** Delivered events are remembered this long (by engine time), enough to recognise anything a replay repeats. */
const REMEMBER_NS = 5n * NANOS_PER_SECOND

/**
 * Where an events subscription stands: the `since` to resubscribe from, and which replayed events were
 * already delivered.
 */
export class EventCursor {
  /** Delivered events by identity, oldest first, with their engine time. */
  readonly #delivered = new Map<string, bigint>()
  #newestNs: bigint | undefined
  #openedAtSeconds: number | undefined

  /** True when the event is new; false for one delivered before (a replay after resubscribing). */
  accept(event: EngineEvent): boolean {
    const key = `${event.timeNano}|${event.type}|${event.action}|${event.id}`
    if (this.#delivered.has(key)) return false
    const time = BigInt(event.timeNano)
    this.#delivered.set(key, time)
    if (this.#newestNs === undefined || time > this.#newestNs) this.#newestNs = time
    this.#forgetOlderThan(this.#newestNs - REMEMBER_NS)
    return true
  }

  /**
   * Notes when a stream opened, by the engine's clock (seconds), so a resubscription before any event arrived
   * still replays from there instead of starting at "now".
   */
  streamOpenedAt(engineSeconds: number): void {
    this.#openedAtSeconds ??= engineSeconds
  }

  /** Docker's `since` parameter for the next subscription: undefined means "only new events". */
  since(): string | undefined {
    if (this.#newestNs === undefined) return this.#openedAtSeconds?.toString()
    const from = this.#newestNs > REPLAY_MARGIN_NS ? this.#newestNs - REPLAY_MARGIN_NS : 0n
    const nanos = (from % NANOS_PER_SECOND).toString().padStart(9, '0')
    return `${from / NANOS_PER_SECOND}.${nanos}`
  }

  #forgetOlderThan(cutoff: bigint): void {
    // Events arrive in near time order, so the old ones sit at the front of the map.
    for (const [key, time] of this.#delivered) {
      if (time >= cutoff) return
      this.#delivered.delete(key)
    }
  }
}
