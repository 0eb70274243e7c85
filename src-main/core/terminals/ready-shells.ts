import type { TerminalSize } from '../contract'
import type { ShellEvents, ShellLauncher, ShellProcess } from './shell-process'

/** How long after a hand-over the next ready shell is started: not while the terminal just opened starts up. */
const REPLACE_AFTER_MS = 1_000
/** A prompt is a few hundred bytes: a ready shell that prints more than this before anyone looks is not kept. */
const MAX_BUFFERED = 64 * 1024

interface ReadyShell {
  process: ShellProcess | undefined
  /** Output before the hand-over, replayed to the terminal that takes it. */
  chunks: Buffer[]
  bytes: number
  /** The taking terminal's events, from the hand-over on. */
  owner: ShellEvents | undefined
  size: TerminalSize | undefined
}

/**
 * One shell kept started per running, ready workspace (long-lived processes only), so that opening a terminal
 * costs a hand-over instead of an exec: the first terminal gets it with its prompt already printed, and a new
 * one is started in the background for the next.
 */
export class ReadyShells {
  readonly #launcher: (workspace: string) => ShellLauncher
  readonly #shells = new Map<string, ReadyShell>()
  #enabled = false
  /** Ready shells start at the size terminals were last opened with, so the hand-over rarely needs a resize. */
  #size: TerminalSize = { cols: 80, rows: 24 }

  constructor(launcher: (workspace: string) => ShellLauncher) {
    this.#launcher = launcher
  }

  /** Turns keeping ready shells on (a CLI call never does: it would start shells it never uses). */
  enable(): void {
    this.#enabled = true
  }

  /** Starts a ready shell for this workspace unless it has one. */
  ensure(workspace: string): void {
    if (!this.#enabled || this.#shells.has(workspace)) return
    const shell: ReadyShell = { process: undefined, chunks: [], bytes: 0, owner: undefined, size: undefined }
    this.#shells.set(workspace, shell)
    const events: ShellEvents = {
      data: (chunk) => {
        if (shell.owner) return shell.owner.data(chunk)
        shell.chunks.push(chunk)
        shell.bytes += chunk.length
        if (shell.bytes > MAX_BUFFERED) this.#discard(workspace, shell)
      },
      exit: (end) => {
        if (shell.owner) return shell.owner.exit(end)
        // Died unused (its container stopped): the next start of the workspace makes another.
        this.#discard(workspace, shell)
      }
    }
    const size = this.#size
    this.#launcher(workspace)(size, events).then(
      (process) => {
        shell.process = process
        shell.size = size
        if (this.#shells.get(workspace) !== shell) process.close()
      },
      () => this.#discard(workspace, shell)
    )
  }

  /**
   * The workspace's ready shell as a launcher, if one is started: the terminal gets its output so far, then all of
   * it, at its own size. Another is started for the next terminal.
   */
  take(workspace: string): ShellLauncher | undefined {
    const shell = this.#shells.get(workspace)
    const process = shell?.process
    if (!shell || !process) return undefined
    this.#shells.delete(workspace)
    setTimeout(() => this.ensure(workspace), REPLACE_AFTER_MS).unref()
    return async (size, events) => {
      this.#size = size
      shell.owner = events
      for (const chunk of shell.chunks.splice(0)) events.data(chunk)
      if (size.cols !== shell.size?.cols || size.rows !== shell.size.rows) await process.resize(size)
      return process
    }
  }

  /** The workspace stopped or went away: its ready shell is closed. */
  drop(workspace: string): void {
    const shell = this.#shells.get(workspace)
    if (shell) this.#discard(workspace, shell)
  }

  closeAll(): void {
    this.#enabled = false
    for (const [workspace, shell] of [...this.#shells]) this.#discard(workspace, shell)
  }

  has(workspace: string): boolean {
    return this.#shells.get(workspace)?.process !== undefined
  }

  #discard(workspace: string, shell: ReadyShell): void {
    if (this.#shells.get(workspace) === shell) this.#shells.delete(workspace)
    shell.process?.close()
    shell.chunks = []
  }
}
