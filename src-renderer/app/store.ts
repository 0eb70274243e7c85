import { useSyncExternalStore } from 'react'

/** When a store tells its listeners: right away, or batched (many changes, one notification). */
export type Schedule = (flush: () => void) => void

export const immediately: Schedule = (flush) => flush()

/** Once per animation frame: a burst of progress events re-renders the views once. */
export const nextFrame: Schedule = (flush) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush)
  else setTimeout(flush, 16)
}

/**
 * State kept above the views, so it outlives a switch to another view. Values are immutable; views read the
 * published one through useSyncExternalStore, which changes (and notifies) when `schedule` runs.
 */
export class Store<T> {
  #value: T
  #published: T
  #flushPending = false
  readonly #schedule: Schedule
  readonly #listeners = new Set<() => void>()

  constructor(initial: T, schedule: Schedule = immediately) {
    this.#value = initial
    this.#published = initial
    this.#schedule = schedule
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  readonly snapshot = (): T => this.#published

  /** The newest value, published or not. */
  protected get current(): T {
    return this.#value
  }

  protected set(value: T): void {
    if (value === this.#value) return
    this.#value = value
    if (this.#flushPending) return
    this.#flushPending = true
    this.#schedule(() => {
      this.#flushPending = false
      if (this.#published === this.#value) return
      this.#published = this.#value
      for (const listener of [...this.#listeners]) listener()
    })
  }
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.snapshot)
}
