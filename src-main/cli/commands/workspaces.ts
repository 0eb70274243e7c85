import { Writable } from 'node:stream'
import { Argument, InvalidArgumentError, type Command } from 'commander'
import { ProcessStatus } from '../../../container/src/control-protocol'
import { formatStatus } from '../../../container/src/status-text'
import { appStatusText, type Workspace } from '../../core/contract'
import type { SandlotCore } from '../../core/sandlot-core'
import { SandlotError } from '../../core/sandlot-error'
import { openInBrowser } from '../../server/browser-launch'
import type { CliContext } from '../cli-context'
import { printResult, table } from '../output'
import { progressReporter } from '../progress'
import { addCreateOptions, createParams, idleStopChange, type CreateOptions } from './create-options'

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/

export function workspaceName(value: string): string {
  if (!NAME.test(value)) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a workspace name: use 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit.`)
  }
  return value
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(0)} KiB`
}

/** Workspaces are the main object: top-level verbs, as `docker` has for containers. */
export function registerWorkspaceCommands(program: Command, ctx: CliContext): void {
  addCreateOptions(
    program
      .command('create')
      .description('create a workspace from a template, a folder or a git repository: container, files, dependencies, dev server, preview')
      .option('-n, --name <name>', 'workspace name (generated when omitted)', workspaceName)
      .option('--replace', 'replace a failed workspace of that name (a retry); a working one is never replaced')
  )
    .action(async (options: CreateOptions) => {
      if (options.replace && options.name === undefined) throw new SandlotError('BAD_USAGE', '--replace needs the --name of the workspace to replace.', 'For example: `sandlot create --template react-vite-ts --name web --replace`.')
      const params = createParams(options)
      const workspace = await withCreateProgress(ctx, (core) => core.api.call<'workspaces.create'>('workspaces.create', params))
      printResult(ctx, workspace, (w) => [`Workspace ${w.name} is ready.`, describe(w)].join('\n'))
    })

  program
    .command('save <name> <file>')
    .description('save /app (without node_modules) and the run settings to a .tar.gz')
    .option('--replace', 'overwrite the file if it exists')
    .action(async (name: string, file: string, options: { replace?: boolean }) => {
      const saved = await (await ctx.core()).api.call('workspaces.save', { name: workspaceName(name), file, replace: options.replace === true })
      printResult(ctx, saved, (r) => `Saved ${r.name} to ${r.file} (${r.files} ${r.files === 1 ? 'file' : 'files'}, ${kib(r.bytes)} before compression).`)
    })

  program
    .command('restore <file>')
    .description('create a workspace from a file written by `sandlot save`')
    .option('-n, --name <name>', 'workspace name (generated when omitted)', workspaceName)
    .action(async (file: string, options: { name?: string }) => {
      const workspace = await withCreateProgress(ctx, (core) => core.api.call('workspaces.restore', { file, ...(options.name ? { name: options.name } : {}) }))
      printResult(ctx, workspace, (w) => [`Workspace ${w.name} is ready.`, describe(w)].join('\n'))
    })

  program
    .command('ls')
    .description('list workspaces')
    .action(async () => {
      const list = await (await ctx.core()).api.call('workspaces.list', {})
      printResult(ctx, list, (all) => (all.length === 0 ? 'No workspaces. Create one with `sandlot create --template <id>` (`sandlot templates list` shows them).' : listing(all)))
    })

  for (const [verb, method, what] of [
    ['start', 'workspaces.start', 'start a stopped workspace (its app resumes)'],
    ['stop', 'workspaces.stop', 'stop a workspace gracefully'],
    ['restart', 'workspaces.restart', 'restart a workspace container']
  ] as const) {
    program
      .command(`${verb} <name>`)
      .description(what)
      .action(async (name: string) => {
        const workspace = await (await ctx.core()).api.call(method, { name: workspaceName(name) })
        printResult(ctx, workspace, describe)
      })
  }

  // As `docker update` changes a container's settings in place: what can change after create, here its idle stop.
  program
    .command('update <name>')
    .description('change a workspace after create: its idle stop (applies at once, running or not)')
    .requiredOption('--idle-stop <minutes|never|setting>', 'stop it after so many minutes unused; never; or setting: follow the workspaces.idleStopMinutes setting again', idleStopChange)
    .action(async (name: string, options: { idleStop: number | 'setting' }) => {
      const core = await ctx.core()
      const workspace = await core.api.call('workspaces.update', { name: workspaceName(name), idleStopMinutes: options.idleStop === 'setting' ? null : options.idleStop })
      printResult(ctx, workspace, (w) => [`${w.name} ${idleStopSentence(w.idleStopMinutes, core.settings().settings.workspaces.idleStopMinutes)}.`, describe(w)].join('\n'))
    })

  program
    .command('rm <name>')
    .description('remove a workspace and its container, with /app (a running one only with --force); its history is kept unless --purge')
    .option('-f, --force', 'stop it first if it is running')
    .option('--purge', 'also drop its monitoring history (logs, errors, timeline)')
    .action(async (name: string, options: { force?: boolean; purge?: boolean }) => {
      const result = await (await ctx.core()).api.call('workspaces.remove', { name: workspaceName(name), force: options.force === true, purge: options.purge === true })
      printResult(ctx, result, (r) => `Removed ${r.name}${options.purge ? ' and its history' : ''}.`)
    })

  program
    .command('exec <name> <command...>')
    .description('run a command in a workspace (as node, in /app); its exit code is passed through')
    .usage('[-i] <name> -- <command> [args...]')
    // Options meant for the command (`ls -la`) are read as Sandlot's unless `--` comes first.
    .showHelpAfterError('Put -- before the command when it has options: sandlot exec NAME -- CMD [ARGS…]')
    .option('-i, --interactive', 'pass standard input to the command (as `docker exec -i`)')
    .action(async (name: string, command: string[], options: { interactive?: boolean }) => {
      const core = await ctx.core()
      const to = (write: (chunk: string | Uint8Array) => void) => new Writable({ write: (chunk: Buffer, _encoding, done) => (write(chunk), done()) })
      ctx.exitCode = await core.workspaces.exec(workspaceName(name), command, {
        stdout: to(ctx.io.stdout),
        stderr: to(ctx.io.stderr),
        ...(options.interactive ? { stdin: ctx.io.stdin() } : {})
      })
    })

  program
    .command('shell <name>')
    .description('an interactive shell in a workspace (as node, in /app); exits with the shell\'s code')
    .action(async (name: string) => {
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new SandlotError('BAD_USAGE', '`sandlot shell` needs a terminal.', `Use \`sandlot exec ${name} -- <command>\` in scripts and pipes.`)
      }
      const core = await ctx.core()
      const shell = await core.workspaces.shell(workspaceName(name), { cols: process.stdout.columns, rows: process.stdout.rows })
      const onResize = (): void => shell.resize(process.stdout.columns, process.stdout.rows)
      process.stdout.on('resize', onResize)
      process.stdin.setRawMode(true)
      process.stdin.pipe(shell.stream)
      shell.stream.pipe(process.stdout)
      try {
        ctx.exitCode = await shell.exit
      } finally {
        process.stdin.unpipe(shell.stream)
        process.stdin.setRawMode(false)
        process.stdin.pause()
        process.stdout.off('resize', onResize)
      }
    })

  program
    .command('open <name>')
    .description('print the preview URL of a workspace')
    .option('--browser', 'open it in the default browser')
    .action(async (name: string, options: { browser?: boolean }) => {
      const workspace = await (await ctx.core()).api.call('workspaces.get', { name: workspaceName(name) })
      if (!workspace.previewUrl) throw noPreview(workspace)
      printResult(ctx, { url: workspace.previewUrl }, (r) => r.url)
      if (options.browser) openInBrowser(workspace.previewUrl, (problem) => ctx.io.stderr(`${problem}\n`))
    })

  program
    .command('code <name>')
    .description('open a workspace in VS Code attached to its container in /app (or in the editor.command setting\'s editor)')
    .action(async (name: string) => {
      const opened = await (await ctx.core()).api.call('workspaces.openEditor', { name: workspaceName(name) })
      printResult(ctx, opened, (r) => (r.opened === 'folder' ? `Opened ${r.folder} in ${r.command}.` : `Opened ${r.name} in ${r.command}, attached to its container in /app.`))
    })

  program
    .command('process')
    .description('the app under the monitor: status, start, stop or restart')
    .argument('<name>')
    .addArgument(new Argument('<action>').choices(['status', 'start', 'stop', 'restart']))
    .action(async (name: string, action: 'status' | 'start' | 'stop' | 'restart') => {
      const result = await (await ctx.core()).api.call('workspaces.process', { name: workspaceName(name), action })
      // The monitor's status reads as monitor-cli prints it (restarts, last exit, preview); another answer as a table.
      printResult(ctx, result, (r) => {
        const status = ProcessStatus.safeParse(r)
        return status.success ? formatStatus(status.data) : table(Object.entries(r).filter(([, v]) => typeof v !== 'object' || v === null).map(([k, v]) => [k, String(v)]))
      })
    })
}

/** Image build and create phases on one progress line (stderr), for create and restore. */
async function withCreateProgress(ctx: CliContext, work: (core: SandlotCore) => Promise<Workspace>): Promise<Workspace> {
  const core = await ctx.core()
  const progress = progressReporter(ctx.io)
  const stopImage = core.api.subscribe('image.progress', progress.update)
  let creating: string | undefined
  const stopCreate = core.api.subscribe('workspaces.progress', (p) => {
    creating = p.workspace
    progress.update({ task: 'workspaces.create', message: `${p.phase}: ${p.message}`, ...(p.fraction === undefined ? {} : { fraction: p.fraction }) })
  })
  // Ctrl+C ends the process as it always does, but first says what it leaves behind and how to clear it.
  const onInterrupt = (): void => {
    progress.done()
    if (creating) ctx.io.stderr(`Interrupted: ${creating} is left unfinished (it shows as failed). Remove it with \`sandlot rm --force ${creating}\`.\n`)
    process.kill(process.pid, 'SIGINT')
  }
  process.once('SIGINT', onInterrupt)
  try {
    return await work(core)
  } finally {
    process.off('SIGINT', onInterrupt)
    progress.done()
    stopImage()
    stopCreate()
  }
}

/** Why `open` has no URL to give: a running workspace that serves none, or one that is not running. */
function noPreview(w: Workspace): SandlotError {
  if (w.container === 'running') {
    return new SandlotError('NOT_FOUND', `${w.name} has no preview: its template (${w.templateId}) runs no app.`, `Work in it with \`sandlot shell ${w.name}\` or \`sandlot exec ${w.name} -- <command>\`.`)
  }
  if (w.status === 'failed') return new SandlotError('NOT_FOUND', `${w.name} has no preview: its create failed (${containerState(w)}).`, `Create it again: run the same \`sandlot create\` with \`--name ${w.name} --replace\`.`)
  return new SandlotError('NOT_FOUND', `${w.name} has no preview right now: ${containerState(w)}.`, `Start it with \`sandlot start ${w.name}\`.`)
}

/** The container as words that are true: never made, removed outside Sandlot, exited with its code. */
function containerState(w: Pick<Workspace, 'container' | 'exitCode'>): string {
  if (w.container === 'none') return 'it never had a container'
  if (w.container === 'missing') return 'its container was removed outside Sandlot'
  if (w.container === 'exited') return w.exitCode === undefined ? 'its container exited' : `its container exited with code ${w.exitCode}`
  if (w.container === 'created') return 'its container was never started'
  return `container ${w.container}`
}

/** What a user asks first: is it up? A made workspace is its container's state; otherwise how its create ended. */
function state(w: Workspace): string {
  if (w.status === 'ready') return w.container === 'exited' ? `stopped${w.exitCode === undefined ? '' : ` (exit code ${w.exitCode})`}` : w.container
  return `${w.status} at ${w.phase}${w.error ? ` (${w.error.code})` : ''}, ${containerState(w)}`
}

/** A workspace's idle stop after `update`: its own, or the setting's as it is now. */
export function idleStopSentence(own: number | undefined, setting: number): string {
  if (own === 0) return 'is never stopped for being idle'
  if (own !== undefined) return `stops after ${own} min unused`
  return `follows the workspaces.idleStopMinutes setting (${setting === 0 ? 'off' : `${setting} min`})`
}

function describe(w: Workspace): string {
  return table([
    ['name', w.name],
    ['template', w.templateId],
    ['state', state(w)],
    ['app', appState(w)],
    ['preview', w.previewUrl ?? '—'],
    ...(w.idleStopMinutes === undefined ? [] : ([['idle stop', w.idleStopMinutes === 0 ? 'never' : `after ${w.idleStopMinutes} min unused`]] as Array<[string, string]>)),
    ...(w.error ? ([['error', w.error.message], ...(w.error.hint ? [['hint', w.error.hint.split('\n')[0]!]] : [])] as Array<[string, string]>) : [])
  ])
}

/** The app's state from the history (the window's words, see appStatusText), unread errors their number. */
function appState(w: Workspace): string {
  const app = w.app
  if (!app) return '—'
  const errors = app.unreadErrors > 0 ? ` · ${app.unreadErrors} new ${app.unreadErrors === 1 ? 'error' : 'errors'}` : ''
  return `${appStatusText(app)}${errors}`
}

function listing(all: Workspace[]): string {
  const rows = all.map((w) => [w.name, w.templateId, state(w), appState(w), w.previewUrl ?? '—'])
  const header = ['NAME', 'TEMPLATE', 'STATE', 'APP', 'PREVIEW']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')
}
