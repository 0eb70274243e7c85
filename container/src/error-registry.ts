import type { Classification } from './error-classifier'
import type { ErrorEntry, OutputStream } from './protocol'

/**
 * The distinct errors seen since the monitor started, one entry per fingerprint with a count.
 * Bounded: beyond `capacity` fingerprints the one seen least recently is forgotten, so an app
 * that prints endless distinct errors cannot grow the monitor's memory.
 */
export class ErrorRegistry {
  // A Map iterates in insertion order; re-inserting on every sighting keeps it least-recent first.
  private readonly entries = new Map<string, ErrorEntry>()

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size
  }

  /** Counts one occurrence; the entry keeps its first sighting and takes the latest details. */
  record(error: Classification & { fingerprint: string; stream: OutputStream }, at: string): ErrorEntry {
    const previous = this.entries.get(error.fingerprint)
    const entry: ErrorEntry = {
      ...error,
      count: (previous?.count ?? 0) + 1,
      firstSeen: previous?.firstSeen ?? at,
      lastSeen: at
    }
    this.entries.delete(error.fingerprint)
    this.entries.set(error.fingerprint, entry)
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!)
    return entry
  }

  /** Most recently seen first. */
  list(limit = this.capacity): ErrorEntry[] {
    return [...this.entries.values()].reverse().slice(0, limit)
  }
}
