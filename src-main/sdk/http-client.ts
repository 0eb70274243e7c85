import { SandlotApiError } from './errors'

/** The REST API over fetch: JSON in and out, the token as a Bearer header, errors as SandlotApiError. */
export class HttpClient {
  constructor(
    readonly url: string,
    readonly token: string
  ) {}

  async request<T>(method: string, path: string, body?: unknown, query?: Record<string, string | number | boolean | undefined>): Promise<T> {
    const target = new URL(path, this.url)
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) target.searchParams.set(key, String(value))
    const res = await fetch(target, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    const parsed = text === '' ? undefined : parseJson(text)
    if (!res.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; hint?: string } } | undefined)?.error
      throw new SandlotApiError(res.status, error?.code ?? 'INTERNAL', error?.message ?? `HTTP ${res.status} from ${method} ${path}.`, error?.hint)
    }
    return parsed as T
  }

  /** Opens an SSE route; `lastEventId` resumes after that stored row. */
  async stream(path: string, query: Record<string, string | undefined>, lastEventId: string | undefined, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const target = new URL(path, this.url)
    for (const [key, value] of Object.entries(query)) if (value !== undefined) target.searchParams.set(key, value)
    const res = await fetch(target, {
      headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
      signal
    })
    if (!res.ok || res.body === null) {
      const error = (parseJson(await res.text()) as { error?: { code?: string; message?: string; hint?: string } } | undefined)?.error
      throw new SandlotApiError(res.status, error?.code ?? 'INTERNAL', error?.message ?? `HTTP ${res.status} from GET ${path}.`, error?.hint)
    }
    return res.body
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new SandlotApiError(502, 'INTERNAL', 'The server answered something that is not JSON.', 'Is this URL a `sandlot serve`?')
  }
}
