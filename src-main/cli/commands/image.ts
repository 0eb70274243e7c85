import type { Command } from 'commander'
import type { CliContext } from '../cli-context'
import { printResult, table } from '../output'
import { progressReporter } from '../progress'

export function registerImageCommands(program: Command, ctx: CliContext): void {
  const image = program.command('image').description('the core image every workspace runs')

  image
    .command('build')
    .description('build the core image when its sources or base changed (a no-op otherwise)')
    .option('--base <image>', 'base image to build FROM (default: the image.base setting)')
    .option('--force', 'build even when the current tag exists')
    .action(async (options: { base?: string; force?: boolean }) => {
      const core = await ctx.core()
      const progress = progressReporter(ctx.io)
      const unsubscribe = core.api.subscribe('image.progress', progress.update)
      try {
        const result = await core.api.call('image.build', { base: options.base, force: options.force })
        progress.done()
        printResult(ctx, result, (r) =>
          r.built ? `Built ${r.tag} from ${r.base} in ${(r.durationMs / 1000).toFixed(1)} s` : `${r.tag} is up to date (from ${r.base}); nothing to build`
        )
      } finally {
        progress.done()
        unsubscribe()
      }
    })

  image
    .command('status')
    .description('show the core image tag for the current sources and whether it is built')
    .option('--base <image>', 'base image to check against (default: the image.base setting)')
    .action(async (options: { base?: string }) => {
      const status = await (await ctx.core()).api.call('image.status', { base: options.base })
      printResult(ctx, status, (s) =>
        [
          `Core image: ${s.present ? 'built' : 'not built (run `sandlot image build`)'}`,
          table([
            ['tag', s.tag],
            ['base', s.baseId ? `${s.base} (${s.baseId.slice(7, 19)})` : `${s.base} (not on the engine)`],
            ['older', s.stale.length ? s.stale.join(', ') : 'none']
          ])
        ].join('\n')
      )
    })
}
