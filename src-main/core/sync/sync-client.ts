import { z } from 'zod'
import { SyncAck, type SyncBatch } from '../contract'

/** How the orchestrator answered a batch, sorted by what the outbox does next. */
export type SendOutcome =
  | { kind: 'stored'; ack: SyncAck }
  /** 401: the token is wrong or revoked; retrying cannot help until it changes. */
  | { kind: 'unauthorized'; message: string; hint: string }
  /** 400: the orchestrator says the batch is malformed (a bug on one side): the same batch will never pass. */
  | { kind: 'malformed'; message: string; hint: string }
  /** 413: the batch is too large: send less. */
  | { kind: 'too-large'; message: string; hint: string }
  /** Unreachable, 5xx, or anything unexpected: try again later. */
  | { kind: 'unavailable'; message: string; hint: string }

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }) })

/** Where batches go: `<sync.url>/api/sync/batches` (a URL with a path keeps it: a proxy may serve the orchestrator under one). */
export function batchesUrl(url: string): string {
  return `${url.replace(/\/+$/, '')}/api/sync/batches`
}

/** POSTs one batch with the token. Never throws: every failure is an outcome (an abort too, which the caller ignores). */
export async function sendBatch(url: string, token: string, batch: SyncBatch, signal: AbortSignal, timeoutMs = 30_000): Promise<SendOutcome> {
  let response: Response
  try {
    response = await fetch(batchesUrl(url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(batch),
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      redirect: 'error'
    })
  } catch (err) {
    return { kind: 'unavailable', message: `The orchestrator at ${url} could not be reached: ${networkReason(err)}.`, hint: UNREACHABLE_HINT }
  }
  const text = await response.text().catch(() => '')
  const body = parseJson(text)
  if (response.status === 200) {
    const ack = SyncAck.safeParse(body)
    if (ack.success) return { kind: 'stored', ack: ack.data }
    return { kind: 'unavailable', message: `${url} answered 200 but not as a Sandlot orchestrator does.`, hint: 'Check sync.url: it names the orchestrator’s address (what `sandlot orchestrator serve` prints).' }
  }
  const said = ErrorBody.safeParse(body)
  const reason = said.success ? said.data.error.message : `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`
  const theirHint = said.success && said.data.error.hint ? ` (${said.data.error.hint})` : ''
  switch (response.status) {
    case 401:
      return {
        kind: 'unauthorized',
        message: `The orchestrator refused this desktop’s token: ${reason}`,
        hint: `Ask the orchestrator’s admin for a token for this host (\`sandlot orchestrator token add HOSTNAME\`), then \`sandlot config set sync.token TOKEN\`; sync waits until then${theirHint}.`
      }
    case 400:
      return {
        kind: 'malformed',
        message: `The orchestrator refused a batch as malformed: ${reason}`,
        hint: `A bug, or a desktop and an orchestrator of different versions: update both. Nothing was lost: sync tries again when Sandlot restarts or the sync settings change${theirHint}.`
      }
    case 413:
      return { kind: 'too-large', message: `The orchestrator found a batch too large: ${reason}`, hint: 'Smaller batches are sent instead.' }
    case 404:
      return { kind: 'unavailable', message: `${url} has no orchestrator sync endpoint (404).`, hint: 'Check sync.url: it names the orchestrator’s address (what `sandlot orchestrator serve` prints). Sync retries meanwhile.' }
    default:
      return { kind: 'unavailable', message: `The orchestrator answered ${response.status}: ${reason}`, hint: `${UNREACHABLE_HINT}${theirHint}` }
  }
}

const UNREACHABLE_HINT = 'Sync retries with growing pauses and sends everything when it answers; the desktop works the same meanwhile.'

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** fetch wraps the socket's error in `cause`: ECONNREFUSED says more than "fetch failed". */
function networkReason(err: unknown): string {
  const error = err as Error & { cause?: { code?: string; message?: string } }
  if (error.name === 'TimeoutError') return 'no answer in time'
  if (error.name === 'AbortError') return 'stopped'
  return error.cause?.code ?? error.cause?.message ?? error.message
}
