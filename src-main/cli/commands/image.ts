import { InvalidArgumentError, type Command } from 'commander'
import { IMAGE_REFERENCE_RULE, isImageReference } from '../../core/contract'
import type { CliContext } from '../cli-context'
import { printResult, table } from '../output'
import { progressReporter } from '../progress'

export function registerImageCommands(program: Command, ctx: CliContext): void {
  const image = program.command('image').description('the core image every workspace runs')

  image
    .command('build')
    .description('build the core image when its sources or base changed (a no-op otherwise)')
    .option('--base <image>', 'base image to build FROM, kept as the image.base setting (default: that setting)', imageReference)
    .option('--force', 'build even when the current tag exists')
    .option('--no-remember', 'build from --base once, without keeping it as the image.base setting')
    .action(async (options: { base?: string; force?: boolean; remember?: boolean }) => {
      const core = await ctx.core()
      const progress = progressReporter(ctx.io)
      const unsubscribe = core.api.subscribe('image.progress', progress.update)
      try {
        const result = await core.api.call('image.build', { base: options.base, force: options.force })
        progress.done()
        printResult(ctx, result, (r) =>
          r.built ? `Built ${r.tag} from ${r.base} in ${(r.durationMs / 1000).toFixed(1)} s` : `${r.tag} is up to date (from ${r.base}); nothing to build`
        )
        // A base given here is the one new workspaces should run on: kept as image.base, or the next create
        // would build (and pull) from the old one.
        if (options.base !== undefined && options.remember !== false && core.settings().settings.image.base !== options.base) {
          await core.api.call('settings.update', { image: { base: options.base } })
          ctx.io.stderr(`Remembered ${options.base} as image.base: new workspaces run on it (\`sandlot config unset image.base\` goes back to the default).\n`)
        }
      } finally {
        progress.done()
        unsubscribe()
      }
    })

  image
    .command('status')
    .description('show the core image tag for the current sources and whether it is built')
    .option('--base <image>', 'base image to check against (default: the image.base setting)', imageReference)
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

/** Checked here too, so a bad reference is a usage error (exit 2) that says the rule, before the core opens. */
function imageReference(value: string): string {
  if (!isImageReference(value)) throw new InvalidArgumentError(`${JSON.stringify(value)} ${IMAGE_REFERENCE_RULE}.`)
  return value
}
