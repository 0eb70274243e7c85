import type { ErrorInfo } from '../core/contract'
import type { CliIo } from './cli-io'

export interface OutputMode {
  json: boolean
  io: CliIo
}

/** A command's result: the JSON document, or the human rendering, on stdout. */
export function printResult<T>(mode: OutputMode, value: T, human: (value: T) => string): void {
  if (mode.json) mode.io.stdout(`${JSON.stringify(value, null, 2)}\n`)
  else mode.io.stdout(ensureNewline(human(value)))
}

/** A failure: the error document on stdout with --json; the message on stderr; the hint on stderr either way. */
export function printError(mode: OutputMode, error: ErrorInfo): void {
  if (mode.json) mode.io.stdout(`${JSON.stringify({ error }, null, 2)}\n`)
  else mode.io.stderr(`Error: ${error.message}\n`)
  if (error.hint) mode.io.stderr(`Hint: ${error.hint}\n`)
}

/** Aligned `label  value` rows for human output. */
export function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`
}
