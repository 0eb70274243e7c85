import { AppProcess, type ExitInfo } from './app-process'
import type { Clock, Random, Timer } from './clock'
import type { PreviewStatus, ProcessStatus } from './control-protocol'
import { HealthChecker } from './health-check'
import type { OutputPipeline } from './output-pipeline'
import type { PortFinder } from './port-discovery'
import type { PortProbe } from './port-probe'
import type { PreviewTarget } from './preview-forwarder'
import { toPublicSpec, type AppState, type ProcessSpec } from './protocol'
import { ReadinessWatcher, readyPatternFor, type ReadySignal } from './readiness'
import type { RecordWriter } from './record-writer'
import { RequestError } from './request-error'
import { RestartTracker } from './restart-policy'
import { specProblem } from './spec-problems'
import type { SpecStore } from './spec-store'

export interface SupervisorOptions {
  clock: Clock
  random: Random
  records: RecordWriter
  output: OutputPipeline
  specStore: SpecStore
  probe: PortProbe
  /** Finds the port of an app whose spec names none; left out, such an app gets no preview. */
  findPort?: PortFinder
  /** The monitor's diagnostics (stderr), never the record stream. */
  log: (message: string) => void
  /** Where the app runs when its spec names no cwd. */
  defaultCwd: string
  /** The environment the app inherits; the spec's env goes on top. */
  baseEnv: NodeJS.ProcessEnv
  /** The user the app runs as when it is not the monitor's own (app-user.ts). */
  appUser?: { name: string; uid: number; gid: number }
  maxLineLength: number
  /** The preview port: shown in the status; the app may not use it. */
  preview: PreviewInfo
}

export interface PreviewInfo {
  status(): PreviewStatus
  /** The port a spec may not name (null while unknown). */
  reservedPort(): number | null
}

/** One spawned run of the app and what watches it. */
interface Run {
  number: number
  app: AppProcess
  spec: ProcessSpec
  readiness: ReadinessWatcher | null
  health: HealthChecker | null
  graceTimer: Timer | null
  readyAt: number | null
  /** The port this run was found listening on, for a spec that names none. */
  foundPort: number | null
  /** The next look for that port. */
  discovery: Timer | null
  /** Set when the monitor itself ends the run, so its exit is no crash; `why` for an unhealthy one. */
  ending: { kind: 'stop' } | { kind: 'unhealthy'; why: string } | null
  /** Resolves when the run's exit has been fully handled. */
  settled: Promise<void>
}

/**
 * Supervises the one app process: its state machine, readiness, health checks, automatic
 * restarts and the spec on disk. Control operations (start, stop, restart, shutdown) run one at a
 * time in arrival order; exits, readiness and timers are events that check they still concern the
 * current run before they act.
 */
export class Supervisor {
  private state: AppState = 'idle'
  private reason = 'monitor started'
  private since: number
  private spec: ProcessSpec | null = null
  private current: Run | null = null
  private runs = 0
  /** Automatic restarts in this boot (after crashes, or unhealthy runs when the spec asks for it). */
  private automaticRestarts = 0
  private tracker: RestartTracker | null = null
  private backoff: { timer: Timer; at: number } | null = null
  private lastExit: (ExitInfo & { at: number }) | null = null
  private closing = false
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly options: SupervisorOptions) {
    this.since = options.clock.now()
  }

  /** Announces the boot and resumes the saved spec, if it was meant to be running. */
  boot(): Promise<void> {
    return this.enqueue(async () => {
      this.options.records.write({ type: 'state', from: null, to: 'idle', reason: `monitor started (pid ${process.pid})` })
      let stored
      try {
        stored = this.options.specStore.load()
      } catch (error) {
        this.options.log(`cannot resume the saved process spec: ${(error as Error).message}`)
        return
      }
      if (!stored) return
      this.spec = stored.spec
      this.options.records.write({ type: 'spec', source: 'resume', spec: toPublicSpec(stored.spec) })
      if (stored.desired === 'stopped') {
        this.transition('stopped', 'stopped on request before the monitor restarted')
        return
      }
      this.tracker = new RestartTracker(stored.spec.restart, this.options.random)
      await this.launch('resumed at monitor start')
    })
  }

  /** Runs a new spec, replacing the current app. */
  start(spec: ProcessSpec): Promise<ProcessStatus> {
    return this.enqueue(async () => {
      this.checkOpen()
      this.checkSpec(spec)
      this.options.specStore.save('running', spec)
      this.cancelBackoff()
      await this.endCurrent('replaced by a new process spec')
      this.spec = spec
      this.options.records.write({ type: 'spec', source: 'start', spec: toPublicSpec(spec) })
      this.tracker = new RestartTracker(spec.restart, this.options.random)
      await this.launch('start requested')
      return this.status()
    })
  }

  stop(): Promise<ProcessStatus> {
    return this.enqueue(async () => {
      this.checkOpen()
      if (!this.spec) return this.status()
      this.cancelBackoff()
      this.options.specStore.save('stopped', this.spec)
      await this.endCurrent('stop requested')
      if (this.state !== 'stopped') this.transition('stopped', 'stop requested')
      return this.status()
    })
  }

  /** Stops and starts the current spec with a fresh restart budget (also after "failed"). */
  restart(): Promise<ProcessStatus> {
    return this.enqueue(async () => {
      this.checkOpen()
      const spec = this.spec
      if (!spec) throw new RequestError('CONFLICT', 'there is no process to restart: start one first (monitor-cli process start --command …)')
      this.checkSpec(spec)
      this.options.specStore.save('running', spec)
      this.cancelBackoff()
      await this.endCurrent('restart requested')
      this.tracker = new RestartTracker(spec.restart, this.options.random)
      await this.launch('restart requested')
      return this.status()
    })
  }

  /**
   * Stops the app for the monitor's own exit and writes the boot's final state record. The spec
   * on disk keeps saying "running", so the next monitor start resumes the app.
   */
  shutdown(why: string): Promise<void> {
    return this.enqueue(async () => {
      if (this.closing) return
      this.closing = true
      this.cancelBackoff()
      await this.endCurrent(`monitor shutting down (${why})`)
      this.transition('stopped', `monitor shut down (${why})`)
    })
  }

  status(): ProcessStatus {
    const now = this.options.clock.now()
    const run = this.current
    return {
      boot: this.options.records.boot,
      state: this.state,
      reason: this.reason,
      since: iso(this.since),
      spec: this.spec ? toPublicSpec(this.spec) : null,
      run: this.runs,
      pid: run?.app.pid ?? null,
      startedAt: run ? iso(run.app.startedAt) : null,
      readyAt: run?.readyAt != null ? iso(run.readyAt) : null,
      restarts: {
        attempt: this.tracker?.currentAttempt ?? 0,
        inWindow: this.tracker?.inWindow(now) ?? 0,
        nextAt: this.backoff ? iso(this.backoff.at) : null,
        total: this.automaticRestarts
      },
      lastExit: this.lastExit
        ? { exitCode: this.lastExit.exitCode, signal: this.lastExit.signal, uptimeMs: this.lastExit.uptimeMs, at: iso(this.lastExit.at) }
        : null,
      appPort: this.spec?.port !== undefined ? { port: this.spec.port, source: 'spec' } : run?.foundPort != null ? { port: run.foundPort, source: 'found' } : null,
      health: {
        consecutiveFailures: run?.health?.consecutiveFailures ?? 0,
        lastCheckAt: run?.health?.lastCheckAt != null ? iso(run.health.lastCheckAt) : null
      },
      preview: this.options.preview.status()
    }
  }

  /** Where the preview port forwards a new connection: the current spec's port and Host names, and the state to explain a refusal. */
  previewTarget(): PreviewTarget {
    return { port: this.spec?.port ?? this.current?.foundPort ?? undefined, hosts: this.spec?.previewHosts ?? [], state: this.state, reason: this.reason }
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation)
    this.queue = result.catch(() => undefined)
    return result
  }

  private checkOpen(): void {
    if (this.closing) throw new RequestError('CONFLICT', 'the monitor is shutting down')
  }

  private checkSpec(spec: ProcessSpec): void {
    const problem = this.specProblem(spec)
    if (problem) throw new RequestError('BAD_REQUEST', problem)
  }

  private specProblem(spec: ProcessSpec): string | null {
    return specProblem(spec, { reservedPort: this.options.preview.reservedPort(), defaultCwd: this.options.defaultCwd })
  }

  private async launch(reason: string): Promise<void> {
    const spec = this.spec!
    const problem = this.specProblem(spec)
    if (problem) {
      this.transition('failed', problem)
      return
    }
    const number = ++this.runs
    this.options.output.beginRun(number)
    let run: Run | undefined
    let app: AppProcess
    try {
      app = await AppProcess.start({
        command: spec.command,
        cwd: spec.cwd ?? this.options.defaultCwd,
        env: { ...this.options.baseEnv, ...spec.env },
        ...(this.options.appUser ? { user: this.options.appUser } : {}),
        clock: this.options.clock,
        stopTimeoutMs: spec.stopTimeoutMs,
        maxLineLength: this.options.maxLineLength,
        onLine: (stream, line, truncated) => {
          this.options.output.line(stream, line, truncated)
          run?.readiness?.line(line)
        }
      })
    } catch (error) {
      // The shell itself could not start: retrying cannot help until something changes.
      const user = this.options.appUser
      const asUser = user && (error as NodeJS.ErrnoException).code === 'EPERM' ? ` (as ${user.name}: the monitor needs CAP_SETUID and CAP_SETGID)` : ''
      this.transition('failed', `could not start the command: ${(error as Error).message}${asUser}`)
      return
    }
    run = { number, app, spec, readiness: null, health: null, graceTimer: null, readyAt: null, foundPort: null, discovery: null, ending: null, settled: Promise.resolve() }
    const started = run
    this.current = run
    run.settled = app.exited.then((info) => this.onExit(started, info))
    this.transition('starting', reason, app.pid)
    this.watchReadiness(run)
  }

  private watchReadiness(run: Run): void {
    const { spec } = run
    const pattern = readyPatternFor(spec)
    if (spec.port === undefined) this.lookForPort(run, spec.readiness.pollIntervalMs)
    if (spec.port === undefined && pattern === null) {
      this.transition('running', 'started; no readiness check configured')
      return
    }
    run.readiness = new ReadinessWatcher({
      clock: this.options.clock,
      probe: this.options.probe,
      port: spec.port,
      pattern,
      pollIntervalMs: spec.readiness.pollIntervalMs,
      probeTimeoutMs: spec.health.timeoutMs,
      onReady: (signal) => this.onReady(run, signal)
    })
    run.readiness.start()
    run.graceTimer = this.options.clock.setTimer(spec.readiness.startupGraceMs, () => {
      if (this.current !== run || this.state !== 'starting') return
      const waitingFor = [spec.port !== undefined ? `port ${spec.port}` : null, pattern ? 'the ready pattern' : null].filter(Boolean).join(' or ')
      this.transition('running', `not ready after ${spec.readiness.startupGraceMs} ms; still waiting for ${waitingFor}`)
    })
  }

  private onReady(run: Run, signal: ReadySignal): void {
    if (this.current !== run || run.ending) return
    run.graceTimer?.cancel()
    const now = this.options.clock.now()
    run.readyAt = now
    const elapsedMs = Math.max(0, now - run.app.startedAt)
    if (signal.via === 'port') {
      this.transition('ready', `port ${signal.port} answered`)
      this.options.records.write({ type: 'ready', via: 'port', port: signal.port, elapsedMs, run: run.number })
    } else {
      this.transition('ready', 'output matched the ready pattern')
      this.options.records.write({ type: 'ready', via: 'pattern', line: signal.line, elapsedMs, run: run.number })
    }
    const port = run.spec.port ?? run.foundPort
    if (port !== null) this.watchHealth(run, port)
  }

  /**
   * For a spec without a port: looks for the port the app listens on, often while it starts, then at the health
   * interval (an app may open its port long after it printed it was ready). The first found is the run's.
   */
  private lookForPort(run: Run, delayMs: number): void {
    const find = this.options.findPort
    if (!find) return
    run.discovery = this.options.clock.setTimer(delayMs, () => {
      run.discovery = null
      const stillLooking = () => this.current === run && !run.ending
      const next = () => {
        const starting = this.options.clock.now() - run.app.startedAt < run.spec.readiness.startupGraceMs
        if (stillLooking()) this.lookForPort(run, starting ? run.spec.readiness.pollIntervalMs : run.spec.health.intervalMs)
      }
      find(run.app.pid, this.options.preview.reservedPort()).then(
        (port) => {
          if (!stillLooking()) return
          if (port === undefined) next()
          else this.onPortFound(run, port)
        },
        (error: Error) => {
          this.options.log(`looking for the app's port: ${error.message}`)
          next()
        }
      )
    })
  }

  private onPortFound(run: Run, port: number): void {
    run.foundPort = port
    this.options.records.write({ type: 'port', port, run: run.number })
    if (this.state === 'starting' || this.state === 'running') {
      run.readiness?.stop()
      this.onReady(run, { via: 'port', port })
    } else if (this.state === 'ready' && !run.health) {
      this.watchHealth(run, port)
    }
  }

  private watchHealth(run: Run, port: number): void {
    const { health } = run.spec
    const current = () => this.current === run && !run.ending
    run.health = new HealthChecker({
      clock: this.options.clock,
      probe: this.options.probe,
      port,
      intervalMs: health.intervalMs,
      timeoutMs: health.timeoutMs,
      failureThreshold: health.failureThreshold,
      restartAfterFailures: health.restartAfterFailures,
      // One `health` record when the app turns unhealthy and one when it answers again: never one per check.
      onUnhealthy: (failures) => {
        if (this.current === run) this.options.records.write({ type: 'health', ok: false, port, consecutiveFailures: failures, run: run.number })
        if (current() && this.state === 'ready') this.transition('unhealthy', `port ${port} did not answer ${failures} health checks in a row`)
      },
      onRecovered: () => {
        if (this.current === run) this.options.records.write({ type: 'health', ok: true, port, consecutiveFailures: 0, run: run.number })
        if (current() && this.state === 'unhealthy') this.transition('ready', `port ${port} answers again`)
      },
      onRestartDue: (failures) => void this.replaceUnhealthy(run, `port ${port} did not answer ${failures} health checks in a row`)
    })
    run.health.start()
  }

  private replaceUnhealthy(run: Run, why: string): Promise<void> {
    return this.enqueue(async () => {
      if (this.current !== run || run.ending) return
      run.ending = { kind: 'unhealthy', why: `unhealthy: ${why}` }
      this.transition('stopping', run.ending.why)
      await run.app.terminate()
      await run.settled
    })
  }

  private onExit(run: Run, info: ExitInfo): void {
    run.readiness?.stop()
    run.health?.stop()
    run.graceTimer?.cancel()
    run.discovery?.cancel()
    // Classify what the app printed last before reporting its end: the crash record names it.
    const lastError = this.options.output.endRun()
    const now = this.options.clock.now()
    this.lastExit = { ...info, at: now }
    if (this.current === run) this.current = null
    if (run.ending?.kind === 'stop') return
    if (run.ending?.kind === 'unhealthy') {
      this.afterUnexpectedEnd(info.uptimeMs, run.ending.why)
      return
    }
    const cause = describeExit(info)
    if (info.exitCode === 0 && run.spec.restart.policy !== 'always') {
      this.transition('stopped', cause)
      return
    }
    if (info.exitCode !== 0) {
      this.transition('crashed', cause)
      this.options.records.write({
        type: 'crash',
        exitCode: info.exitCode,
        signal: info.signal,
        uptimeMs: info.uptimeMs,
        run: run.number,
        ...(lastError ? { lastError: { fingerprint: lastError.fingerprint, category: lastError.category, message: lastError.message } } : {})
      })
    }
    this.afterUnexpectedEnd(info.uptimeMs, cause)
  }

  private afterUnexpectedEnd(uptimeMs: number, cause: string): void {
    const decision = this.tracker!.next(this.options.clock.now(), uptimeMs, cause)
    if (!decision.restart) {
      this.transition('failed', decision.reason)
      return
    }
    const { attempt, delayMs } = decision
    this.transition('backing-off', `${cause}; restarting in ${delayMs} ms (attempt ${attempt})`)
    this.options.records.write({ type: 'restart', attempt, delayMs, reason: cause })
    const timer = this.options.clock.setTimer(delayMs, () => {
      void this.enqueue(async () => {
        if (this.backoff?.timer !== timer) return // cancelled by a request in the meantime
        this.backoff = null
        this.automaticRestarts++
        await this.launch(`automatic restart (attempt ${attempt})`)
      })
    })
    this.backoff = { timer, at: this.options.clock.now() + delayMs }
  }

  private cancelBackoff(): void {
    this.backoff?.timer.cancel()
    this.backoff = null
  }

  private async endCurrent(reason: string): Promise<void> {
    const run = this.current
    if (!run) return
    run.ending = { kind: 'stop' }
    this.transition('stopping', reason)
    await run.app.terminate()
    await run.settled
  }

  private transition(to: AppState, reason: string, pid?: number): void {
    const from = this.state
    this.state = to
    this.reason = reason
    this.since = this.options.clock.now()
    this.options.records.write({
      type: 'state',
      from,
      to,
      reason,
      ...(this.runs > 0 ? { run: this.runs } : {}),
      ...(pid !== undefined ? { pid } : {})
    })
  }
}

function describeExit(info: ExitInfo): string {
  return info.signal ? `killed by ${info.signal}` : `exited with code ${info.exitCode}`
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}
