import type { TerminalSize } from '../contract'
import type { ShellEvents, ShellLauncher, ShellProcess } from './shell-process'

/** The size a ready shell starts at; the terminal that takes it over resizes it at once. */
const READY_SIZE: TerminalSize = { cols: 80, rows: 24 }
/** A prompt is a few hundred bytes: a ready shell that prints more than this before anyone looks is not kept. */
const MAX_BUFFERED = 64 * 1024

interface ReadyShell {
  process: ShellProcess | undefined
  /** Output before the hand-over, replayed to the terminal that takes it. */
  chunks: Buffer[]
  bytes: number
  /** The taking terminal's events, from the hand-over on. */
  owner: ShellEvents | undefined
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
    const shell: ReadyShell = { process: undefined, chunks: [], bytes: 0, owner: undefined }
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
    this.#launcher(workspace)(READY_SIZE, events).then(
      (process) => {
        shell.process = process
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
    this.ensure(workspace)
    return async (size, events) => {
      shell.owner = events
      for (const chunk of shell.chunks.splice(0)) events.data(chunk)
      await process.resize(size)
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
