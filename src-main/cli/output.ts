import type { ErrorInfo } from '../core/contract'
import { safeForTerminal } from '../core/text/terminal-text'
import type { CliIo } from './cli-io'

export interface OutputMode {
  json: boolean
  io: CliIo
}

/**
 * A command's result: the JSON document, or the human rendering, on stdout. Human text may quote container
 * output (a failed create's error), so only colours of it reach the terminal; JSON escapes control characters.
 */
export function printResult<T>(mode: OutputMode, value: T, human: (value: T) => string): void {
  if (mode.json) mode.io.stdout(`${JSON.stringify(value, null, 2)}\n`)
  else mode.io.stdout(ensureNewline(safeForTerminal(human(value))))
}

/**
 * A failure: the error document on stdout with --json; the message on stderr; the hint on stderr either way.
 * Hints quote install and app output (the last lines of a failed `npm install`): neutralised for the terminal.
 */
export function printError(mode: OutputMode, error: ErrorInfo): void {
  if (mode.json) mode.io.stdout(`${JSON.stringify({ error }, null, 2)}\n`)
  else mode.io.stderr(`Error: ${safeForTerminal(error.message)}\n`)
  if (error.hint) mode.io.stderr(`Hint: ${safeForTerminal(error.hint)}\n`)
}

/**
 * One line of container output (an app's log) for a human: control sequences neutralised unless `raw` asks
 * for the bytes as the app wrote them. With --json the caller prints the document instead.
 */
export function printContainerLine(io: CliIo, stream: 'stdout' | 'stderr', line: string, raw: boolean): void {
  ;(stream === 'stderr' ? io.stderr : io.stdout)(`${raw ? line : safeForTerminal(line)}\n`)
}

/** Aligned `label  value` rows for human output. */
export function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`
}

/** Rows under a header, in aligned columns, for human listings. */
export function columns(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')
}
