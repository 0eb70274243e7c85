import { z } from 'zod'
import { ClientMessage, type EventName, type ServerMessage } from '../core/contract'
import type { CoreApi } from '../core/api'
import { toErrorInfo } from '../core/sandlot-error'
import { UNREADABLE_MESSAGE_ID } from '../core/contract/ws-transport'

type RequestMessage = Extract<ClientMessage, { type: 'request' }>
type Reply = Extract<ServerMessage, { type: 'result' | 'error' }>

/** What one client may hold at once, so that a misbehaving one cannot grow the server's memory without bound. */
export const SESSION_LIMITS = { subscriptions: 64, requestsInFlight: 32 } as const

/**
 * One client of the core API over any message transport (a WebSocket, Electron IPC): validates each frame
 * against the contract, answers every framed message that has an id exactly once, and owns the client's
 * subscriptions so they end with it.
 */
export class ApiSession {
  readonly #api: CoreApi
  readonly #send: (message: ServerMessage) => void
  readonly #subscriptions = new Map<string, () => void>()
  #requestsInFlight = 0
  #closed = false

  constructor(api: CoreApi, send: (message: ServerMessage) => void) {
    this.#api = api
    this.#send = send
  }

  /** Handles one incoming frame; replies go out through `send`. Bad frames get an error reply and change nothing. */
  receive(raw: unknown): void {
    if (this.#closed) return
    const parsed = ClientMessage.safeParse(raw)
    if (!parsed.success) {
      this.#reply(badFrame(raw, parsed.error))
      return
    }
    const message = parsed.data
    switch (message.type) {
      case 'request':
        void this.#request(message).then((reply) => this.#reply(reply))
        return
      case 'subscribe':
        this.#reply(this.#subscribe(message.id, message.event))
        return
      case 'unsubscribe':
        this.#subscriptions.get(message.id)?.()
        this.#subscriptions.delete(message.id)
        this.#reply({ type: 'result', id: message.id, result: null })
        return
      case 'stream.write':
      case 'stream.ack':
      case 'stream.close':
        // No stream exists yet (terminals will add them): say so instead of dropping the frame.
        this.#reply({
          type: 'stream.end',
          stream: message.stream,
          exitCode: null,
          error: { code: 'NOT_FOUND', message: `There is no stream "${message.stream}".`, hint: 'It ended or never existed.' }
        })
        return
    }
  }

  /** A text frame (the WebSocket carries JSON text). */
  receiveText(text: string): void {
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      this.#reply(invalid(UNREADABLE_MESSAGE_ID, 'Invalid message: frames are JSON text.'))
      return
    }
    this.receive(raw)
  }

  /** A frame that must be a request, answered to the caller rather than sent (Electron's invoke). */
  async answer(raw: unknown): Promise<Reply> {
    const parsed = ClientMessage.safeParse(raw)
    if (!parsed.success) return badFrame(raw, parsed.error)
    if (parsed.data.type !== 'request') return invalid(idOf(raw), 'Invalid message: this channel takes requests only.')
    return this.#request(parsed.data)
  }

  async #request(message: RequestMessage): Promise<Reply> {
    if (this.#requestsInFlight >= SESSION_LIMITS.requestsInFlight) {
      return {
        type: 'error',
        id: message.id,
        error: {
          code: 'CONFLICT',
          message: `Too many requests in flight: at most ${SESSION_LIMITS.requestsInFlight} per connection.`,
          hint: 'Nothing was run: wait for answers before sending more requests.'
        }
      }
    }
    this.#requestsInFlight += 1
    try {
      return { type: 'result', id: message.id, result: await this.#api.call(message.method, message.params) }
    } catch (err) {
      return { type: 'error', id: message.id, error: toErrorInfo(err) }
    } finally {
      this.#requestsInFlight -= 1
    }
  }

  /** Ends every subscription; later frames and late replies are dropped. */
  close(): void {
    this.#closed = true
    for (const unsubscribe of this.#subscriptions.values()) unsubscribe()
    this.#subscriptions.clear()
  }

  #subscribe(id: string, event: EventName): Reply {
    if (this.#subscriptions.has(id)) {
      return { type: 'error', id, error: { code: 'CONFLICT', message: `Subscription id "${id}" is already in use.`, hint: 'Use a new id per subscription.' } }
    }
    if (this.#subscriptions.size >= SESSION_LIMITS.subscriptions) {
      return {
        type: 'error',
        id,
        error: {
          code: 'CONFLICT',
          message: `Too many subscriptions: at most ${SESSION_LIMITS.subscriptions} per connection.`,
          hint: 'Unsubscribe from events that are no longer shown.'
        }
      }
    }
    try {
      this.#subscriptions.set(id, this.#api.subscribe(event, (payload) => this.#reply({ type: 'event', id, event, payload })))
      return { type: 'result', id, result: null }
    } catch (err) {
      return { type: 'error', id, error: toErrorInfo(err) }
    }
  }

  #reply(message: ServerMessage): void {
    if (!this.#closed) this.#send(message)
  }
}

/** The error reply to an invalid frame: it answers the frame's own id when it has a usable one. */
function badFrame(raw: unknown, error: z.ZodError): Reply {
  return invalid(idOf(raw), `Invalid message: ${z.prettifyError(error)}`)
}

function idOf(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : UNREADABLE_MESSAGE_ID
}

function invalid(id: string, message: string): Reply {
  return { type: 'error', id, error: { code: 'BAD_REQUEST', message, hint: 'Nothing was changed.' } }
}
