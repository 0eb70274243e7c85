import { posix } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { EXEC_OUTPUT_CAP, type ExecParams, type ExecResult } from '../contract/exec'
import { SandlotError } from '../sandlot-error'

const DEFAULT_TIMEOUT_MS = 60_000
/** After the timeout's TERM, how long the command gets before KILL. */
const KILL_AFTER_S = 5
/** `timeout`'s own exit codes when it stopped the command (TERM obeyed, or KILL needed). */
const TIMED_OUT_CODES = new Set([124, 137])

/** The workspace service's streaming exec (`sandlot exec`), which this captures. */
export type StreamingExec = (
  name: string,
  cmd: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; stdin?: NodeJS.ReadableStream },
  options?: ExecPlace
) => Promise<number>

/** Where a command runs: its working folder (default /app) and variables added to the template's env. */
export interface ExecPlace {
  workingDir?: string
  env?: Record<string, string>
}

/**
 * `workspaces.exec`: runs the command through `timeout` inside the container, so a command that runs too long is
 * stopped where it runs, in the working folder with the extra variables, and keeps the start of each stream.
 */
export async function runCaptured(exec: StreamingExec, params: ExecParams): Promise<ExecResult> {
  const { cmd, place, timeoutMs } = timedCommand(params)
  const stdout = new CappedSink(EXEC_OUTPUT_CAP)
  const stderr = new CappedSink(EXEC_OUTPUT_CAP)
  const started = Date.now()
  const exitCode = await exec(params.name, cmd, { stdout, stderr, ...standardInput(params) }, place)
  return {
    exitCode,
    stdout: stdout.text(),
    stderr: stderr.text(),
    stdoutTruncated: stdout.truncated,
    stderrTruncated: stderr.truncated,
    timedOut: ranOutOfTime(exitCode, started, timeoutMs)
  }
}

/** The command wrapped in `timeout`, where it runs, and its time limit (checked: the folder stays inside /app). */
export function timedCommand(params: ExecParams): { cmd: string[]; place: ExecPlace; timeoutMs: number } {
  const timeoutMs = params.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const cmd = ['timeout', '-k', String(KILL_AFTER_S), `${timeoutMs / 1000}s`, params.command, ...(params.args ?? [])]
  return { cmd, place: { workingDir: workingFolder(params.cwd), ...(params.env ? { env: params.env } : {}) }, timeoutMs }
}

/** The call's standard input as a stream, when it gave one. */
export function standardInput(params: ExecParams): { stdin?: NodeJS.ReadableStream } {
  return params.stdin === undefined ? {} : { stdin: Readable.from([Buffer.from(params.stdin, 'utf8')]) }
}

/** The command may exit 124 itself: only a run that lasted the whole timeout counts as stopped. */
export function ranOutOfTime(exitCode: number, started: number, timeoutMs: number): boolean {
  return TIMED_OUT_CODES.has(exitCode) && Date.now() - started >= timeoutMs
}

/** The working folder as an absolute path that stays inside /app, or a BAD_REQUEST saying why not. */
export function workingFolder(cwd: string | undefined): string {
  const resolved = posix.resolve('/app', cwd ?? '.')
  if (resolved !== '/app' && !resolved.startsWith('/app/')) {
    throw new SandlotError('BAD_REQUEST', `The working folder "${cwd}" is outside /app.`, 'Give a folder inside /app, as an absolute path or relative to /app. Nothing was run.')
  }
  return resolved
}

/** Keeps the first `cap` bytes written and counts the rest away (container output is untrusted and unbounded). */
export class CappedSink extends Writable {
  readonly #chunks: Buffer[] = []
  #kept = 0
  truncated = false

  constructor(readonly cap: number) {
    super()
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    const room = this.cap - this.#kept
    if (chunk.length > room) this.truncated = true
    if (room > 0) {
      const kept = chunk.subarray(0, room)
      this.#chunks.push(kept)
      this.#kept += kept.length
    }
    done()
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8')
  }
}
