import { WS_TOKEN_PROTOCOL_PREFIX } from '../core/contract/ws-transport'
import { SandlotApiError } from './errors'

/** A WebSocket class: the global one (Node 22+, browsers), or the `ws` package's on Node 20. */
export type WebSocketClass = new (url: string, protocols: string[]) => WebSocket

/** The REST API over fetch: JSON in and out, the token as a Bearer header, errors as SandlotApiError. */
export class HttpClient {
  constructor(
    readonly url: string,
    readonly token: string,
    readonly webSocket: WebSocketClass | undefined = globalThis.WebSocket
  ) {}

  /** A WebSocket to one of the API's socket paths; the token goes as a subprotocol, never in the URL. */
  socket(path: string, protocol: string): WebSocket {
    if (this.webSocket === undefined) {
      throw new SandlotApiError(0, 'BAD_USAGE', 'This runtime has no WebSocket (Node 20).', "Use Node 22+, or pass { WebSocket } from the 'ws' package to Sandlot.connect().")
    }
    const target = new URL(path, this.url)
    target.protocol = target.protocol === 'https:' ? 'wss:' : 'ws:'
    return new this.webSocket(target.toString(), [protocol, `${WS_TOKEN_PROTOCOL_PREFIX}${this.token}`])
  }

  async request<T>(method: string, path: string, body?: unknown, query?: Record<string, string | number | boolean | undefined>): Promise<T> {
    const target = new URL(path, this.url)
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) target.searchParams.set(key, String(value))
    const res = await this.#fetch(target, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    const parsed = text === '' ? undefined : parseJson(text)
    if (!res.ok) throw apiError(res.status, parsed, `${method} ${path}`)
    return parsed as T
  }

  /** Sends or fetches bytes (archives): the body as given, the answer's bytes; errors as for `request`. */
  async bytes(method: string, path: string, options: { body?: Uint8Array; type?: string; query?: Record<string, string | undefined> } = {}): Promise<Response> {
    const target = new URL(path, this.url)
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) target.searchParams.set(key, value)
    const res = await this.#fetch(target, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(options.type === undefined ? {} : { 'content-type': options.type }) },
      ...(options.body === undefined ? {} : { body: options.body as Uint8Array<ArrayBuffer> })
    })
    if (!res.ok) throw apiError(res.status, parseJson(await res.text()), `${method} ${path}`)
    return res
  }

  /** Opens an SSE route; `lastEventId` resumes after that stored row. */
  async stream(
    method: 'GET' | 'POST',
    path: string,
    options: { query?: Record<string, string | undefined>; body?: unknown; lastEventId?: string; signal?: AbortSignal }
  ): Promise<ReadableStream<Uint8Array>> {
    const target = new URL(path, this.url)
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) target.searchParams.set(key, value)
    const res = await this.#fetch(target, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'text/event-stream',
        ...(options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' })
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal })
    })
    if (!res.ok || res.body === null) throw apiError(res.status, parseJson(await res.text()), `${method} ${path}`)
    return res.body
  }

  /** fetch, with "nothing listens there" as an API error that says what to do instead of a bare TypeError. */
  async #fetch(target: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(target, init)
    } catch (err) {
      // An abort is the caller's own doing; a TypeError is fetch's network failure (refused, reset, bad host).
      if (!(err instanceof TypeError)) throw err
      throw new SandlotApiError(0, 'UNREACHABLE', `Nothing answers at ${this.url}`, 'Start `sandlot serve`; serve.json may be left by one that stopped.')
    }
  }
}

/** The API's error document as an exception (or the bare status when the answer holds none). */
function apiError(status: number, parsed: unknown, request: string): SandlotApiError {
  const error = (parsed as { error?: { code?: string; message?: string; hint?: string } } | undefined)?.error
  return new SandlotApiError(status, error?.code ?? 'INTERNAL', error?.message ?? `HTTP ${status} from ${request}.`, error?.hint)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new SandlotApiError(502, 'INTERNAL', 'The server answered something that is not JSON.', 'Is this URL a `sandlot serve`?')
  }
}
