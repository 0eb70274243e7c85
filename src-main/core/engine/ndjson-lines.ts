import { StringDecoder } from 'node:string_decoder'

/** Splits a byte stream into complete lines: chunks may end mid-line or mid-character. */
export class NdjsonLines {
  readonly #decoder = new StringDecoder('utf8')
  #partial = ''

  /** The lines this chunk completes (blank ones dropped); an unfinished tail waits for the next chunk. */
  push(chunk: Buffer | string): string[] {
    const text = this.#partial + (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk))
    const lines = text.split('\n')
    this.#partial = lines.pop() ?? ''
    return lines.map((line) => line.trim()).filter((line) => line !== '')
  }
}
