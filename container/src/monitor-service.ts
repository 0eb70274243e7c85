import { appEnvironment, type AppIdentity } from './app-user'
import { systemClock, type Clock, type Random } from './clock'
import type { MonitorConfig } from './config'
import { ControlSocket, type ControlHandler } from './control-socket'
import { ERROR_BUFFER_ENTRIES, LOG_BUFFER_LINES, type ControlRequest } from './control-protocol'
import { ErrorRegistry } from './error-registry'
import { OutputPipeline } from './output-pipeline'
import { procPortFinder, type PortFinder } from './port-discovery'
import { probeLocalPort, type PortProbe } from './port-probe'
import { PreviewForwarder, type PreviewTarget } from './preview-forwarder'
import type { LogRecord } from './protocol'
import { RecordWriter } from './record-writer'
import { RingBuffer } from './ring-buffer'
import { SpecStore } from './spec-store'
import { Supervisor } from './supervisor'

/** Lines longer than this are cut (and marked) in records and buffers. */
const MAX_LINE_LENGTH = 16 * 1024
const GROUP_FLUSH_MS = 150
const GROUP_MAX_LINES = 200
/** Retries of a preview port that another process holds. */
const PREVIEW_RETRY_MS = 3000

export interface MonitorDeps {
  config: MonitorConfig
  /** The record stream (process.stdout in the container). */
  stdout: { write(chunk: string): unknown }
  /** Diagnostics (stderr). */
  log: (message: string) => void
  env: NodeJS.ProcessEnv
  /** Who runs the app (app-user.ts); default: the monitor's own user. */
  identity?: AppIdentity
  cwd: string
  clock?: Clock
  random?: Random
  probe?: PortProbe
  /** How the port of an app whose spec names none is found; default: its listening sockets in /proc. */
  findPort?: PortFinder
}

export interface MonitorCore {
  records: RecordWriter
  supervisor: Supervisor
  /** The preview port's forwarder; not listening until started (startMonitor does). */
  preview: PreviewForwarder
  /** Answers one validated control request. */
  handle: ControlHandler
}

/** Everything but the socket: records, buffers, supervisor and the request dispatcher. */
export function createMonitorCore(deps: MonitorDeps): MonitorCore {
  const clock = deps.clock ?? systemClock
  const identity: AppIdentity = deps.identity ?? { kind: 'same-user' }
  const records = new RecordWriter(deps.stdout, clock)
  const logs = new RingBuffer<LogRecord>(LOG_BUFFER_LINES)
  const errors = new ErrorRegistry(ERROR_BUFFER_ENTRIES)
  const output = new OutputPipeline({ records, clock, logs, errors, groupFlushMs: GROUP_FLUSH_MS, groupMaxLines: GROUP_MAX_LINES })
  const preview: PreviewForwarder = new PreviewForwarder({
    port: deps.config.previewPort,
    target: (): PreviewTarget => supervisor.previewTarget(),
    clock,
    log: deps.log,
    retryMs: PREVIEW_RETRY_MS
  })
  const supervisor: Supervisor = new Supervisor({
    clock,
    random: deps.random ?? Math.random,
    records,
    output,
    specStore: new SpecStore(deps.config.specPath),
    probe: deps.probe ?? probeLocalPort,
    findPort: deps.findPort ?? procPortFinder(identity.kind === 'switch' ? identity.user : undefined),
    log: deps.log,
    defaultCwd: deps.cwd,
    baseEnv: appEnvironment(deps.env, identity),
    ...(identity.kind === 'switch' ? { appUser: identity.user } : {}),
    maxLineLength: MAX_LINE_LENGTH,
    preview
  })
  const handle = async (request: ControlRequest): Promise<unknown> => {
    switch (request.op) {
      case 'process.start':
        return supervisor.start(request.spec)
      case 'process.stop':
        return supervisor.stop()
      case 'process.restart':
        return supervisor.restart()
      case 'process.status':
        return supervisor.status()
      case 'logs.tail':
        return { lines: logs.last(request.lines), capacity: logs.capacity }
      case 'errors.list':
        return { errors: errors.list(request.limit), distinct: errors.size, capacity: errors.capacity }
      case 'health': {
        const { state, reason } = supervisor.status()
        return { healthy: state !== 'failed' && state !== 'unhealthy', state, reason }
      }
    }
  }
  return { records, supervisor, preview, handle }
}

export interface RunningMonitor {
  boot: string
  supervisor: Supervisor
  preview: PreviewForwarder
  /** Closes the socket and the preview port, stops the app gracefully, writes the final state record. */
  shutdown(why: string): Promise<void>
}

/** The whole monitor: the core, its boot (resuming a saved spec), the control socket and the preview port. */
export async function startMonitor(deps: MonitorDeps): Promise<RunningMonitor> {
  const { records, supervisor, preview, handle } = createMonitorCore(deps)
  // Requests wait until the boot is queued, so its first record precedes anything a request causes;
  // the socket opens first so that a second monitor fails before it resumes (and doubles) the app.
  let openGate!: () => void
  const gate = new Promise<void>((resolve) => (openGate = resolve))
  const socket = await ControlSocket.listen(
    deps.config.socketPath,
    async (request) => {
      await gate
      return handle(request)
    },
    deps.log
  )
  // Bound before the app resumes, so an app that happens to use the preview port cannot take it first.
  // A port that is taken does not stop the monitor: the forwarder says so on stderr and keeps trying.
  await preview.start()
  const booted = supervisor.boot()
  openGate()
  await booted
  return {
    boot: records.boot,
    supervisor,
    preview,
    async shutdown(why) {
      await socket.close()
      await preview.close()
      await supervisor.shutdown(why)
    }
  }
}
