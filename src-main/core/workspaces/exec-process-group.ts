import { Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { StreamingExec } from './captured-exec'

/** After a close's TERM, how long the command's processes get to end before what is left is killed. */
export const STOP_GRACE_MS = 3_000

/**
 * The engine cannot stop an exec from outside, so a command that must be stoppable says where it runs: a shell
 * prints its own pid as the first line of stderr, then becomes the (`timeout`-wrapped) command. `timeout` leads
 * a process group of its own (it calls setpgid), so that pid is the group of everything the command starts.
 */
export function groupLedCommand(cmd: string[]): string[] {
  return ['sh', '-c', 'echo "$$" >&2; exec "$@"', 'sh', ...cmd]
}

/**
 * The stderr of a `groupLedCommand`: takes its first line (the group's pid) off and passes the rest on. `pid`
 * resolves with it, or with undefined when the stream ends without one (the command never started).
 */
export class LeaderLineTap extends Writable {
  readonly pid: Promise<number | undefined>
  #head: Buffer | undefined = Buffer.alloc(0)
  #found!: (pid: number | undefined) => void

  constructor(private readonly next: NodeJS.WritableStream) {
    super()
    this.pid = new Promise((resolve) => (this.#found = resolve))
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.#head === undefined) return void this.next.write(chunk, () => done())
    const head = Buffer.concat([this.#head, chunk])
    const end = head.indexOf(0x0a)
    // Our shell's line is a few digits: anything longer without a newline is not it, and goes on as output.
    if (end < 0 && head.length < 32) {
      this.#head = head
      return done()
    }
    this.#head = undefined
    const line = end < 0 ? '' : head.subarray(0, end).toString('latin1')
    const pid = /^[1-9][0-9]{0,9}$/.test(line) ? Number(line) : undefined
    this.#found(pid)
    const rest = pid === undefined ? head : head.subarray(end + 1)
    if (rest.length === 0) return done()
    this.next.write(rest, () => done())
  }

  override _final(done: (err?: Error | null) => void): void {
    if (this.#head !== undefined && this.#head.length > 0) this.next.write(this.#head)
    this.#head = undefined
    this.#found(undefined)
    this.next.end(() => done())
  }
}

/**
 * Stops a running `groupLedCommand` where it runs: TERM to its process group, then KILL to what is left of the
 * group after the grace (the command may have exited while children that ignore TERM live on). Both from inside
 * the container as the command's own user, through the same exec. The group's number stays taken while any
 * member lives, so the KILL reaches only leftovers (or no one: the group is gone, and kill says so, unheard).
 */
export async function stopProcessGroup(exec: StreamingExec, name: string, pid: number, graceMs = STOP_GRACE_MS): Promise<void> {
  const signal = async (sig: 'TERM' | 'KILL'): Promise<void> => {
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() })
    await exec(name, ['kill', `-${sig}`, '--', `-${pid}`], { stdout: quiet, stderr: quiet }).catch(() => undefined)
  }
  await signal('TERM')
  await sleep(graceMs)
  await signal('KILL')
}
