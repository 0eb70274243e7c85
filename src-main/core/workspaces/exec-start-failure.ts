import { Writable } from 'node:stream'

/** What the engine prints (on the command's stdout) when it cannot start an exec's command at all. */
const PREFIX = 'OCI runtime exec failed:'
/** Such a message is one line; anything longer is the command's own output. */
const MAX_HELD = 4096

export interface ExecStartFailure {
  exitCode: number
  message: string
}

/**
 * Stands between an exec's stdout and the user: when the engine could not start the command (not found, not
 * executable), its raw "OCI runtime exec failed" line on stdout and exit code 126 become a shell's answer, on
 * stderr, with the shell's codes (127 not found, 126 cannot run). Everything else passes through untouched.
 */
export function guardExecStart(stdout: NodeJS.WritableStream): { stdout: Writable; failure: (exitCode: number) => ExecStartFailure | undefined } {
  let held: Buffer | undefined = Buffer.alloc(0)
  const release = (): void => {
    if (held !== undefined && held.length > 0) stdout.write(held)
    held = undefined
  }
  const guard = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (held === undefined) {
        stdout.write(chunk)
        return done()
      }
      held = Buffer.concat([held, chunk])
      const start = held.subarray(0, PREFIX.length).toString('utf8')
      if (!PREFIX.startsWith(start) || held.length > MAX_HELD) release()
      done()
    }
  })
  return {
    stdout: guard,
    failure(exitCode) {
      const text = held?.toString('utf8') ?? ''
      const failure = exitCode === 126 && text.startsWith(PREFIX) ? describe(text) : undefined
      if (failure === undefined) release()
      return failure
    }
  }
}

function describe(text: string): ExecStartFailure {
  const match = /exec: "([^"]*)": (.*?)(?:: unknown)?\s*$/.exec(text.trim())
  const command = match?.[1] ?? 'the command'
  const reason = match?.[2] ?? text.trim()
  if (/executable file not found/.test(reason)) return { exitCode: 127, message: `${command}: command not found in the workspace (nothing by that name on its PATH)` }
  if (/no such file or directory/.test(reason)) return { exitCode: 127, message: `${command}: no such file in the workspace` }
  if (/permission denied/.test(reason)) return { exitCode: 126, message: `${command}: cannot run it: permission denied (a folder, or a file without execute permission)` }
  return { exitCode: 126, message: `${command}: could not be started: ${reason}` }
}
