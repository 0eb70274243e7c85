import headless from '@xterm/headless'
import serialize from '@xterm/addon-serialize'
import type { TerminalSize } from '../contract'

const { Terminal } = headless
const { SerializeAddon } = serialize

/**
 * The core's copy of one terminal's screen (as VS Code's pty host keeps one): every byte of output goes through a
 * headless xterm.js, so attaching replays the screen, scrollback, cursor and colours, instead of starting blank.
 */
export class TerminalMirror {
  readonly #terminal: InstanceType<typeof Terminal>
  readonly #serializer: InstanceType<typeof SerializeAddon>

  constructor(size: TerminalSize, scrollback: number) {
    this.#terminal = new Terminal({ cols: size.cols, rows: size.rows, scrollback, allowProposedApi: true })
    this.#serializer = new SerializeAddon()
    this.#terminal.loadAddon(this.#serializer)
  }

  /** `parsed` runs once this text is on the mirror's screen. */
  write(text: string, parsed?: () => void): void {
    // xterm.js parses in time slices: `parsed` is how flow control learns that the mirror caught up.
    this.#terminal.write(text, parsed)
  }

  /** Runs `then` after everything written so far is parsed (the screen is current). */
  drain(then: () => void): void {
    this.#terminal.write('', then)
  }

  resize(size: TerminalSize): void {
    this.#terminal.resize(size.cols, size.rows)
  }

  /** The screen as escape sequences that redraw it on a blank terminal: call after `drain` for a current one. */
  serialize(): string {
    return this.#serializer.serialize()
  }

  dispose(): void {
    this.#terminal.dispose()
  }
}
