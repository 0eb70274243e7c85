import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import type { Clock, Timer } from './clock'
import { LineSplitter } from './line-splitter'
import { groupAlive, signalGroup } from './process-group'
import type { OutputStream } from './protocol'

export interface ExitInfo {
  exitCode: number | null
  signal: NodeJS.Signals | null
  uptimeMs: number
}

export interface AppProcessOptions {
  command: string
  cwd: string
  env: NodeJS.ProcessEnv
  /** Another user to run as (the monitor runs as root, the app as `node`); unset: the monitor's own. */
  user?: { uid: number; gid: number }
  clock: Clock
  /** SIGTERM to the group, SIGKILL this long after. */
  stopTimeoutMs: number
  maxLineLength: number
  onLine: (stream: OutputStream, line: string, truncated: boolean) => void
}

const GROUP_POLL_MS = 50
/** How long to wait for the output pipes after the whole group is gone (a daemon elsewhere may hold them). */
const OUTPUT_DRAIN_MS = 1000

/**
 * One run of the app: a shell running the command as the leader of its own process group, so
 * stopping it reaches everything it started (npm → node → esbuild …). `exited` resolves once the
 * leader exited, the rest of its group is gone and its output has been read to the end, so the
 * caller sees the last lines (usually the error) before it reports the exit.
 */
export class AppProcess {
  readonly exited: Promise<ExitInfo>
  private exitSeen = false
  private killTimer: Timer | null = null

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly startedAt: number,
    private readonly options: AppProcessOptions
  ) {
    const splitters = {
      stdout: new LineSplitter(options.maxLineLength, ({ line, truncated }) => options.onLine('stdout', line, truncated)),
      stderr: new LineSplitter(options.maxLineLength, ({ line, truncated }) => options.onLine('stderr', line, truncated))
    }
    for (const stream of ['stdout', 'stderr'] as const) {
      const pipe = child[stream]!
      pipe.on('data', (chunk: Buffer) => splitters[stream].write(chunk))
      pipe.on('end', () => splitters[stream].end())
    }
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
    this.exited = new Promise((resolve) => {
      child.once('exit', (exitCode, signal) => {
        this.exitSeen = true
        const uptimeMs = Math.max(0, options.clock.now() - startedAt)
        void this.reapGroup()
          .then(() => this.drainOutput(closed))
          .then(() => {
            splitters.stdout.end()
            splitters.stderr.end()
            resolve({ exitCode, signal, uptimeMs })
          })
      })
    })
  }

  /** Spawns the command; rejects when the shell cannot be started at all. */
  static start(options: AppProcessOptions): Promise<AppProcess> {
    // Not a login shell (-l): Debian's /etc/profile resets PATH, which would drop the image's and the spec's PATH.
    const [shell, flag] = existsSync('/bin/bash') ? ['/bin/bash', '-c'] : ['/bin/sh', '-c']
    const startedAt = options.clock.now()
    // libuv enters cwd before it switches to the app's user: as root without CAP_DAC_OVERRIDE, which cannot
    // enter a folder only its owner may (a host folder of mode 0700 mounted at /app). The app's own shell enters it.
    const args = options.user ? [flag, 'cd -- "$1" && exec "$0" -c "$2"', shell, options.cwd, options.command] : [flag, options.command]
    const child = spawn(shell, args, {
      cwd: options.user ? '/' : options.cwd,
      env: options.env,
      detached: true, // its own process group: signals go to -pid
      // Pipes only: the container's stdout (the record stream) is never one of the app's descriptors.
      stdio: ['ignore', 'pipe', 'pipe'],
      // libuv drops supplementary groups, then sets the group and the user, before the exec.
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {})
    })
    return new Promise((resolve, reject) => {
      child.once('error', reject)
      child.once('spawn', () => {
        child.off('error', reject)
        resolve(new AppProcess(child, child.pid!, startedAt, options))
      })
    })
  }

  /** Graceful stop: SIGTERM to the whole group, SIGKILL after the stop timeout. */
  terminate(): Promise<ExitInfo> {
    if (!this.exitSeen) this.beginTermination()
    return this.exited
  }

  private beginTermination(): void {
    if (this.killTimer) return
    signalGroup(this.pid, 'SIGTERM')
    this.killTimer = this.options.clock.setTimer(this.options.stopTimeoutMs, () => signalGroup(this.pid, 'SIGKILL'))
  }

  /** Processes the leader left behind would hold the port and the pipes: stop them the same way. */
  private async reapGroup(): Promise<void> {
    if (groupAlive(this.pid)) {
      this.beginTermination()
      const giveUpAt = this.options.clock.now() + this.options.stopTimeoutMs + 1000
      await new Promise<void>((resolve) => {
        const check = () => {
          if (!groupAlive(this.pid) || this.options.clock.now() >= giveUpAt) resolve()
          else this.options.clock.setTimer(GROUP_POLL_MS, check)
        }
        check()
      })
    }
    this.killTimer?.cancel()
  }

  private async drainOutput(closed: Promise<void>): Promise<void> {
    let timer: Timer | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = this.options.clock.setTimer(OUTPUT_DRAIN_MS, () => {
        this.child.stdout?.destroy()
        this.child.stderr?.destroy()
        resolve()
      })
    })
    await Promise.race([closed, timeout])
    timer?.cancel()
  }
}
