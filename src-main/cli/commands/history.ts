import { setTimeout as sleep } from 'node:timers/promises'
import { InvalidArgumentError, Option, type Command } from 'commander'
import type { ErrorGroup, LogLine, LogsQuery, TimelineEvent } from '../../core/contract'
import type { CliContext } from '../cli-context'
import { printContainerLine, printResult } from '../output'
import { workspaceName } from './workspaces'

/** How often `logs -f` stores and shows what the container printed since the last look. */
const FOLLOW_EVERY_MS = 500

function lineCount(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 5000) throw new InvalidArgumentError('a whole number from 1 to 5000')
  return n
}

const RELATIVE = /^(\d+)(s|m|h|d)$/
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** `--since 10m`, `--until 2h` (before now), or a date and time (`2030-01-01T10:00:00Z`, `2030-01-01`). */
export function parseTime(value: string, now = Date.now()): string {
  const relative = RELATIVE.exec(value)
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]).toISOString()
  const ms = /^\d{4}-\d\d-\d\d/.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(ms)) throw new InvalidArgumentError('a time such as 2030-01-01T10:00:00Z, or a duration before now such as 30s, 10m, 2h or 3d')
  return new Date(ms).toISOString()
}

interface LogsOptions {
  follow?: boolean
  since?: string
  until?: string
  grep?: string
  stream?: 'stdout' | 'stderr'
  lines: number
  raw?: boolean
}

/** `logs`, `errors`, `events`: a workspace's monitoring history, as stored on the host. */
export function registerHistoryCommands(program: Command, ctx: CliContext): void {
  program
    .command('logs <name>')
    .description("what the workspace's app printed, from the history kept on the host (also after restarts and removal)")
    .option('-f, --follow', 'keep printing new lines until the container stops (with --json: one line object per line)')
    .option('--since <time>', 'lines from this time on: 2030-01-01T10:00:00Z, or 30s, 10m, 2h, 3d before now', (v) => parseTime(v))
    .option('--until <time>', 'lines up to this time (same forms as --since)', (v) => parseTime(v))
    .option('--grep <query>', 'lines with these words ("a phrase", prefix*, AND, OR, NOT)')
    .addOption(new Option('--stream <stream>', 'only this output stream').choices(['stdout', 'stderr']))
    .option('-n, --lines <count>', 'how many of the newest matching lines (1 to 5000)', lineCount, 100)
    .option('--raw', "print the app's control sequences as they are (by default only colours are kept)")
    .action(async (name: string, options: LogsOptions) => {
      const core = await ctx.core()
      const query: LogsQuery = {
        workspace: workspaceName(name),
        limit: options.lines,
        ...(options.since ? { since: options.since } : {}),
        ...(options.until ? { until: options.until } : {}),
        ...(options.grep ? { query: options.grep } : {}),
        ...(options.stream ? { stream: options.stream } : {})
      }
      const page = await core.api.call('history.logs', query)
      const print = (line: LogLine): void => {
        if (ctx.json) ctx.io.stdout(`${JSON.stringify(line)}\n`)
        else printContainerLine(ctx.io, line.stream, line.line, options.raw === true)
      }
      if (!options.follow) {
        if (ctx.json) printResult(ctx, page, () => '')
        else page.lines.forEach(print)
        return
      }
      page.lines.forEach(print)
      let last = page.lines.at(-1)?.id ?? 0
      for (;;) {
        // workspaces.get stores what the container printed since the last look (one catch-up per tick), after its
        // last word when it stopped, so nothing is missed; the pages are read from what is stored.
        const running = (await core.api.call('workspaces.get', { name })).container === 'running'
        for (;;) {
          const next = core.history.logs({ ...query, limit: 5000, ...(last > 0 ? { after: last } : {}) })
          next.lines.forEach(print)
          last = next.lines.at(-1)?.id ?? last
          if (!next.moreAfter) break
        }
        if (!running) return
        await sleep(FOLLOW_EVERY_MS)
      }
    })

  program
    .command('errors <name>')
    .description('the errors the workspace\'s app printed, grouped (count, first and last seen, where)')
    .action(async (name: string) => {
      const errors = await (await ctx.core()).api.call('history.errors', { workspace: workspaceName(name) })
      printResult(ctx, errors, (all) => (all.length === 0 ? `No errors recorded for ${name}.` : all.map(errorText).join('\n\n')))
    })

  program
    .command('events <name>')
    .description('the timeline of the workspace\'s app: starts, readies, crashes with exit codes, restarts, gaps')
    .option('-n, --lines <count>', 'how many of the newest entries (1 to 1000)', (v) => Math.min(lineCount(v), 1000), 100)
    .action(async (name: string, options: { lines: number }) => {
      const events = await (await ctx.core()).api.call('history.events', { workspace: workspaceName(name), limit: options.lines })
      printResult(ctx, events, (all) => (all.length === 0 ? `No events recorded for ${name}.` : all.map(eventText).join('\n')))
    })
}

function errorText(e: ErrorGroup): string {
  const where = e.file ? `${e.file}${e.line === undefined ? '' : `:${e.line}${e.column === undefined ? '' : `:${e.column}`}`}` : undefined
  const head = `${e.count}× ${e.severity} (${e.category})${e.unread ? ' · new' : ''}: ${e.message.split('\n', 1)[0]}`
  const seen = e.count === 1 ? `seen ${e.lastSeen}` : `first ${e.firstSeen}, last ${e.lastSeen}`
  return [head, `   ${where ? `${where} · ` : ''}${seen}`].join('\n')
}

function eventText(e: TimelineEvent): string {
  return `${e.ts}  ${e.kind.padEnd(7)}  ${e.summary}`
}
