import type { TerminalSize } from '../contract'

/** What a running shell tells its session: raw output bytes (not decoded: the session decodes across chunk borders) and its end. */
export interface ShellEvents {
  data(chunk: Buffer): void
  /**
   * The shell ended. `exitCode` is the shell's own code; `lostContainer` says the workspace's container stopped or
   * restarted under it (the session then waits to reconnect instead of showing an exit).
   */
  exit(end: { exitCode: number | null; lostContainer: boolean }): void
}

/** One running shell: a Docker exec with a TTY or a host pty. Both kinds behave the same to the session. */
export interface ShellProcess {
  write(data: string): void
  /** Settles once the shell has the new size (an engine call for an exec), so a command typed next sees it. */
  resize(size: TerminalSize): Promise<void> | void
  /** Stops reading output (the TTY fills and the program blocks on write): flow control's backpressure. */
  pause(): void
  resume(): void
  /** Ends the shell; `exit` may still follow. */
  close(): void
}

export type ShellLauncher = (size: TerminalSize, events: ShellEvents) => Promise<ShellProcess>
