/** Where a CLI call writes: stdout carries results (exactly one JSON document with --json), stderr the rest. */
export interface CliIo {
  /** Text, or raw bytes passed through (`exec`). */
  stdout: (text: string | Uint8Array) => void
  stderr: (text: string | Uint8Array) => void
  /** Whether stderr is a terminal: progress bars there, plain lines otherwise. */
  stderrIsTty: boolean
  env: NodeJS.ProcessEnv
  /** Standard input, for the commands that read it (`exec -i`). */
  stdin: () => NodeJS.ReadableStream
}

export function processIo(): CliIo {
  // A reader that went away (`sandlot ls | head`) must not end the command midway: the rest of stdout is dropped.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err
  })
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: Boolean(process.stderr.isTTY),
    env: process.env,
    stdin: () => process.stdin
  }
}
