import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { IdleStopMinutes, TemplateLimits, type CreateWorkspaceParams } from '../../core/contract'
import { SandlotError } from '../../core/sandlot-error'
import { parseEnvAssignment, parseEnvFile } from '../../core/sources/env-file'

/** `sandlot create`'s options as given on the command line. */
export interface CreateOptions {
  template?: string
  folder?: string
  mount?: boolean
  git?: string
  branch?: string
  name?: string
  replace?: boolean
  env: string[]
  envFile: string[]
  memory?: number
  cpus?: number
  start?: string
  port?: number
  idleStop?: number
}

/** The sources and the per-workspace overrides of `sandlot create`. */
export function addCreateOptions(command: Command): Command {
  const collect = (value: string, all: string[]): string[] => [...all, value]
  return command
    .option('-t, --template <id>', 'template id (see `sandlot templates list`)')
    .option('--folder <path>', "a folder on this machine: its files are copied into /app (settings from its template.json, package.json or .devcontainer)")
    .option('--mount', 'with --folder: bind-mount the folder at /app instead of copying it, so edits on either side are the same files (node_modules stays in a volume; local engines only)')
    .option('--git <url>', 'a repository, cloned with your own git and credentials (https://…, ssh://…, git@host:path); .git included')
    .option('--branch <name>', 'the branch or tag of --git to check out (default: the repository\'s default branch)')
    .option('-e, --env <NAME=value>', 'an environment variable for the app, its install, exec and terminals (repeatable)', collect, [])
    .option('--env-file <file>', 'environment variables from a file, one NAME=value a line (repeatable)', collect, [])
    .option('--memory <size>', 'memory limit, e.g. 2g or 512m (default: the template\'s, else 4g)', memorySize)
    .option('--cpus <n>', 'CPU limit, e.g. 1.5 (default: the template\'s, else 2)', cpuCount)
    .option('--start <command>', 'the command that runs the app (instead of the source\'s)')
    .option('--port <n>', 'the port the app listens on; the preview forwards to it and the app gets it as PORT', portNumber)
    .option('--idle-stop <minutes>', 'stop this workspace after so many minutes unused (instead of the workspaces.idleStopMinutes setting); 0 or never: never', (value) => idleMinutes(value))
}

/** The create call's parameters; a source other than exactly one, or a --branch without --git, is bad usage. */
export function createParams(options: CreateOptions): CreateWorkspaceParams {
  const sources = [options.template && '--template', options.folder && '--folder', options.git && '--git'].filter(Boolean)
  if (sources.length !== 1) {
    throw new SandlotError('BAD_USAGE', sources.length === 0 ? 'Say what to create the workspace from.' : `Give one source, not ${sources.join(' and ')}.`, 'Use one of --template ID, --folder PATH or --git URL.')
  }
  if (options.mount && options.folder === undefined) throw new SandlotError('BAD_USAGE', '--mount goes with --folder.', 'For example: `sandlot create --folder . --mount`.')
  if (options.branch !== undefined && options.git === undefined) throw new SandlotError('BAD_USAGE', '--branch goes with --git.', 'For example: `sandlot create --git https://github.com/owner/repo --branch dev`.')
  const env: Record<string, string> = {}
  for (const file of options.envFile) Object.assign(env, parseEnvFile(readEnvFile(file), file))
  for (const assignment of options.env) {
    const parsed = parseEnvAssignment(assignment)
    if ('problem' in parsed) throw new SandlotError('BAD_USAGE', `--env ${parsed.problem}.`, 'Write --env NAME=value.')
    env[parsed.name] = parsed.value
  }
  const limits = { ...(options.memory === undefined ? {} : { memoryMb: options.memory }), ...(options.cpus === undefined ? {} : { cpus: options.cpus }) }
  return {
    ...(options.template ? { template: options.template } : {}),
    // The core may run with another working folder (a server): the path is made absolute here.
    ...(options.folder ? { folder: resolve(options.folder) } : {}),
    ...(options.mount ? { mount: true } : {}),
    ...(options.git ? { git: { url: options.git, ...(options.branch === undefined ? {} : { branch: options.branch }) } } : {}),
    ...(options.name ? { name: options.name } : {}),
    ...(options.replace ? { replace: true } : {}),
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
    ...(options.start === undefined ? {} : { start: options.start }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.idleStop === undefined ? {} : { idleStopMinutes: options.idleStop })
  }
}

function readEnvFile(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new SandlotError('BAD_USAGE', `Cannot read the environment file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, 'Give the path of a readable file.')
  }
}

/** `2g`, `512m`, `1.5g` or a number of megabytes, as megabytes. */
export function memorySize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([mg])?b?$/i.exec(value.trim())
  const mb = match ? Math.round(Number(match[1]) * (match[2]?.toLowerCase() === 'g' ? 1024 : 1)) : NaN
  // The range is the template schema's (so a CLI limit and a template.json limit agree); the words are the CLI's.
  if (!TemplateLimits.shape.memoryMb.safeParse(mb).success) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a memory size from 128m to 64g (e.g. 2g or 512m).`)
  return mb
}

function cpuCount(value: string): number {
  const cpus = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !TemplateLimits.shape.cpus.safeParse(cpus).success) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a number of CPUs from 0.25 to 64.`)
  return cpus
}

/** `--idle-stop` of create and update: whole minutes in the contract's range, or `never` (0). */
function idleMinutes(value: string, also = 'or `never`'): number {
  if (value.trim().toLowerCase() === 'never') return 0
  const minutes = Number(value)
  if (!/^\d+$/.test(value.trim()) || !IdleStopMinutes.safeParse(minutes).success) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a number of minutes from 0 (never) to 10080 (a week), ${also}.`)
  return minutes
}

/**
 * `sandlot update --idle-stop`: what `create --idle-stop` takes, or `setting` (follow the setting again; a word, as
 * commander turns an option parsed to null into '').
 */
export function idleStopChange(value: string): number | 'setting' {
  return value.trim().toLowerCase() === 'setting' ? 'setting' : idleMinutes(value, '`never` or `setting`')
}

function portNumber(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value.trim()) || port < 1 || port > 65_535) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a port number from 1 to 65535.`)
  return port
}
