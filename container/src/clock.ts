/**
 * Time as the monitor sees it. Everything that waits (backoff, stop timeouts, readiness polls,
 * health checks, line-group flushes) goes through a Clock, so tests drive it with fake time.
 */
export interface Timer {
  cancel(): void
}

export interface Clock {
  now(): number
  setTimer(ms: number, fn: () => void): Timer
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, ms)
    return { cancel: () => clearTimeout(handle) }
  }
}

/** A source of uniform random numbers in [0, 1): injected so tests pin jitter. */
export type Random = () => number
