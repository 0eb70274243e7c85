import type { z } from 'zod'
import { SandlotError } from '../core/sandlot-error'
import { AddedToken, FleetErrors, FleetEvents, FleetHosts, FleetLogs, FleetWorkspaces, RevokedToken, TokenList, type FleetQuery, type LogQuery, type TokenRole } from './fleet-contract'

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

  tokens() {
    return this.#get('/api/admin/tokens', {}, TokenList)
  }
  addToken(name: string, role: TokenRole) {
    return this.#request('POST', new URL('/api/admin/tokens', this.#base), AddedToken, { name, role })
  }
  revokeToken(name: string) {
    return this.#request('POST', new URL(`/api/admin/tokens/${encodeURIComponent(name)}/revoke`, this.#base), RevokedToken)
  }

  #get<S extends z.ZodType>(path: string, query: Record<string, string | number | undefined>, schema: S): Promise<z.infer<S>> {
    const url = new URL(path, this.#base)
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value))
    return this.#request('GET', url, schema)
  }

  async #request<S extends z.ZodType>(method: 'GET' | 'POST', url: URL, schema: S, body?: object): Promise<z.infer<S>> {
    let response: Response
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000)
      })
    } catch (err) {
      const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message
      throw new SandlotError('HOST_UNREACHABLE', `Cannot reach the orchestrator at ${this.#base.origin}: ${cause}`, 'Check --url and that `sandlot orchestrator serve` runs there.', { cause: err })
    }
    const answer: unknown = await response.json().catch(() => undefined)
    if (!response.ok) {
      const error = (answer as { error?: { code?: string; message?: string; hint?: string } } | undefined)?.error
      const code = response.status === 401 || response.status === 403 ? 'AUTH_FAILED' : response.status === 400 ? 'BAD_USAGE' : response.status === 409 ? 'CONFLICT' : response.status === 404 ? 'NOT_FOUND' : 'INTERNAL'
      throw new SandlotError(code, `The orchestrator refused: ${error?.message ?? `HTTP ${response.status}`}`, error?.hint)
    }
    const parsed = schema.safeParse(answer)
    if (!parsed.success) throw new SandlotError('INTERNAL', `The orchestrator at ${this.#base.origin} answered something unexpected.`, 'Check that --url points at a Sandlot orchestrator of the same version.')
    return parsed.data
  }
}
