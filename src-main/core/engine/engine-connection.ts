import type { Agent } from 'node:https'
import Dockerode from 'dockerode'
import { z } from 'zod'
import type { EngineEndpoint, EngineServerInfo, EngineStatus } from '../contract'
import { backoffDelay, DEFAULT_BACKOFF, type Backoff } from './backoff'
import { systemClock, type Clock } from './clock'
import { toDockerodeOptions } from './dockerode-options'
import { refuseEngineRedirects } from './modem-redirects'
import { engineApi, type EngineApi, type EngineStream } from './engine-api'
import { describeEngineError, type EngineProblem } from './engine-problem'

export interface EngineConnectionOptions {
  backoff?: Partial<Backoff>
  /** While connected, how often to ping as well: a silent TCP or SSH peer can leave the events stream open but dead. */
  pingIntervalMs?: number
  /** How long one ping or version call may take before the engine counts as unreachable. */
  requestTimeoutMs?: number
  clock?: Clock
  random?: () => number
  /** A ready client instead of one built from the endpoint (unit tests pass a fake engine). */
  docker?: Dockerode
}

export type EngineStatusListener = (status: EngineStatus) => void

/** What a one-shot check can find: an answer or a problem, never "still connecting". */
export type EngineCheckResult = Exclude<EngineStatus, { state: 'connecting' }>

type ProbeResult = { ok: true; server: EngineServerInfo } | { ok: false; problem: EngineProblem }

const VersionAnswer = z.object({
  Version: z.string(),
  ApiVersion: z.string(),
  Os: z.string(),
  Arch: z.string(),
  Platform: z.object({ Name: z.string() }).optional()
})

/**
 * One Docker engine: a one-shot `check()`, or `watch()` to follow it in the background. While connected, a
 * long-lived events stream is the liveness signal (it ends when the engine goes away) with a periodic ping as
 * fallback; once the engine is gone, reconnects with exponential backoff until it answers again.
 */
export class EngineConnection {
  readonly endpoint: EngineEndpoint
  readonly #docker: Dockerode
  readonly #api: EngineApi
  readonly #tlsAgent: Agent | undefined
  readonly #backoff: Backoff
  readonly #clock: Clock
  readonly #random: () => number
  readonly #pingIntervalMs: number
  readonly #requestTimeoutMs: number
  readonly #listeners = new Set<EngineStatusListener>()
  readonly #inFlight = new Set<AbortController>()
  #status: EngineStatus
  #watching = false
  #closed = false
  /** Bumped when a connected session ends, so late callbacks of an older session do nothing. */
  #session = 0
  #attempt = 0
  #retryTimer: unknown
  #pingTimer: unknown
  #liveness: EngineStream | undefined
  #livenessOpening = false

  constructor(endpoint: EngineEndpoint, options: EngineConnectionOptions = {}) {
    this.endpoint = endpoint
    if (options.docker === undefined) {
      refuseEngineRedirects()
      const dockerOptions = toDockerodeOptions(endpoint)
      this.#tlsAgent = dockerOptions.agent
      this.#docker = new Dockerode(dockerOptions)
    } else {
      this.#docker = options.docker
    }
    this.#api = engineApi(this.#docker)
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff }
    this.#clock = options.clock ?? systemClock
    this.#random = options.random ?? Math.random
    this.#pingIntervalMs = options.pingIntervalMs ?? 10_000
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5_000
    this.#status = { state: 'connecting', endpoint, since: this.#isoNow() }
  }

  /** The status as `watch()` last saw it; `connecting` until the first answer. */
  get status(): EngineStatus {
    return this.#status
  }

  get docker(): Dockerode {
    return this.#docker
  }

  onStatus(listener: EngineStatusListener): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** One ping + version, reported as a status; does not change `status` (that belongs to `watch()`). */
  async check(): Promise<EngineCheckResult> {
    const result = await this.#probe()
    const since = this.#isoNow()
    return result.ok
      ? { state: 'connected', endpoint: this.endpoint, server: result.server, since }
      : { state: 'unreachable', endpoint: this.endpoint, ...result.problem, since, attempt: 0 }
  }

  watch(): void {
    if (this.#watching || this.#closed) return
    this.#watching = true
    void this.#connect()
  }

  /** Stops every timer, stream and request, so the process can exit. */
  close(): void {
    this.#closed = true
    this.#endSession()
    this.#clock.clearTimeout(this.#retryTimer)
    for (const controller of this.#inFlight) controller.abort()
    this.#listeners.clear()
    this.#tlsAgent?.destroy()
  }

  async #connect(): Promise<void> {
    const result = await this.#probe()
    if (this.#closed) return
    if (result.ok) this.#startSession(result.server)
    else this.#scheduleReconnect(result.problem)
  }

  #startSession(server: EngineServerInfo): void {
    this.#attempt = 0
    this.#setStatus({ state: 'connected', endpoint: this.endpoint, server, since: this.#isoNow() })
    const session = this.#session
    void this.#openLiveness(session)
    this.#schedulePing(session)
  }

  #endSession(): void {
    this.#session += 1
    this.#clock.clearTimeout(this.#pingTimer)
    const stream = this.#liveness
    this.#liveness = undefined
    stream?.destroy()
  }

  #isCurrent(session: number): boolean {
    return !this.#closed && session === this.#session
  }

  /** Daemon events are rare; the stream matters only because it ends when the engine goes away. */
  async #openLiveness(session: number): Promise<void> {
    this.#livenessOpening = true
    let stream: EngineStream
    try {
      stream = await this.#api.getEvents({ filters: { type: ['daemon'] } })
    } catch {
      if (this.#isCurrent(session)) void this.#verify(session)
      return
    } finally {
      this.#livenessOpening = false
    }
    if (!this.#isCurrent(session)) {
      stream.destroy()
      return
    }
    this.#liveness = stream
    const ended = (): void => {
      if (this.#liveness !== stream) return
      this.#liveness = undefined
      void this.#verify(session)
    }
    stream.on('error', ended).once('end', ended).once('close', ended).resume()
  }

  #schedulePing(session: number): void {
    this.#pingTimer = this.#clock.setTimeout(() => void this.#pingTick(session), this.#pingIntervalMs)
  }

  async #pingTick(session: number): Promise<void> {
    const problem = await this.#ping()
    if (!this.#isCurrent(session)) return
    if (problem !== undefined) return this.#lose(problem)
    // A stream that ended while the engine still answered (a proxy's idle timeout, say) is reopened here.
    if (this.#liveness === undefined && !this.#livenessOpening) void this.#openLiveness(session)
    this.#schedulePing(session)
  }

  /** The liveness stream ended: find out at once whether the engine is really gone. */
  async #verify(session: number): Promise<void> {
    const problem = await this.#ping()
    if (problem !== undefined && this.#isCurrent(session)) this.#lose(problem)
  }

  #lose(problem: EngineProblem): void {
    this.#endSession()
    this.#attempt = 0
    this.#scheduleReconnect(problem)
  }

  #scheduleReconnect(problem: EngineProblem): void {
    const delay = backoffDelay(this.#attempt, this.#backoff, this.#random)
    const previous = this.#status
    this.#setStatus({
      state: 'unreachable',
      endpoint: this.endpoint,
      ...problem,
      since: previous.state === 'unreachable' ? previous.since : this.#isoNow(),
      attempt: this.#attempt,
      nextAttemptAt: new Date(this.#clock.now() + delay).toISOString()
    })
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#attempt += 1
      void this.#connect()
    }, delay)
  }

  async #probe(): Promise<ProbeResult> {
    try {
      await this.#withTimeout((abortSignal) => this.#api.ping({ abortSignal }))
      const answer = await this.#withTimeout((abortSignal) => this.#api.version({ abortSignal }))
      return { ok: true, server: serverInfo(answer) }
    } catch (error) {
      return { ok: false, problem: describeEngineError(error, this.endpoint) }
    }
  }

  async #ping(): Promise<EngineProblem | undefined> {
    try {
      await this.#withTimeout((abortSignal) => this.#api.ping({ abortSignal }))
      return undefined
    } catch (error) {
      return describeEngineError(error, this.endpoint)
    }
  }

  /** Aborts a call the engine does not answer in time: a dead TCP or SSH peer would otherwise hang it for minutes. */
  async #withTimeout<T>(call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController()
    this.#inFlight.add(controller)
    const timer = this.#clock.setTimeout(() => controller.abort(), this.#requestTimeoutMs)
    try {
      return await call(controller.signal)
    } catch (error) {
      throw controller.signal.aborted && !this.#closed
        ? new Error(`no answer within ${this.#requestTimeoutMs / 1000} s`)
        : error
    } finally {
      this.#clock.clearTimeout(timer)
      this.#inFlight.delete(controller)
    }
  }

  #setStatus(status: EngineStatus): void {
    this.#status = status
    for (const listener of [...this.#listeners]) listener(status)
  }

  #isoNow(): string {
    return new Date(this.#clock.now()).toISOString()
  }
}

function serverInfo(answer: unknown): EngineServerInfo {
  const parsed = VersionAnswer.safeParse(answer)
  if (!parsed.success) throw new Error('the answer to /version is not a Docker engine version')
  const { Version, ApiVersion, Os, Arch, Platform } = parsed.data
  const name = Platform?.Name === '' ? undefined : Platform?.Name
  return { serverVersion: Version, apiVersion: ApiVersion, os: Os, arch: Arch, ...(name === undefined ? {} : { name }) }
}
