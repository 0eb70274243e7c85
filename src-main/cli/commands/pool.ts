import type { Command } from 'commander'
import type { PoolStatus } from '../../core/contract'
import type { CliContext } from '../cli-context'
import { printResult, table } from '../output'
import { progressReporter } from '../progress'

export function registerPoolCommands(program: Command, ctx: CliContext): void {
  const pool = program.command('pool').description('warm containers that make new workspaces start fast')

  pool
    .command('status')
    .description('how many warm containers wait, against the target; orphans found')
    .action(async () => printResult(ctx, await (await ctx.core()).api.call('pool.status', {}), describe))

  pool
    .command('fill')
    .description('create warm containers up to the target (pool.size); builds the core image first if needed')
    .action(async () => {
      const core = await ctx.core()
      const progress = progressReporter(ctx.io)
      const stop = core.api.subscribe('image.progress', progress.update)
      try {
        const status = await core.api.call('pool.fill', {})
        progress.done()
        printResult(ctx, status, describe)
      } finally {
        progress.done()
        stop()
      }
    })
}

function describe(s: PoolStatus): string {
  return [
    `Pool: ${s.ready} of ${s.target} warm container${s.target === 1 ? '' : 's'} ready`,
    table([
      ['stale', String(s.stale)],
      ['orphans', s.orphans.length ? s.orphans.map((o) => `${o.name} (${o.role})`).join(', ') : 'none']
    ]),
    ...(s.orphans.length ? ['Orphans are containers of this data folder that Sandlot has no record of; remove them with `docker rm -f` if unwanted.'] : [])
  ].join('\n')
}
