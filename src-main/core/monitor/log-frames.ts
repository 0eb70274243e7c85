import { StringDecoder } from 'node:string_decoder'

export type LogStreamName = 'stdout' | 'stderr'

/**
 * Splits Docker's multiplexed log stream (non-TTY containers: 8-byte header with the stream and the payload
 * size, then the payload) into lines per stream. Frames and UTF-8 sequences may be cut anywhere between
 * chunks; each stream keeps its own partial line and decoder.
 */
export class LogLineSplitter {
  /** Records are at most 16 KiB of line plus escaping; anything far longer is not a record and must not grow memory. */
  static readonly MAX_LINE = 1024 * 1024
  readonly #onLine: (stream: LogStreamName, line: string) => void
  #pending: Buffer = Buffer.alloc(0)
  readonly #partial: Record<LogStreamName, string> = { stdout: '', stderr: '' }
  readonly #decoders: Record<LogStreamName, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') }

  constructor(onLine: (stream: LogStreamName, line: string) => void) {
    this.#onLine = onLine
  }

  push(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk])
    while (this.#pending.length >= 8) {
      const size = this.#pending.readUInt32BE(4)
      if (this.#pending.length < 8 + size) break
      const type = this.#pending[0]
      const payload = this.#pending.subarray(8, 8 + size)
      this.#pending = this.#pending.subarray(8 + size)
      // 1 is stdout, 2 stderr; 0 (stdin) never carries container output.
      if (type === 1 || type === 2) this.#text(type === 1 ? 'stdout' : 'stderr', payload)
    }
  }

  /** Emits what remains of unterminated lines (the stream ended). */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.#partial[stream] + this.#decoders[stream].end()
      this.#partial[stream] = ''
      if (rest !== '') this.#onLine(stream, rest)
    }
  }

  #text(stream: LogStreamName, payload: Buffer): void {
    const lines = (this.#partial[stream] + this.#decoders[stream].write(payload)).split('\n')
    let rest = lines.pop() ?? ''
    // An unterminated line past the cap is cut and delivered as it is (it will not parse as a record).
    if (rest.length > LogLineSplitter.MAX_LINE) {
      lines.push(rest.slice(0, LogLineSplitter.MAX_LINE))
      rest = ''
    }
    this.#partial[stream] = rest
    for (const line of lines) this.#onLine(stream, line.length > LogLineSplitter.MAX_LINE ? line.slice(0, LogLineSplitter.MAX_LINE) : line)
  }
}

/** Docker prefixes each line with its RFC 3339 nano timestamp when asked for `timestamps`. */
export function splitTimestamp(line: string): { time: string; text: string } | undefined {
  const space = line.indexOf(' ')
  if (space <= 0) return undefined
  const time = line.slice(0, space)
  return /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(time) ? { time, text: line.slice(space + 1) } : undefined
}

/** Docker's `since` takes seconds with a fraction: RFC 3339 nano → "1700000000.123456789". */
export function toDockerSince(time: string): string {
  const match = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time)
  if (!match) throw new Error(`not an RFC 3339 time: ${time}`)
  const seconds = Math.floor(Date.parse(`${match[1]}${match[3]}`) / 1000)
  if (Number.isNaN(seconds)) throw new Error(`not an RFC 3339 time: ${time}`)
  return `${seconds}.${(match[2] ?? '').padEnd(9, '0').slice(0, 9)}`
}
