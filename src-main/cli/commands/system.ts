import { createInterface } from 'node:readline'
import type { Command } from 'commander'
import type { DiskObject, DiskUsage, PruneResult } from '../../core/contract'
import { SandlotError } from '../../core/sandlot-error'
import type { CliContext } from '../cli-context'
import type { CliIo } from '../cli-io'
import { printResult } from '../output'
import { formatBytes } from '../../core/text/format-bytes'

export function registerSystemCommands(program: Command, ctx: CliContext): void {
  const system = program.command('system').description("Sandlot's disk use on the engine, and cleaning it up")

  system
    .command('df')
    .description("disk used by Sandlot's core images, containers and volumes, and what prune would remove")
    .option('-a, --all', 'say what `system prune --all` would remove')
    .action(async (options: { all?: boolean }) => printResult(ctx, await (await ctx.core()).api.call('system.df', { all: options.all === true }), describeUsage))

  system
    .command('prune')
    .description('remove old core image tags nothing uses, stopped pool containers and dependency build leftovers; never a workspace')
    .option('-a, --all', "also every other object of this data folder on the engine (warm pool containers, its npm cache and dependency snapshot volumes, its network): only once it has no workspace, with the app and `sandlot serve` stopped")
    .option('-y, --yes', 'remove without asking')
    .action(async (options: { all?: boolean; yes?: boolean }) => {
      const core = await ctx.core()
      const all = options.all === true
      // With --all, a workspace left (or a serve running) is refused here, before anything is listed or asked.
      const usage = await core.api.call('system.df', { all })
      const candidates = usage.objects.filter((o) => o.prunable !== undefined)
      if (candidates.length === 0) return printResult(ctx, { removed: [], failed: [], bytes: 0 } satisfies PruneResult, () => 'Nothing to prune.')
      if (options.yes !== true) {
        if (!ctx.json) ctx.io.stdout(`${describeObjects(candidates)}\n`)
        const stdin = ctx.io.stdin() as NodeJS.ReadableStream & { isTTY?: boolean }
        if (ctx.json || stdin.isTTY !== true) {
          const again = `sandlot system prune${all ? ' --all' : ''} --yes`
          throw new SandlotError('BAD_USAGE', 'system prune asks before it removes anything, and there is no terminal to ask on.', `Nothing was removed. See the list with \`sandlot system df${all ? ' --all' : ''}\`, then run \`${again}\`.`)
        }
        if (!(await confirm(ctx.io, `Remove these ${candidates.length} (${formatBytes(usage.totals.prunable)})? [y/N] `))) {
          ctx.io.stderr('Nothing was removed.\n')
          return
        }
      }
      // Exactly what was listed: the core checks each again and keeps what became used meanwhile.
      const result = await core.api.call('system.prune', { only: candidates.map((o) => o.id), all })
      printResult(ctx, result, describePrune)
      if (result.failed.length > 0) ctx.exitCode = 1
    })
}

async function confirm(io: CliIo, question: string): Promise<boolean> {
  io.stderr(question)
  const lines = createInterface({ input: io.stdin() })
  try {
    const answer = await new Promise<string>((resolve) => {
      lines.once('line', resolve)
      lines.once('close', () => resolve(''))
    })
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    lines.close()
  }
}

function describeObjects(objects: readonly DiskObject[]): string {
  const rows = objects.map((o) => [o.kind, o.name, formatBytes(o.bytes), o.prunable ?? o.role ?? ''])
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => `  ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')}`).join('\n')
}

function describeUsage(usage: DiskUsage): string {
  const { totals, objects } = usage
  return [
    `Images      ${formatBytes(totals.images)}`,
    `Containers  ${formatBytes(totals.containers)}`,
    `Volumes     ${formatBytes(totals.volumes)}`,
    `Prunable    ${formatBytes(totals.prunable)} (sandlot system prune)`,
    ...(objects.length > 0 ? ['', describeObjects(objects)] : [])
  ].join('\n')
}

function describePrune(result: PruneResult): string {
  return [
    `Removed ${result.removed.length} (${formatBytes(result.bytes)}).`,
    ...result.failed.map((f) => `Could not remove ${f.object.kind} ${f.object.name}: ${f.message}`)
  ].join('\n')
}
