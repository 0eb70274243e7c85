import type { Clock } from './clock'

/** A manual clock for unit tests: time moves only in `advance`, which runs due timers in order. */
export class FakeClock implements Clock {
  #now: number
  #nextId = 1
  readonly #timers = new Map<number, { at: number; callback: () => void }>()

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs
  }

  now(): number {
    return this.#now
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.#nextId++
    this.#timers.set(id, { at: this.#now + ms, callback })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number)
  }

  /** Delays of the timers still pending, from now. */
  pendingDelays(): number[] {
    return [...this.#timers.values()].map((timer) => timer.at - this.#now).sort((a, b) => a - b)
  }

  /** Moves time forward, firing each due timer at its own time and letting promises settle in between. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms
    for (;;) {
      await settle()
      const next = this.#nextDue(end)
      if (next === undefined) break
      this.#timers.delete(next.id)
      this.#now = next.at
      next.callback()
    }
    this.#now = end
  }

  #nextDue(end: number): { id: number; at: number; callback: () => void } | undefined {
    let due: { id: number; at: number; callback: () => void } | undefined
    for (const [id, timer] of this.#timers) {
      if (timer.at <= end && (due === undefined || timer.at < due.at)) due = { id, ...timer }
    }
    return due
  }
}

/** Lets pending promise chains (and already-finished I/O) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
