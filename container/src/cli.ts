import { parseCliArgs, USAGE, UsageError } from './cli-args'
import { MonitorRequestError, MonitorUnreachableError, sendControlRequest, whileStarting } from './control-client'
import type { CliErrorDocument, ControlRequestInput, ControlResults, ErrorsResult, HealthResult, LogsResult, ProcessStatus } from './control-protocol'
import { DEFAULT_SOCKET_PATH } from './config'
import { formatStatus } from './status-text'

export interface CliIo {
  stdout: { write(chunk: string): unknown }
  stderr: { write(chunk: string): unknown }
  env: NodeJS.ProcessEnv
  cwd: string
}

/** Queries are answered at once; start, stop and restart wait for the app's stop timeout, so they get no limit. */
/** How long a request waits for a monitor that is still starting (SANDLOT_MONITOR_WAIT_MS overrides it). */
const MONITOR_STARTUP_WAIT_MS = 10_000
const QUERY_TIMEOUT_MS = 10_000

/** monitor-cli: returns the exit code (0 ok, 1 failed or unreachable, 2 bad usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json')
  let command
  try {
    command = parseCliArgs(argv, io.cwd)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`monitor-cli: ${error.message}\n\n${USAGE}`)
    if (json) writeError(io, { code: 'BAD_USAGE', message: error.message })
    return 2
  }
  if (command.kind === 'help') {
    io.stdout.write(USAGE)
    return 0
  }
  const socketPath = io.env.SANDLOT_MONITOR_SOCKET || DEFAULT_SOCKET_PATH
  const { request } = command
  const isQuery = !['process.start', 'process.stop', 'process.restart'].includes(request.op)
  let result: ControlResults[keyof ControlResults]
  try {
    // A request right after the container started (the host's create) waits for the monitor to come up; the
    // health check answers at once, as Docker's HEALTHCHECK expects.
    result = await whileStarting(
      () => sendControlRequest(socketPath, request, isQuery ? QUERY_TIMEOUT_MS : undefined),
      request.op === 'health' ? 0 : startupWait(io.env.SANDLOT_MONITOR_WAIT_MS)
    )
  } catch (error) {
    if (error instanceof MonitorUnreachableError) {
      const hint =
        error.detail === 'EACCES'
          ? "only the monitor's user (root in Sandlot's containers) may use its socket, so the app cannot control it: " +
            'from the host, use `sandlot process …`; inside, `docker exec -u root`'
          : 'is this a Sandlot container, and is sandlot-monitor its main process? (SANDLOT_MONITOR_SOCKET names another socket)'
      io.stderr.write(`monitor-cli: ${error.message}\n  ${hint}\n`)
      if (command.json) writeError(io, { code: 'MONITOR_UNREACHABLE', message: error.message, hint })
      return 1
    }
    if (error instanceof MonitorRequestError) {
      io.stderr.write(`monitor-cli: ${error.message}\n`)
      if (command.json) writeError(io, { code: error.code, message: error.message })
      return 1
    }
    throw error
  }
  if (command.json) io.stdout.write(JSON.stringify(result) + '\n')
  else io.stdout.write(formatResult(request, result))
  return request.op === 'health' && !(result as HealthResult).healthy ? 1 : 0
}

function writeError(io: CliIo, error: CliErrorDocument['error']): void {
  io.stdout.write(JSON.stringify({ error } satisfies CliErrorDocument) + '\n')
}

function formatResult(request: ControlRequestInput, result: unknown): string {
  switch (request.op) {
    case 'logs.tail':
      return (result as LogsResult).lines.map((record) => record.line + '\n').join('')
    case 'errors.list':
      return formatErrors(result as ErrorsResult)
    case 'health': {
      const health = result as HealthResult
      return `${health.healthy ? 'healthy' : 'unhealthy'}: ${health.state} (${health.reason})\n`
    }
    default:
      return formatStatus(result as ProcessStatus)
  }
}


function formatErrors(result: ErrorsResult): string {
  if (result.errors.length === 0) return 'no errors seen\n'
  return result.errors
    .map((e) => {
      const where = e.file ? `  ${e.file}${e.line !== undefined ? `:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : ''}` : ''
      return `${e.severity} ${e.category} ×${e.count} (last ${e.lastSeen})${where}\n  ${e.message}\n`
    })
    .join('')
}

function startupWait(value: string | undefined): number {
  const ms = Number(value)
  return value !== undefined && value !== '' && Number.isInteger(ms) && ms >= 0 ? ms : MONITOR_STARTUP_WAIT_MS
}
