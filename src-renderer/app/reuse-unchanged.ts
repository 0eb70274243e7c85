/**
 * `next`, with each item equal to the previous item of the same key replaced by that previous object, so
 * memoised rows skip it; `previous` itself when nothing changed. Items are plain data (contract results).
 */
export function reuseUnchanged<T>(previous: readonly T[] | undefined, next: readonly T[], key: (item: T) => string): readonly T[] {
  if (previous === undefined) return next
  const before = new Map(previous.map((item) => [key(item), item]))
  let changed = previous.length !== next.length
  const merged = next.map((item, index) => {
    const old = before.get(key(item))
    const same = old !== undefined && JSON.stringify(old) === JSON.stringify(item)
    if (!same || previous[index] !== old) changed = true
    return same ? old : item
  })
  return changed ? merged : previous
}
