import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { ClientMessage, type ErrorInfo, type EventName, type ServerMessage, type StreamMethodName } from '../core/contract'
import { CoreApi, type StreamHandle } from '../core/api'
import { toErrorInfo } from '../core/sandlot-error'
import { UNREADABLE_MESSAGE_ID } from '../core/contract/ws-transport'

type RequestMessage = Extract<ClientMessage, { type: 'request' }>
type Reply = Extract<ServerMessage, { type: 'result' | 'error' }>
type StreamFrame = Extract<ServerMessage, { type: 'stream.data' | 'stream.end' }>
type StreamMessage = Extract<ClientMessage, { type: 'stream.write' | 'stream.ack' | 'stream.close' }>
/** A request's reply, and what to do once it has gone out: a stream it opened sends the frames it held. */
interface Answered {
  reply: Reply
  release: () => void
}

/** One stream this client opened. Frames wait in `held` until the reply that names the stream has gone out. */
interface OpenStream {
  handle: StreamHandle | undefined
  held: StreamFrame[] | undefined
}

/** What one client may hold at once, so that a misbehaving one cannot grow the server's memory without bound. */
export const SESSION_LIMITS = { subscriptions: 64, requestsInFlight: 32, streams: 128 } as const

/**
 * One client of the core API over any message transport (a WebSocket, Electron IPC): validates each frame
 * against the contract, answers every framed message that has an id exactly once, and owns the client's
 * subscriptions and streams so they end with it. Stream ids are random and kept per client: a frame naming a
 * stream this client did not open is refused (`stream.end` with NOT_FOUND) and reaches no one else's stream.
 */
export class ApiSession {
  readonly #api: CoreApi
  readonly #send: (message: ServerMessage) => void
  readonly #subscriptions = new Map<string, () => void>()
  readonly #streams = new Map<string, OpenStream>()
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
        void this.#request(message).then(({ reply, release }) => {
          this.#reply(reply)
          release()
        })
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
        this.#streamMessage(message)
        return
    }
  }

  #streamMessage(message: StreamMessage): void {
    const handle = this.#streams.get(message.stream)?.handle
    if (handle === undefined) {
      // Not this client's (ended, never opened, another client's, or still opening): said, never passed on.
      this.#reply({
        type: 'stream.end',
        stream: message.stream,
        exitCode: null,
        error: { code: 'NOT_FOUND', message: `This connection has no stream "${message.stream}".`, hint: 'It ended, or was never opened on this connection.' }
      })
      return
    }
    if (message.type === 'stream.write') handle.write(message.data)
    else if (message.type === 'stream.ack') handle.ack(message.bytes)
    else {
      this.#streams.delete(message.stream)
      handle.close()
      this.#reply({ type: 'stream.end', stream: message.stream, exitCode: null })
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
    const { reply, release } = await this.#request(parsed.data)
    // The caller sends the reply when this returns; the stream's first frames follow it.
    setImmediate(release)
    return reply
  }

  async #request(message: RequestMessage): Promise<Answered> {
    if (this.#requestsInFlight >= SESSION_LIMITS.requestsInFlight) {
      return replied({
        type: 'error',
        id: message.id,
        error: {
          code: 'CONFLICT',
          message: `Too many requests in flight: at most ${SESSION_LIMITS.requestsInFlight} per connection.`,
          hint: 'Nothing was run: wait for answers before sending more requests.'
        }
      })
    }
    this.#requestsInFlight += 1
    try {
      if (CoreApi.isStreamMethod(message.method)) return await this.#openStream(message.id, message.method, message.params)
      return replied({ type: 'result', id: message.id, result: await this.#api.call(message.method, message.params) })
    } catch (err) {
      return replied({ type: 'error', id: message.id, error: toErrorInfo(err) })
    } finally {
      this.#requestsInFlight -= 1
    }
  }

  /** Ends every subscription and stream; later frames and late replies are dropped. */
  close(): void {
    this.#closed = true
    for (const unsubscribe of this.#subscriptions.values()) unsubscribe()
    this.#subscriptions.clear()
    for (const stream of this.#streams.values()) stream.handle?.close()
    this.#streams.clear()
  }

  async #openStream(requestId: string, method: StreamMethodName, params: unknown): Promise<Answered> {
    if (this.#streams.size >= SESSION_LIMITS.streams) {
      return replied({
        type: 'error',
        id: requestId,
        error: { code: 'CONFLICT', message: `Too many open streams: at most ${SESSION_LIMITS.streams} per connection.`, hint: 'Close streams that are no longer shown (stream.close).' }
      })
    }
    const id = `s${randomBytes(12).toString('base64url')}`
    const stream: OpenStream = { handle: undefined, held: [] }
    this.#streams.set(id, stream)
    const frame = (message: StreamFrame): void => {
      if (stream.held) stream.held.push(message)
      else this.#reply(message)
    }
    try {
      const opened = await this.#api.openStream(method, params, id, {
        data: (data, channel) => frame({ type: 'stream.data', stream: id, data, ...(channel === undefined ? {} : { channel }) }),
        end: (exitCode: number | null, error?: ErrorInfo) => {
          this.#streams.delete(id)
          frame({ type: 'stream.end', stream: id, exitCode, ...(error ? { error } : {}) })
        }
      })
      if (this.#closed) opened.handle.close()
      else if (this.#streams.get(id) === stream) stream.handle = opened.handle
      return { reply: { type: 'result', id: requestId, result: opened.result }, release: () => this.#release(stream) }
    } catch (err) {
      this.#streams.delete(id)
      throw err
    }
  }

  /** After the reply that opened a stream went out: the frames it held follow, and later ones go straight out. */
  #release(stream: OpenStream): void {
    const held = stream.held ?? []
    stream.held = undefined
    for (const message of held) this.#reply(message)
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

function replied(reply: Reply): Answered {
  return { reply, release: () => undefined }
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
