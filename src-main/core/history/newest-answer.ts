/**
 * Lookups per key whose answers are handed on only if no newer lookup of the same key was asked meanwhile. A
 * workspace's description is looked up after each of its changes; a lookup started before its removal can end
 * after the removal's own, and would put back a workspace that is gone.
 */
export class NewestAnswer<K, V> {
  #asked = 0
  readonly #newest = new Map<K, number>()

  ask(key: K, lookup: () => Promise<V>, answer: (value: V | undefined) => void): void {
    const ticket = ++this.#asked
    this.#newest.set(key, ticket)
    const settle = (value: V | undefined): void => {
      if (this.#newest.get(key) !== ticket) return
      this.#newest.delete(key)
      answer(value)
    }
    // A failed lookup answers `undefined`, as a workspace that is gone does.
    lookup().then(settle, () => settle(undefined))
  }
}
