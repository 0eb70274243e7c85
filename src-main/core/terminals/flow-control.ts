import { streamFlow } from '../contract/methods'

export interface Watermarks {
  high: number
  low: number
}

/**
 * End-to-end flow control for one producer with several consumers (attached clients, the mirror): each consumer's
 * output sent but not yet acknowledged is counted; the producer is paused while any consumer is above the high
 * watermark and resumed once every consumer is below the low one (the gap keeps it from flapping).
 */
export class FlowControl<K> {
  readonly #unacked = new Map<K, number>()
  readonly #marks: Watermarks
  readonly #onChange: (paused: boolean) => void
  #paused = false

  constructor(onChange: (paused: boolean) => void, marks: Watermarks = { high: streamFlow.highWatermark, low: streamFlow.lowWatermark }) {
    this.#onChange = onChange
    this.#marks = marks
  }

  get paused(): boolean {
    return this.#paused
  }

  add(consumer: K): void {
    this.#unacked.set(consumer, 0)
  }

  remove(consumer: K): void {
    this.#unacked.delete(consumer)
    this.#update()
  }

  unacked(consumer: K): number {
    return this.#unacked.get(consumer) ?? 0
  }

  /** Whether this consumer alone holds the producer back. */
  isAboveHigh(consumer: K): boolean {
    return this.unacked(consumer) > this.#marks.high
  }

  sent(consumer: K, amount: number): void {
    const before = this.#unacked.get(consumer)
    if (before === undefined) return
    this.#unacked.set(consumer, before + amount)
    this.#update()
  }

  sentToAll(amount: number): void {
    for (const [consumer, before] of this.#unacked) this.#unacked.set(consumer, before + amount)
    this.#update()
  }

  /** An acknowledgement beyond what was sent counts as all of it (a confused client cannot bank credit). */
  ack(consumer: K, amount: number): void {
    const before = this.#unacked.get(consumer)
    if (before === undefined) return
    this.#unacked.set(consumer, Math.max(0, before - amount))
    this.#update()
  }

  /** The most any consumer has unacknowledged: what the core holds for the one furthest behind. */
  most(): number {
    let most = 0
    for (const value of this.#unacked.values()) most = Math.max(most, value)
    return most
  }

  #update(): void {
    const most = this.most()
    const paused = this.#paused ? most >= this.#marks.low : most > this.#marks.high
    if (paused === this.#paused) return
    this.#paused = paused
    this.#onChange(paused)
  }
}
