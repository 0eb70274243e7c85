import { homedir } from 'node:os'
import type { EngineStatus, Settings } from './contract'
import { EngineConnection, resolveEngineEndpoint, type EngineConnectionOptions } from './engine'

export interface EngineSessionOptions {
  env: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  homedir?: string
  connection?: EngineConnectionOptions
}

/**
 * The engine the core talks to right now. Changing the engine settings swaps the connection; listeners
 * subscribe here, so they follow the swap instead of holding a stale connection.
 */
export class EngineSession {
  readonly #options: EngineSessionOptions
  readonly #listeners = new Set<(status: EngineStatus) => void>()
  #connection: EngineConnection
  #unsubscribe: () => void
  #watching = false

  constructor(settings: Settings['engine'], options: EngineSessionOptions) {
    this.#options = options
    this.#connection = this.#connect(settings)
    this.#unsubscribe = this.#follow(this.#connection)
  }

  get connection(): EngineConnection {
    return this.#connection
  }

  /** The watched status in long-lived processes; a fresh check where nothing watches (a CLI call). */
  async currentStatus(): Promise<EngineStatus> {
    return this.#watching ? this.#connection.status : this.#connection.check()
  }

  /** Follow the engine in the background (long-lived processes); one-shot callers use `connection.check()`. */
  watch(): void {
    this.#watching = true
    this.#connection.watch()
  }

  onStatus(listener: (status: EngineStatus) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Re-resolves the endpoint from new settings; a no-op when it did not change. */
  reconfigure(settings: Settings['engine']): void {
    const next = this.#connect(settings)
    if (next.endpoint.url === this.#connection.endpoint.url && next.endpoint.source === this.#connection.endpoint.source) {
      next.close()
      return
    }
    this.#unsubscribe()
    this.#connection.close()
    this.#connection = next
    this.#unsubscribe = this.#follow(next)
    if (this.#watching) next.watch()
    this.#emit(next.status)
  }

  close(): void {
    this.#unsubscribe()
    this.#connection.close()
    this.#listeners.clear()
  }

  #connect(settings: Settings['engine']): EngineConnection {
    const endpoint = resolveEngineEndpoint({
      env: this.#options.env,
      platform: this.#options.platform ?? process.platform,
      homedir: this.#options.homedir ?? homedir(),
      settings
    })
    return new EngineConnection(endpoint, this.#options.connection)
  }

  #follow(connection: EngineConnection): () => void {
    return connection.onStatus((status) => this.#emit(status))
  }

  #emit(status: EngineStatus): void {
    for (const listener of this.#listeners) listener(status)
  }
}
