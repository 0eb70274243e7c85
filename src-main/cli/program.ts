import { Command, CommanderError } from 'commander'
import { toErrorInfo } from '../core/sandlot-error'
import { CliContext } from './cli-context'
import type { CliIo } from './cli-io'
import { registerConfigCommands } from './commands/config'
import { registerEngineCommands } from './commands/engine'
import { registerServeCommand } from './commands/serve'
import { registerImageCommands } from './commands/image'
import { registerPoolCommands } from './commands/pool'
import { registerTemplateCommands } from './commands/templates'
import { registerTokenCommands } from './commands/token'
import { registerWorkspaceCommands } from './commands/workspaces'
import { registerHistoryCommands } from './commands/history'
import { registerSystemCommands } from './commands/system'
import { registerOrchestratorCommands } from './commands/orchestrator'
import { registerSyncCommands } from './commands/sync'
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes'
import { printError } from './output'

/** Commander codes that mean "help or version was shown", not a usage error. */
const INFORMATIONAL = new Set(['commander.helpDisplayed', 'commander.version'])

function buildProgram(ctx: CliContext, version: string, onUsageShown: () => void): Command {
  const program = new Command('sandlot')
    .description('Disposable, monitored dev environments in local containers')
    .version(version, '-v, --version')
    .option('--json', 'print exactly one JSON document on stdout (the result, or {"error":…})')
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout(text),
      // With --json, commander's own usage messages must not reach stdout; they become an error document.
      writeErr: (text) => (ctx.json ? undefined : ctx.io.stderr(text)),
      outputError: (text, write) => {
        onUsageShown()
        write(text)
      }
    })
  program.hook('preAction', (_this, action) => {
    ctx.json = Boolean(action.optsWithGlobals().json)
  })
  registerWorkspaceCommands(program, ctx)
  registerHistoryCommands(program, ctx)
  registerEngineCommands(program, ctx)
  registerServeCommand(program, ctx)
  registerImageCommands(program, ctx)
  registerTokenCommands(program, ctx)
  registerPoolCommands(program, ctx)
  registerTemplateCommands(program, ctx)
  registerConfigCommands(program, ctx)
  registerSystemCommands(program, ctx)
  registerOrchestratorCommands(program, ctx)
  registerSyncCommands(program, ctx)
  // Every subcommand inherits the same error handling and output routing.
  const configure = (command: Command): void => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput(program.configureOutput()).showSuggestionAfterError()
      configure(sub)
    }
  }
  configure(program)
  return program
}

/** Runs one CLI call and returns its exit code; never calls process.exit, so tests run it in-process. */
export async function runCli(argv: string[], io: CliIo, version = '0.0.0'): Promise<number> {
  const ctx = new CliContext(io)
  const endOfOptions = argv.indexOf('--')
  ctx.json = (endOfOptions === -1 ? argv : argv.slice(0, endOfOptions)).includes('--json')
  // Commander prints the usage errors it finds itself; one thrown by a command (a bad name) is printed here.
  let usageShown = false
  const program = buildProgram(ctx, version, () => (usageShown = true))
  try {
    if (argv.length === 0) {
      program.outputHelp()
      return EXIT_OK
    }
    await program.parseAsync(argv, { from: 'user' })
    return ctx.exitCode
  } catch (err) {
    if (err instanceof CommanderError) {
      if (INFORMATIONAL.has(err.code)) return EXIT_OK
      if (ctx.json || !usageShown) printError(ctx, { code: 'BAD_USAGE', message: err.message.replace(/^error: /, ''), hint: 'Run with --help for usage.' })
      return EXIT_USAGE
    }
    const info = toErrorInfo(err)
    printError(ctx, info)
    return info.code === 'BAD_USAGE' ? EXIT_USAGE : EXIT_FAILURE
  } finally {
    await ctx.close()
  }
}
