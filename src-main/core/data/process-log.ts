import { appendFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * `logs/<name>.log` in the data folder: what a long-lived process (`sandlot serve`, the app) reported on its
 * own, one timestamped line each, so a problem seen while nobody watched the terminal can be found later.
 * Writing never fails the caller: the log is a convenience, the terminal has said it already.
 */
export function processLog(logsDir: string, name: string, now: () => Date = () => new Date()): { file: string; write: (message: string) => void } {
  const file = join(logsDir, `${name}.log`)
  return {
    file,
    write(message) {
      const lines = message.split('\n').map((line) => `${now().toISOString()} ${line}`)
      try {
        appendFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 })
      } catch {
        // A full disk or a read-only data folder: the message went to the terminal anyway.
      }
    }
  }
}
