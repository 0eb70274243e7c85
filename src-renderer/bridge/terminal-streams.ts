import { streamFlow, type ClientMessage, type ErrorInfo, type ServerMessage, type TerminalId, type TerminalInfo } from '../../src-main/core/contract'
import { callError, isLinkError, type Bridge } from './bridge'

export type StreamFrame = Extract<ServerMessage, { type: 'stream.data' | 'stream.end' }>
export type StreamClientFrame = Extract<ClientMessage, { type: 'stream.write' | 'stream.ack' | 'stream.close' }>

/** What a terminal's view hears from its attachment. */
export interface TerminalStreamListener {
  /** Attached, or attached again after the link came back: the whole screen follows, so clear the old one first. */
  attached(terminal: TerminalInfo): void
  /** Output. Call `processed` once it is rendered: acknowledgements (and so the core's flow control) follow it. */
  data(text: string, processed: () => void): void
  /** The link dropped; the attachment comes back on its own when it reopens. */
  detached(): void
  /** The core ended the stream (the terminal was closed, or attaching failed): nothing more comes. */
  ended(end: { exitCode: number | null; error?: ErrorInfo }): void
}

export interface TerminalStream {
  /** Keyboard input and pastes; dropped while the link is down (a dead line, as ssh has). */
  write(data: string): void
  /** Detaches; the shell keeps running in the core. */
  close(): void
}

/** Input goes out in pieces of at most this many UTF-16 units, so a large paste never makes one huge frame. */
export const WRITE_CHUNK = 8_192

/** Output for streams whose attach reply has not been handled yet is kept, up to this many characters overall. */
const EARLY_LIMIT = 1_000_000

/** The pause before attaching again to a stream the core ended because this view fell behind. */
const REATTACH_DELAY_MS = 500

/** How many detached stream ids are remembered, to drop their late frames. */
const DETACHED_KEPT = 256

interface Attachment {
  readonly id: TerminalId
  readonly listener: TerminalStreamListener
  stream: string | undefined
  /** Characters rendered but not yet acknowledged on the current stream. */
  unacked: number
  /** Counts attach attempts: an answer to an older one is closed unused. */
  attempt: number
  closed: boolean
}

export interface StreamLink {
  call: Bridge['call']
  /** Sends a frame; false when the link is down. */
  send(frame: StreamClientFrame): boolean
}

/**
 * Terminal attachments over one link (a WebSocket or the preload's IPC channel): routes `stream.data` and
 * `stream.end` to their listener, sends input, acknowledgements and detaches, and attaches again after the link
 * reconnects (the core replays the screen). Frames may arrive before the attach reply is handled (they follow
 * it on the wire, but the reply's promise settles later): those wait in a bounded buffer.
 */
export class TerminalStreams {
  readonly #link: StreamLink
  readonly #attachments = new Set<Attachment>()
  readonly #byStream = new Map<string, Attachment>()
  readonly #early = new Map<string, StreamFrame[]>()
  /** Streams detached here: their late frames are dropped, not buffered. */
  readonly #detached = new Set<string>()
  #earlySize = 0

  constructor(link: StreamLink) {
    this.#link = link
  }

  attach(id: TerminalId, listener: TerminalStreamListener): TerminalStream {
    const attachment: Attachment = { id, listener, stream: undefined, unacked: 0, attempt: 0, closed: false }
    this.#attachments.add(attachment)
    this.#attach(attachment)
    return {
      write: (data) => {
        const stream = attachment.stream
        if (stream === undefined) return
        for (const piece of chunks(data, WRITE_CHUNK)) this.#link.send({ type: 'stream.write', stream, data: piece })
      },
      close: () => {
        if (attachment.closed) return
        attachment.closed = true
        this.#attachments.delete(attachment)
        this.#release(attachment)
      }
    }
  }

  /** A stream frame from the core. */
  receive(frame: StreamFrame): void {
    const attachment = this.#byStream.get(frame.stream)
    if (attachment !== undefined) {
      this.#deliver(attachment, frame)
      return
    }
    if (this.#detached.has(frame.stream)) return
    this.#keepEarly(frame)
  }

  /** The link dropped: every stream on it is gone; listeners hear it, and attach again on `linkOpened`. */
  linkDropped(): void {
    this.#byStream.clear()
    this.#early.clear()
    this.#detached.clear()
    this.#earlySize = 0
    for (const attachment of this.#attachments) {
      attachment.stream = undefined
      attachment.attempt += 1
      attachment.listener.detached()
    }
  }

  linkOpened(): void {
    for (const attachment of this.#attachments) if (attachment.stream === undefined) this.#attach(attachment)
  }

  #attach(attachment: Attachment): void {
    const attempt = ++attachment.attempt
    this.#link.call('terminals.attach', { id: attachment.id }).then(
      ({ stream, terminal }) => {
        if (attachment.closed || attempt !== attachment.attempt) {
          this.#detach(stream)
          return
        }
        attachment.stream = stream
        attachment.unacked = 0
        this.#byStream.set(stream, attachment)
        attachment.listener.attached(terminal)
        const early = this.#early.get(stream) ?? []
        this.#dropEarly(stream)
        for (const frame of early) this.#deliver(attachment, frame)
      },
      (err: unknown) => {
        const error = callError(err)
        // A dropped link attaches again when it reopens; the core's refusal (closed terminal, bad id) is final.
        if (attachment.closed || attempt !== attachment.attempt || isLinkError(error)) return
        attachment.closed = true
        this.#attachments.delete(attachment)
        attachment.listener.ended({ exitCode: null, error: error as ErrorInfo })
      }
    )
  }

  #deliver(attachment: Attachment, frame: StreamFrame): void {
    if (frame.type === 'stream.end') {
      this.#byStream.delete(frame.stream)
      attachment.stream = undefined
      if (frame.error?.code === 'CONFLICT') {
        // The core let go of a view that fell too far behind (a throttled background tab): the shell runs on,
        // and attaching again replays the screen as it is now.
        attachment.listener.detached()
        const attempt = ++attachment.attempt
        setTimeout(() => {
          if (!attachment.closed && attempt === attachment.attempt) this.#attach(attachment)
        }, REATTACH_DELAY_MS)
        return
      }
      attachment.closed = true
      this.#attachments.delete(attachment)
      attachment.listener.ended(frame.error === undefined ? { exitCode: frame.exitCode } : { exitCode: frame.exitCode, error: frame.error })
      return
    }
    const stream = frame.stream
    const size = frame.data.length
    attachment.listener.data(frame.data, () => {
      if (attachment.stream !== stream) return
      attachment.unacked += size
      if (attachment.unacked < streamFlow.ackEvery) return
      this.#link.send({ type: 'stream.ack', stream, bytes: attachment.unacked })
      attachment.unacked = 0
    })
  }

  #release(attachment: Attachment): void {
    const stream = attachment.stream
    attachment.stream = undefined
    if (stream === undefined) return
    this.#byStream.delete(stream)
    this.#detach(stream)
  }

  #detach(stream: string): void {
    this.#dropEarly(stream)
    this.#detached.add(stream)
    // Only recent ones can still have frames on the way.
    if (this.#detached.size > DETACHED_KEPT) this.#detached.delete(this.#detached.values().next().value as string)
    this.#link.send({ type: 'stream.close', stream })
  }

  #keepEarly(frame: StreamFrame): void {
    const size = frame.type === 'stream.data' ? frame.data.length : 0
    // Past the bound the oldest waiting stream is dropped: a stream nobody claims must not grow the page.
    while (this.#earlySize + size > EARLY_LIMIT && this.#early.size > 0) this.#dropEarly(this.#early.keys().next().value as string)
    const frames = this.#early.get(frame.stream) ?? []
    frames.push(frame)
    this.#early.set(frame.stream, frames)
    this.#earlySize += size
  }

  #dropEarly(stream: string): void {
    for (const frame of this.#early.get(stream) ?? []) if (frame.type === 'stream.data') this.#earlySize -= frame.data.length
    this.#early.delete(stream)
  }
}

/** `text` in pieces of at most `size` UTF-16 units, never splitting a surrogate pair. */
export function chunks(text: string, size: number): string[] {
  if (text.length <= size) return text.length === 0 ? [] : [text]
  const pieces: string[] = []
  let start = 0
  while (start < text.length) {
    let end = Math.min(text.length, start + size)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1
    pieces.push(text.slice(start, end))
    start = end
  }
  return pieces
}
