/**
 * Gathers a shell's output for a few milliseconds and hands it on as one piece (VS Code batches for 5 ms): a
 * flood of small writes becomes a few large frames instead of thousands, and the window parses and renders less often.
 */
export class OutputBatcher {
  readonly #flush: (text: string) => void
  readonly #delayMs: number
  #parts: string[] = []
  #timer: NodeJS.Timeout | undefined

  constructor(flush: (text: string) => void, delayMs = 5) {
    this.#flush = flush
    this.#delayMs = delayMs
  }

  push(text: string): void {
    if (text.length === 0) return
    this.#parts.push(text)
    this.#timer ??= setTimeout(() => this.flushNow(), this.#delayMs)
  }

  /** Hands on what is gathered now (before an attach takes the screen, before a notice). */
  flushNow(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#parts.length === 0) return
    const text = this.#parts.length === 1 ? this.#parts[0]! : this.#parts.join('')
    this.#parts = []
    this.#flush(text)
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#parts = []
  }
}
