import type { Clock, Timer } from '../clock'

/** A clock that only moves when a test advances it; due timers fire in time order. */
export class ManualClock implements Clock {
  private current: number
  private timers: { at: number; order: number; fn: () => void }[] = []
  private order = 0

  constructor(start = Date.UTC(2030, 0, 1)) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  setTimer(ms: number, fn: () => void): Timer {
    const entry = { at: this.current + ms, order: this.order++, fn }
    this.timers.push(entry)
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== entry)) }
  }

  /** Moves time forward, firing every timer that falls due on the way (including ones they set). */
  advance(ms: number): void {
    const target = this.current + ms
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.order - b.order)[0]
      if (!due) break
      this.timers = this.timers.filter((t) => t !== due)
      this.current = due.at
      due.fn()
    }
    this.current = target
  }

  /** Delays of pending timers from now, soonest first. */
  pending(): number[] {
    return this.timers.map((t) => t.at - this.current).sort((a, b) => a - b)
  }
}
