import { Readable } from 'node:stream'
import type { CliIo } from '../cli-io'

/** A CLI's io for tests: output kept as text, empty standard input, the given environment. */
export function capturedIo(env: NodeJS.ProcessEnv): CliIo & { out: () => string; err: () => string } {
  let out = ''
  let err = ''
  return {
    stdout: (text) => void (out += String(text)),
    stderr: (text) => void (err += String(text)),
    stderrIsTty: false,
    env,
    stdin: () => Readable.from([]),
    out: () => out,
    err: () => err
  }
}
