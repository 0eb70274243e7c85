import { resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { z } from 'zod'
import { ERROR_BUFFER_ENTRIES, LOG_BUFFER_LINES, type ControlRequestInput } from './control-protocol'
import { EnvName, ProcessSpec, RestartPolicyName, type ProcessSpecInput } from './protocol'

export const USAGE = `Usage: monitor-cli <command> [options]

Commands:
  process start --command CMD [options]   run CMD (replacing the current app) and keep it running
  process stop                            stop the app (it stays stopped across container restarts)
  process restart                         stop and start the app again with a fresh restart budget
  process status                          state, pid, restarts, last exit
  logs tail [-n N]                        the last N output lines (default 100, at most ${LOG_BUFFER_LINES})
  errors [-n N]                           recent distinct errors, newest first (default 50, at most ${ERROR_BUFFER_ENTRIES})
  health                                  exit 0 when the monitor answers and the app is neither "failed" nor "unhealthy"

Options of process start:
  -c, --command CMD        shell command, run with bash -c in its own process group (required)
  --cwd DIR                working directory (default: the current directory)
  --port N                 the app's port: readiness and health checks connect to it
  --ready-pattern REGEX    output that means ready (case-insensitive; default: Vite, Next.js, "listening on", …)
  --no-ready-pattern       readiness by port only
  -e, --env KEY=VALUE      environment variable for the app (repeatable)
  --restart POLICY         on-failure (default) | always | never
  --max-restarts N         give up after N automatic restarts within the window (default 5)
  --restart-window DUR     the window for --max-restarts (default 60s)
  --backoff-initial DUR    first restart delay (default 1s)
  --backoff-factor F       delay multiplier per attempt (default 2)
  --backoff-max DUR        longest delay (default 30s)
  --backoff-jitter F       random spread of each delay, 0..1 (default 0.2)
  --stable-after DUR       a run this long resets the backoff (default 30s)
  --startup-grace DUR      time to become ready before the state reads "running" (default 60s)
  --health-interval DUR    port check interval once ready (default 5s)
  --health-timeout DUR     port check timeout (default 2s)
  --health-failures N      failed checks in a row that make the app "unhealthy" (default 2)
  --health-restart N       restart the app after N failed checks in a row (default: never)
  --preview-host NAME      another Host name the preview answers (repeatable): name, *.suffix, IP, or *
  --stop-timeout DUR       SIGTERM, then SIGKILL after this long (default 5s)

Every command takes --json (stdout: exactly one JSON document) and --help.
Durations: 500ms, 5s, 2m, 1h. Exit codes: 0 ok, 1 failed or monitor unreachable, 2 bad usage.
The socket is $SANDLOT_MONITOR_SOCKET (default /run/sandlot/monitor.sock; only root, the monitor's user, may use it).
A monitor still starting is waited for up to 10s ($SANDLOT_MONITOR_WAIT_MS), except by health.
`

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export type CliCommand = { kind: 'help' } | { kind: 'request'; request: ControlRequestInput; json: boolean }

const COMMON = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } satisfies ParseArgsConfig['options']
const COUNT = { ...COMMON, lines: { type: 'string', short: 'n' } } satisfies ParseArgsConfig['options']
const START = {
  ...COMMON,
  command: { type: 'string', short: 'c' },
  cwd: { type: 'string' },
  port: { type: 'string' },
  'ready-pattern': { type: 'string' },
  'no-ready-pattern': { type: 'boolean' },
  env: { type: 'string', short: 'e', multiple: true },
  restart: { type: 'string' },
  'max-restarts': { type: 'string' },
  'restart-window': { type: 'string' },
  'backoff-initial': { type: 'string' },
  'backoff-factor': { type: 'string' },
  'backoff-max': { type: 'string' },
  'backoff-jitter': { type: 'string' },
  'stable-after': { type: 'string' },
  'startup-grace': { type: 'string' },
  'health-interval': { type: 'string' },
  'health-timeout': { type: 'string' },
  'health-failures': { type: 'string' },
  'health-restart': { type: 'string' },
  'preview-host': { type: 'string', multiple: true },
  'stop-timeout': { type: 'string' }
} satisfies ParseArgsConfig['options']

/** Parses monitor-cli's arguments; throws UsageError for anything it cannot run. */
export function parseCliArgs(argv: string[], cwd: string): CliCommand {
  const [group, verb] = argv
  if (group === undefined || group === 'help' || group === '--help' || group === '-h') return { kind: 'help' }
  if (group === 'process' && verb === 'start') {
    const { values } = parse(argv.slice(2), START)
    if (values.help) return { kind: 'help' }
    return { kind: 'request', request: { op: 'process.start', spec: startSpec(values, cwd) }, json: values.json === true }
  }
  if (group === 'process' && (verb === 'stop' || verb === 'restart' || verb === 'status')) {
    const { values } = parse(argv.slice(2), COMMON)
    if (values.help) return { kind: 'help' }
    return { kind: 'request', request: { op: `process.${verb}` }, json: values.json === true }
  }
  if (group === 'process') throw new UsageError(`process needs start, stop, restart or status${verb ? `, not "${verb}"` : ''}`)
  if (group === 'logs' && verb === 'tail') {
    const { values } = parse(argv.slice(2), COUNT)
    if (values.help) return { kind: 'help' }
    const lines = values.lines === undefined ? undefined : count(values.lines, '-n', LOG_BUFFER_LINES)
    return { kind: 'request', request: { op: 'logs.tail', ...(lines ? { lines } : {}) }, json: values.json === true }
  }
  if (group === 'logs') throw new UsageError(`logs needs tail${verb ? `, not "${verb}"` : ''}`)
  if (group === 'errors') {
    const { values } = parse(argv.slice(1), COUNT)
    if (values.help) return { kind: 'help' }
    const limit = values.lines === undefined ? undefined : count(values.lines, '-n', ERROR_BUFFER_ENTRIES)
    return { kind: 'request', request: { op: 'errors.list', ...(limit ? { limit } : {}) }, json: values.json === true }
  }
  if (group === 'health') {
    const { values } = parse(argv.slice(1), COMMON)
    if (values.help) return { kind: 'help' }
    return { kind: 'request', request: { op: 'health' }, json: values.json === true }
  }
  throw new UsageError(`unknown command "${group}"`)
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: true })
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`)
    return parsed
  } catch (error) {
    if (error instanceof UsageError) throw error
    // parseArgs reports unknown options and missing values as TypeErrors with ERR_PARSE_ARGS_* codes.
    throw new UsageError((error as Error).message)
  }
}

type StartValues = ReturnType<typeof parse<typeof START>>['values']

function startSpec(values: StartValues, cwd: string): ProcessSpec {
  if (!values.command) throw new UsageError('process start needs --command')
  if (values['ready-pattern'] !== undefined && values['no-ready-pattern']) {
    throw new UsageError('--ready-pattern and --no-ready-pattern exclude each other')
  }
  const restart: NonNullable<ProcessSpecInput['restart']> = {}
  const readiness: NonNullable<ProcessSpecInput['readiness']> = {}
  const health: NonNullable<ProcessSpecInput['health']> = {}
  const input: ProcessSpecInput = { command: values.command, cwd: resolve(cwd, values.cwd ?? '.'), restart, readiness, health }
  if (values.port !== undefined) input.port = integer(values.port, '--port')
  if (values['ready-pattern'] !== undefined) input.readyPattern = values['ready-pattern']
  if (values['no-ready-pattern']) input.readyPattern = null
  if (values.env) input.env = Object.fromEntries(values.env.map(envPair))
  if (values.restart !== undefined) {
    const policy = RestartPolicyName.safeParse(values.restart)
    if (!policy.success) throw new UsageError(`--restart must be ${RestartPolicyName.options.join(', ')}, got "${values.restart}"`)
    restart.policy = policy.data
  }
  if (values['max-restarts'] !== undefined) restart.maxRestarts = integer(values['max-restarts'], '--max-restarts')
  if (values['restart-window'] !== undefined) restart.windowMs = duration(values['restart-window'], '--restart-window')
  if (values['backoff-initial'] !== undefined) restart.initialDelayMs = duration(values['backoff-initial'], '--backoff-initial')
  if (values['backoff-factor'] !== undefined) restart.factor = decimal(values['backoff-factor'], '--backoff-factor')
  if (values['backoff-max'] !== undefined) restart.maxDelayMs = duration(values['backoff-max'], '--backoff-max')
  if (values['backoff-jitter'] !== undefined) restart.jitter = decimal(values['backoff-jitter'], '--backoff-jitter')
  if (values['stable-after'] !== undefined) restart.stableAfterMs = duration(values['stable-after'], '--stable-after')
  if (values['startup-grace'] !== undefined) readiness.startupGraceMs = duration(values['startup-grace'], '--startup-grace')
  if (values['health-interval'] !== undefined) health.intervalMs = duration(values['health-interval'], '--health-interval')
  if (values['health-timeout'] !== undefined) health.timeoutMs = duration(values['health-timeout'], '--health-timeout')
  if (values['health-failures'] !== undefined) health.failureThreshold = integer(values['health-failures'], '--health-failures')
  if (values['health-restart'] !== undefined) health.restartAfterFailures = integer(values['health-restart'], '--health-restart')
  if (values['preview-host']) input.previewHosts = values['preview-host']
  if (values['stop-timeout'] !== undefined) input.stopTimeoutMs = duration(values['stop-timeout'], '--stop-timeout')
  const parsed = ProcessSpec.safeParse(input)
  if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error))
  return parsed.data
}

function envPair(pair: string): [string, string] {
  const equals = pair.indexOf('=')
  if (equals <= 0) throw new UsageError(`--env needs KEY=VALUE, got "${pair}"`)
  const key = pair.slice(0, equals)
  if (!EnvName.safeParse(key).success) throw new UsageError(`--env: "${key}" is not a variable name (environment variable names are letters, digits and _)`)
  return [key, pair.slice(equals + 1)]
}

function integer(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} needs a whole number, got "${value}"`)
  return Number(value)
}

function count(value: string, flag: string, max: number): number {
  const n = integer(value, flag)
  if (n < 1 || n > max) throw new UsageError(`${flag} must be between 1 and ${max}, got ${n}`)
  return n
}

function decimal(value: string, flag: string): number {
  if (!/^\d+(?:\.\d+)?$/.test(value)) throw new UsageError(`${flag} needs a number, got "${value}"`)
  return Number(value)
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const

/** "500ms", "1.5s", "2m", "1h" → milliseconds. A bare number is refused: "5" could mean either. */
export function duration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value)
  if (!match) throw new UsageError(`${flag} needs a duration such as 500ms, 5s or 2m, got "${value}"`)
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS])
}
