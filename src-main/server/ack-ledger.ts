/**
 * Turns a client's acknowledgements in bytes (what it received: UTF-8 binary frames) into the UTF-16 code units
 * the core's flow control counts, frame by frame; a frame acknowledged in part counts in proportion.
 */
export class AckLedger {
  readonly #frames: Array<{ bytes: number; chars: number }> = []

  sent(bytes: number, chars: number): void {
    if (bytes > 0) this.#frames.push({ bytes, chars })
  }

  /** The code units that `bytes` more acknowledged bytes stand for (never more than was sent). */
  ack(bytes: number): number {
    let left = bytes
    let chars = 0
    while (left > 0 && this.#frames.length > 0) {
      const frame = this.#frames[0]!
      if (left >= frame.bytes) {
        left -= frame.bytes
        chars += frame.chars
        this.#frames.shift()
        continue
      }
      const part = Math.floor((frame.chars * left) / frame.bytes)
      frame.bytes -= left
      frame.chars -= part
      chars += part
      left = 0
    }
    return chars
  }
}
