import { homedir } from 'node:os'
import type { EngineEndpoint, EngineStatus, Settings } from './contract'
import type Dockerode from 'dockerode'
import { describeEngineError, EngineConnection, isTransportError, resolveEngineEndpoint, type EngineConnectionOptions } from './engine'
import { SandlotError } from './sandlot-error'

export interface EngineSessionOptions {
  env: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  homedir?: string
  connection?: EngineConnectionOptions
}

type CurrentEngine = { connection: EngineConnection; unsubscribe: () => void } | { problem: SandlotError }

/**
 * The engine the core talks to right now. Changing the engine settings swaps the connection; listeners
 * subscribe here, so they follow the swap instead of holding a stale connection. An engine configuration
 * that cannot be used (a deleted context, a malformed DOCKER_HOST) does not stop the core from opening:
 * everything that needs the engine fails with that error, everything else (settings, tokens) still works.
 */
export class EngineSession {
  readonly #options: EngineSessionOptions
  readonly #listeners = new Set<(status: EngineStatus) => void>()
  #current: CurrentEngine
  #watching = false

  constructor(settings: Settings['engine'], options: EngineSessionOptions) {
    this.#options = options
    this.#current = this.#open(settings)
  }

  /** The live connection; throws the configuration problem when the engine settings cannot be used. */
  get connection(): EngineConnection {
    if ('problem' in this.#current) throw this.#current.problem
    return this.#current.connection
  }

  /**
   * Runs engine calls; a call that cannot reach the engine fails as ENGINE_UNREACHABLE with what to do,
   * never as an unexplained socket error.
   */
  async use<T>(work: (docker: Dockerode) => Promise<T>): Promise<T> {
    const connection = this.connection
    try {
      return await work(connection.docker)
    } catch (err) {
      if (!isTransportError(err)) throw err
      const problem = describeEngineError(err, connection.endpoint)
      throw new SandlotError('ENGINE_UNREACHABLE', problem.message, problem.hint, { cause: err })
    }
  }

  /** The watched status in long-lived processes; a fresh check where nothing watches (a CLI call). */
  async currentStatus(): Promise<EngineStatus> {
    const connection = this.connection
    return this.#watching ? connection.status : connection.check()
  }

  /** Follow the engine in the background (long-lived processes); one-shot callers use `connection.check()`. */
  watch(): void {
    this.#watching = true
    if ('connection' in this.#current) this.#current.connection.watch()
  }

  onStatus(listener: (status: EngineStatus) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Throws what is wrong with these engine settings, so a bad value is refused before it is saved. */
  validate(settings: Settings['engine']): EngineEndpoint {
    return this.#resolve(settings)
  }

  /** Re-resolves the endpoint from new settings; a no-op when it did not change. */
  reconfigure(settings: Settings['engine']): void {
    const next = this.#open(settings)
    const before = 'connection' in this.#current ? this.#current.connection.endpoint : undefined
    if (before && 'connection' in next && next.connection.endpoint.url === before.url && next.connection.endpoint.source === before.source) {
      next.unsubscribe()
      next.connection.close()
      return
    }
    this.#closeCurrent()
    this.#current = next
    if ('connection' in next) {
      if (this.#watching) next.connection.watch()
      this.#emit(next.connection.status)
    }
  }

  close(): void {
    this.#closeCurrent()
    this.#listeners.clear()
  }

  #open(settings: Settings['engine']): CurrentEngine {
    let endpoint: EngineEndpoint
    try {
      endpoint = this.#resolve(settings)
    } catch (err) {
      if (err instanceof SandlotError) return { problem: err }
      throw err
    }
    const connection = new EngineConnection(endpoint, this.#options.connection)
    return { connection, unsubscribe: connection.onStatus((status) => this.#emit(status)) }
  }

  #resolve(settings: Settings['engine']): EngineEndpoint {
    return resolveEngineEndpoint({
      env: this.#options.env,
      platform: this.#options.platform ?? process.platform,
      homedir: this.#options.homedir ?? homedir(),
      settings
    })
  }

  #closeCurrent(): void {
    if (!('connection' in this.#current)) return
    this.#current.unsubscribe()
    this.#current.connection.close()
  }

  #emit(status: EngineStatus): void {
    for (const listener of this.#listeners) listener(status)
  }
}
