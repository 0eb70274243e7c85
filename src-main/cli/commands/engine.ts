import type { Command } from 'commander'
import type { EngineStatus } from '../../core/contract'
import { SandlotError } from '../../core/sandlot-error'
import type { CliContext } from '../cli-context'
import { printResult, table } from '../output'

export function registerEngineCommands(program: Command, ctx: CliContext): void {
  const engine = program.command('engine').description('the Docker engine Sandlot drives')

  engine
    .command('status')
    .description('show whether the Docker engine answers, where, and its version')
    .action(async () => {
      const status = await (await ctx.core()).api.call('engine.status', {})
      if (status.state !== 'connected') {
        const message = status.state === 'unreachable' ? status.message : `Docker engine at ${status.endpoint.url} did not answer`
        const hint = status.state === 'unreachable' ? status.hint : undefined
        throw new SandlotError('ENGINE_UNREACHABLE', message, hint)
      }
      printResult(ctx, status, describeConnected)
    })
}

function describeConnected(status: Extract<EngineStatus, { state: 'connected' }>): string {
  const { endpoint, server } = status
  const via = endpoint.source === 'context' ? `context ${endpoint.context}` : endpoint.source
  return [
    'Docker engine: connected',
    table([
      ['endpoint', `${endpoint.url} (${via})`],
      ['server', `${server.name ?? 'Docker Engine'} ${server.serverVersion} (API ${server.apiVersion}, ${server.os}/${server.arch})`]
    ])
  ].join('\n')
}
