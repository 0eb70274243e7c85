import * as headless from '@xterm/headless'
import * as serialize from '@xterm/addon-serialize'
import type { TerminalSize } from '../contract'
import { notices } from './terminal-notices'

/**
 * Both are CommonJS bundles: Node's own loader (the built app) gives their exports under `default`, Vite and
 * vitest as named exports. Whichever has the class.
 */
function commonJs<T extends object>(module: T, name: keyof T): T {
  return name in module ? module : (module as { default: T }).default
}
const { Terminal } = commonJs(headless, 'Terminal')
const { SerializeAddon } = commonJs(serialize, 'SerializeAddon')

/**
 * Output waiting for the parser beyond which the oldest is skipped: xterm.js parses about 10 MB/s on a slow
 * machine, slower than a TTY can flood, and the mirror must neither hold the shell back to its pace nor queue
 * without bound. What is skipped is the middle of a flood: the mirror keeps enough to fill its scrollback.
 */
const SKIP_ABOVE = 1_000_000
/**
 * While this much waits (a flood), the parser gets at most a third of the core's thread: after each piece it
 * rests twice as long as the piece took, and the shell's output reaches the clients meanwhile. The end of the
 * flood is parsed in full once it stops, so the screen comes out the same; more of its middle is skipped.
 */
const FLOOD_QUEUE = 100_000
const REST_FACTOR = 2
interface Pending {
  text: string
  parsed: (() => void) | undefined
}

/**
 * The core's copy of one terminal's screen (as VS Code's pty host keeps one): output goes through a headless
 * xterm.js, so attaching replays the screen, scrollback, cursor and colours, instead of starting blank.
 */
export class TerminalMirror {
  readonly #terminal: InstanceType<typeof Terminal>
  readonly #serializer: InstanceType<typeof SerializeAddon>
  readonly #keep: () => number
  /** Written, not yet handed to the parser: one piece is parsed at a time, so the rest can still be skipped. */
  readonly #queue: Pending[] = []
  #queued = 0
  #parsing = false
  #disposed = false

  constructor(size: TerminalSize, scrollback: number) {
    this.#terminal = new Terminal({ cols: size.cols, rows: size.rows, scrollback, allowProposedApi: true })
    this.#serializer = new SerializeAddon()
    this.#terminal.loadAddon(this.#serializer)
    // A full scrollback and screen of full lines: skipping more than what is beyond this loses nothing shown.
    this.#keep = () => Math.min(SKIP_ABOVE / 2, (scrollback + this.#terminal.rows) * (this.#terminal.cols + 2))
  }

  /** `parsed` runs once this text is on the mirror's screen, or was skipped as the middle of a flood. */
  write(text: string, parsed?: () => void): void {
    this.#queue.push({ text, parsed })
    this.#queued += text.length
    if (this.#queued > SKIP_ABOVE) this.#skip()
    this.#pump()
  }

  /** Runs `then` after everything written so far is parsed (the screen is current). */
  drain(then: () => void): void {
    this.write('', then)
  }

  /** Characters waiting for the parser (bounded: see SKIP_ABOVE). */
  get queued(): number {
    return this.#queued
  }

  resize(size: TerminalSize): void {
    this.#terminal.resize(size.cols, size.rows)
  }

  /**
   * The screen as escape sequences that redraw it on a blank terminal: call after `drain` for a current one.
   * `scrollback` limits the lines above the screen (all by default).
   */
  serialize(scrollback?: number): string {
    return this.#serializer.serialize(scrollback === undefined ? undefined : { scrollback })
  }

  dispose(): void {
    this.#disposed = true
    this.#queue.length = 0
    this.#terminal.dispose()
  }

  #pump(): void {
    if (this.#parsing || this.#disposed) return
    // Nothing to parse in front (a drain, skipped text): done at once, in order.
    while (this.#queue[0]?.text.length === 0) this.#queue.shift()!.parsed?.()
    const next = this.#queue.shift()
    if (next === undefined) return
    this.#queued -= next.text.length
    this.#parsing = true
    const started = performance.now()
    this.#terminal.write(next.text, () => {
      next.parsed?.()
      if (this.#queued < FLOOD_QUEUE) {
        this.#parsing = false
        this.#pump()
        return
      }
      setTimeout(() => {
        this.#parsing = false
        this.#pump()
      }, (performance.now() - started) * REST_FACTOR)
    })
  }

  /** Drops the oldest waiting text down to what fills the scrollback, with a line that says so in its place. */
  #skip(): void {
    const keep = this.#keep()
    let skipped = 0
    for (let i = 0; i < this.#queue.length && this.#queued > keep; i++) {
      const piece = this.#queue[i]!
      if (piece.text.length === 0) continue
      this.#queued -= piece.text.length
      skipped += piece.text.length
      piece.text = ''
    }
    if (skipped === 0) return
    const notice = notices.skipped(skipped)
    this.#queue.unshift({ text: notice, parsed: undefined })
    this.#queued += notice.length
  }
}
