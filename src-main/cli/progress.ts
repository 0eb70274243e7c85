import type { TaskProgress } from '../core/contract'
import { safeForTerminal } from '../core/text/terminal-text'
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
      // Messages carry install and image build output lines: untrusted, so only their colours reach the terminal.
      if (!io.stderrIsTty) {
        if (progress.message !== lastLine) io.stderr(`${safeForTerminal(progress.message)}\n`)
        lastLine = progress.message
        return
      }
      const fraction = progress.fraction
      const bar = fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, ' ')}] ${String(Math.round(fraction * 100)).padStart(3)}% `
      const columns = Number(io.env.COLUMNS) || 100
      io.stderr(`\r\x1b[2K${safeForTerminal((bar + progress.message).slice(0, columns - 1))}\x1b[0m`)
      drawn = true
    },
    done() {
      if (drawn) io.stderr('\r\x1b[2K')
      drawn = false
    }
  }
}
