import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InvalidArgumentError, Option, type Command } from 'commander'
import { loadApiToken } from '../../core/api-token'
import { removeServeFile, writeServeFile } from '../../core/data/serve-file'
import { openInBrowser } from '../../server/browser-launch'
import { LOOPBACK_ONLY, loopbackAddress } from '../../server/listen-address'
import { startSandlotServer } from '../../server/sandlot-server'
import { assertRendererBuilt } from '../../transport/static-files'
import type { CliContext } from '../cli-context'
import { printResult } from '../output'

const DEFAULT_PORT = 7373

interface ServeOptions {
  port: number
  host: string
  open?: boolean
}

/** What `serve --json` prints once it listens. */
export interface ServeInfo {
  /** The sign-in URL: opening it signs the browser tab in. */
  url: string
  port: number
  token: string
}

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the Sandlot app to a browser on this machine (loopback only, token-protected), until stopped')
    .addOption(new Option('--port <port>', 'TCP port; 0 picks a free one').default(DEFAULT_PORT).argParser(parsePort))
    .addOption(new Option('--host <address>', 'loopback address to listen on').default('127.0.0.1').argParser(parseHost))
    .option('--open', 'open the app in the default browser')
    .action((options: ServeOptions) => serve(ctx, options))
}

async function serve(ctx: CliContext, options: ServeOptions): Promise<void> {
  // The bundle lives in out/main; the web app is built next to it, in out/renderer (in a checkout and in the app).
  const rendererDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer')
  assertRendererBuilt(rendererDir)
  ctx.keepLog = 'serve'
  const core = await ctx.core()
  const token = loadApiToken(core.paths.apiToken)
  core.startBackgroundWork()
  const server = await startSandlotServer({
    api: core.api,
    host: options.host,
    port: options.port,
    rendererDir,
    token: () => loadApiToken(core.paths.apiToken),
    onProblem: (problem) => ctx.io.stderr(`${problem}\n`)
  })
  // The token rides in the query like Jupyter's; the page moves it to sessionStorage and drops it from the address bar.
  const info: ServeInfo = { url: `${server.url}?token=${token}`, port: server.port, token }
  // For scripts and the SDK (Sandlot.connect()): the address only; the token stays in its own file.
  writeServeFile(core.paths.root, { url: server.url, pid: process.pid })
  printResult(ctx, info, ({ url }) =>
    [`Sandlot is serving on ${server.url}`, '', 'Open this URL to sign in (it carries the access token):', `    ${url}`, '', 'Press Ctrl+C to stop.'].join('\n')
  )
  if (options.open) openInBrowser(info.url, (problem) => ctx.io.stderr(`${problem}\n`))
  const signal = await nextSignal(['SIGINT', 'SIGTERM'])
  ctx.io.stderr(`Received ${signal}: stopping.\n`)
  // The core closes after the command returns (runCli); a second Ctrl+C meanwhile kills the process as usual.
  removeServeFile(core.paths.root, process.pid)
  await server.close()
}

export function nextSignal(signals: NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handlers = signals.map((signal) => {
      const handler = (): void => {
        handlers.forEach(([name, listener]) => process.off(name, listener))
        resolve(signal)
      }
      process.on(signal, handler)
      return [signal, handler] as const
    })
  })
}

function parsePort(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError('Give a port number from 0 to 65535 (0 picks a free port).')
  return port
}

function parseHost(value: string): string {
  const address = loopbackAddress(value)
  if (address === undefined) throw new InvalidArgumentError(LOOPBACK_ONLY)
  return address
}
