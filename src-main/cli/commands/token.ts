import type { Command } from 'commander'
import { loadApiToken, rotateApiToken } from '../../core/api-token'
import type { CliContext } from '../cli-context'
import { printResult } from '../output'

export function registerTokenCommands(program: Command, ctx: CliContext): void {
  const token = program
    .command('token')
    .description('print the API token that signs browsers and API clients in (created on first use)')
    .action(async () => {
      const value = loadApiToken((await ctx.core()).paths.apiToken)
      printResult(ctx, { token: value }, (r) => r.token)
    })

  token
    .command('rotate')
    .description('replace the API token: open browser tabs and API clients are signed out within seconds and need the new one')
    .action(async () => {
      const value = rotateApiToken((await ctx.core()).paths.apiToken)
      printResult(ctx, { token: value }, (r) => `New API token: ${r.token}`)
    })
}
