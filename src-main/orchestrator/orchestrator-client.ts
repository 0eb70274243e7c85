import type { z } from 'zod'
import { SandlotError } from '../core/sandlot-error'
import { FleetErrors, FleetEvents, FleetHosts, FleetLogs, FleetWorkspaces, type FleetQuery, type LogQuery } from './fleet-contract'

/** A reader of a running orchestrator's query routes (what the `sandlot orchestrator hosts|…` verbs print). */
export class OrchestratorClient {
  readonly #base: URL
  readonly #token: string

  constructor(url: string, token: string) {
    this.#base = new URL(url)
    this.#token = token
  }

  hosts() {
    return this.#get('/api/fleet/hosts', {}, FleetHosts)
  }
  workspaces(query: Partial<FleetQuery>) {
    return this.#get('/api/fleet/workspaces', query, FleetWorkspaces)
  }
  errors(query: Partial<FleetQuery>) {
    return this.#get('/api/fleet/errors', query, FleetErrors)
  }
  events(query: Partial<FleetQuery>) {
    return this.#get('/api/fleet/events', query, FleetEvents)
  }
  logs(query: Partial<LogQuery>) {
    return this.#get('/api/fleet/logs', query, FleetLogs)
  }

  async #get<S extends z.ZodType>(path: string, query: Record<string, string | number | undefined>, schema: S): Promise<z.infer<S>> {
    const url = new URL(path, this.#base)
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value))
    let response: Response
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${this.#token}` }, signal: AbortSignal.timeout(30_000) })
    } catch (err) {
      const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message
      throw new SandlotError('HOST_UNREACHABLE', `Cannot reach the orchestrator at ${this.#base.origin}: ${cause}`, 'Check --url and that `sandlot orchestrator serve` runs there.', { cause: err })
    }
    const body: unknown = await response.json().catch(() => undefined)
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string; hint?: string } } | undefined)?.error
      const code = response.status === 401 || response.status === 403 ? 'AUTH_FAILED' : response.status === 400 ? 'BAD_USAGE' : 'INTERNAL'
      throw new SandlotError(code, `The orchestrator refused: ${error?.message ?? `HTTP ${response.status}`}`, error?.hint)
    }
    const parsed = schema.safeParse(body)
    if (!parsed.success) throw new SandlotError('INTERNAL', `The orchestrator at ${this.#base.origin} answered something unexpected.`, 'Check that --url points at a Sandlot orchestrator of the same version.')
    return parsed.data
  }
}
