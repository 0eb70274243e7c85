import { StringDecoder } from 'node:string_decoder'

export interface SplitLine {
  line: string
  /** The line was longer than the cap: `line` holds its beginning, the rest was dropped. */
  truncated: boolean
}

/**
 * Turns a byte stream into lines: UTF-8 decoded across chunk borders, "\r\n" endings removed,
 * carriage-return redraws (progress bars) reduced to what a terminal would finally show, and
 * lines capped at `maxLength` characters so one endless line cannot exhaust memory.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''
  /** Inside an over-long line whose beginning was already emitted: drop text until its newline. */
  private discarding = false

  constructor(
    private readonly maxLength: number,
    private readonly onLine: (line: SplitLine) => void
  ) {}

  write(chunk: Buffer | string): void {
    this.take(typeof chunk === 'string' ? chunk : this.decoder.write(chunk))
  }

  /** Flushes a last line that had no newline. */
  end(): void {
    this.take(this.decoder.end())
    if (this.pending !== '' && !this.discarding) this.emit(this.pending, false)
    this.pending = ''
    this.discarding = false
  }

  private take(text: string): void {
    let rest = text
    for (;;) {
      const newline = rest.indexOf('\n')
      if (newline === -1) break
      const piece = rest.slice(0, newline)
      rest = rest.slice(newline + 1)
      if (this.discarding) this.discarding = false
      else this.emit(this.pending + piece, false)
      this.pending = ''
    }
    if (this.discarding) return
    this.pending += rest
    if (this.pending.length > this.maxLength) {
      this.emit(this.pending, true)
      this.pending = ''
      this.discarding = true
    }
  }

  private emit(raw: string, forceTruncated: boolean): void {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.includes('\r')) line = line.split('\r').filter((part) => part !== '').pop() ?? ''
    let truncated = forceTruncated
    if (line.length > this.maxLength) {
      let cut = this.maxLength
      // Never split a surrogate pair: a lone half would not survive JSON and UTF-8 encoding intact.
      if (/[\uD800-\uDBFF]/.test(line.charAt(cut - 1))) cut--
      line = line.slice(0, cut)
      truncated = true
    }
    this.onLine({ line, truncated })
  }
}
