import type { Command } from 'commander'
import type { SyncStatus } from '../../core/contract'
import { describeSyncStatus } from '../../core/sync/sync-status-text'
import type { CliContext } from '../cli-context'
import { printResult, table } from '../output'

/** `sandlot sync`: the desktop's side of sync to a team orchestrator. */
export function registerSyncCommands(program: Command, ctx: CliContext): void {
  const sync = program.command('sync').description('sync of the monitoring history to a team orchestrator (settings sync.url and sync.token)')

  sync
    .command('status')
    .description('on or off, what the orchestrator acknowledged last, records waiting, lag, lines dropped, the last error and what to do')
    .action(async () => {
      const status = await (await ctx.core()).api.call('sync.status', {})
      printResult(ctx, status, (s) => describe(s, Date.now()))
    })
}

function describe(status: SyncStatus, now: number): string {
  const text = describeSyncStatus(status, now)
  const rows = [...text.rows]
  if (status.lastError) rows.push(['last error', `${status.lastError.message} (${status.lastError.at})`], ['what to do', status.lastError.hint])
  const lines = [`Sync: ${text.headline.toLowerCase()}`, table(rows)]
  // Batches go out from the processes that follow the engine; this call only reads what they acknowledged.
  if (status.enabled) lines.push('', 'The desktop app and `sandlot serve` send while they run.')
  return lines.join('\n')
}
