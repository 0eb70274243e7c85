import type { TaskProgress } from '../core/contract'
import type { CliIo } from './cli-io'

/**
 * Progress on stderr: one redrawn bar on a terminal, plain lines otherwise (CI logs, pipes). With --json the
 * stdout document is untouched either way.
 */
export function progressReporter(io: CliIo): { update: (p: TaskProgress) => void; done: () => void } {
  let drawn = false
  let lastLine = ''
  const width = 24
  return {
    update(progress) {
      if (!io.stderrIsTty) {
        if (progress.message !== lastLine) io.stderr(`${progress.message}\n`)
        lastLine = progress.message
        return
      }
      const fraction = progress.fraction
      const bar = fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, ' ')}] ${String(Math.round(fraction * 100)).padStart(3)}% `
      const columns = Number(io.env.COLUMNS) || 100
      io.stderr(`\r\x1b[2K${(bar + progress.message).slice(0, columns - 1)}`)
      drawn = true
    },
    done() {
      if (drawn) io.stderr('\r\x1b[2K')
      drawn = false
    }
  }
}
