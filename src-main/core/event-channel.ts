/** A typed fan-out for core events (progress of long tasks): adapters subscribe, the core emits. */
export class EventChannel<T> {
  readonly #listeners = new Set<(value: T) => void>()

  readonly emit = (value: T): void => {
    for (const listener of this.#listeners) listener(value)
  }

  readonly subscribe = (listener: (value: T) => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
