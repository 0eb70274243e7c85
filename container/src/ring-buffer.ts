/** A fixed-capacity buffer that keeps the newest items: memory stays bounded however much an app prints. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[]
  private start = 0
  private length = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
    this.items = new Array<T | undefined>(capacity)
  }

  push(item: T): void {
    const end = (this.start + this.length) % this.capacity
    this.items[end] = item
    if (this.length < this.capacity) this.length++
    else this.start = (this.start + 1) % this.capacity
  }

  /** The newest `count` items (all by default), oldest first. */
  last(count = this.length): T[] {
    const n = Math.max(0, Math.min(count, this.length))
    const out: T[] = []
    for (let i = this.length - n; i < this.length; i++) out.push(this.items[(this.start + i) % this.capacity] as T)
    return out
  }
}
