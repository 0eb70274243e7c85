/**
 * Gathers a shell's output for a few milliseconds and hands it on as one piece (VS Code batches for 5 ms): a
 * flood of small writes becomes a few large frames instead of thousands, and the window parses and renders less
 * often. Output after a quiet spell goes out at once and opens a window; within it, output goes out at once too
 * until it adds up to more than a little, and the rest gathers to the window's end: a keystroke's echo is never
 * held back by the batching.
 */
/** Output per window that goes out at once: echoes and prompts are never held; only a flood is gathered. */
const PASS_THROUGH = 1024

export class OutputBatcher {
  readonly #flush: (text: string) => void
  readonly #delayMs: number
  readonly #maxBatch: number
  #parts: string[] = []
  /** Set while a window is open: output arriving now waits for its end, once the window has seen more than a little. */
  #timer: NodeJS.Timeout | undefined
  #sentInWindow = 0
  #pending = 0

  /** `maxBatch`: a batch this large goes out before its window ends (what waits in a batch is bounded). */
  constructor(flush: (text: string) => void, delayMs = 5, maxBatch = 50_000) {
    this.#flush = flush
    this.#delayMs = delayMs
    this.#maxBatch = maxBatch
  }

  push(text: string): void {
    if (text.length === 0) return
    this.#parts.push(text)
    this.#pending += text.length
    if (this.#timer === undefined) {
      this.#open()
      this.flushNow()
    } else if (this.#sentInWindow + this.#pending <= PASS_THROUGH || this.#pending >= this.#maxBatch) {
      // Little output so far in this window (typing, a prompt): no reason to hold it. Or a full batch.
      this.flushNow()
    }
  }

  /** Hands on what is gathered now (before an attach takes the screen, before a notice). */
  flushNow(): void {
    if (this.#parts.length === 0) return
    const text = this.#parts.length === 1 ? this.#parts[0]! : this.#parts.join('')
    this.#parts = []
    this.#pending = 0
    this.#sentInWindow += text.length
    this.#flush(text)
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#parts = []
  }

  #open(): void {
    this.#sentInWindow = 0
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      if (this.#parts.length === 0) return
      // Output kept coming: hand it on and keep gathering.
      this.flushNow()
      this.#open()
    }, this.#delayMs)
  }
}
