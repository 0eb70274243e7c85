import { StringDecoder } from 'node:string_decoder'
import type { StreamHandle, StreamSink } from '../api'
import type { TerminalChange, TerminalInfo, TerminalSize, TerminalState, TerminalTarget } from '../contract'
import { streamFlow } from '../contract/methods'
import { FlowControl, type Watermarks } from './flow-control'
import { OutputBatcher } from './output-batcher'
import { ContainerNotRunning } from './workspace-shell'
import type { ShellLauncher, ShellProcess } from './shell-process'
import { TerminalMirror } from './terminal-mirror'
import { notices } from './terminal-notices'

export interface TerminalSessionOptions {
  id: string
  name: string
  target: TerminalTarget
  position: number
  createdAt: string
  size: TerminalSize
  scrollback: number
  launch: ShellLauncher
  /** The first shell, when one is already running (a workspace's ready shell); `launch` starts the later ones. */
  firstLaunch?: ShellLauncher
  /** The screen saved before Sandlot restarted: shown as history above a marker, with a fresh shell below. */
  history?: string
  onChange: (kind: TerminalChange['kind']) => void
  /** Output reached the screen (the store saves screens that changed). */
  onOutput?: () => void
  /** Problems nobody asked about (a failed reconnect), for the long-lived process's log. */
  onProblem?: (message: string) => void
  watermarks?: Watermarks
  /** How long a client may hold the shell back above the high watermark before it is detached. */
  stallMs?: number
  batchMs?: number
}

/**
 * A client that has not acknowledged for this long while the shell waits on it is detached (it gets `stream.end`
 * with an error and may attach again, replaying the screen): one frozen tab must not stop a terminal for everyone.
 */
export const STALLED_CLIENT_MS = 5_000

interface Client {
  sink: StreamSink
  /** Output that arrived between the attach and the screen it starts from; sent right after the screen. */
  waiting: string[] | undefined
  stall: NodeJS.Timeout | undefined
}

/**
 * One terminal: a shell (Docker exec or host pty) that belongs to the core, its headless mirror, and the clients
 * attached to it. Output is decoded (UTF-8 across chunk borders), batched, written to the mirror and every client,
 * and flow-controlled: the shell is paused while the mirror or any client is too far behind.
 */
export class TerminalSession {
  readonly id: string
  readonly target: TerminalTarget
  readonly createdAt: string
  readonly revived: boolean
  name: string
  position: number
  readonly #options: TerminalSessionOptions
  readonly #mirror: TerminalMirror
  readonly #batcher: OutputBatcher
  readonly #flow: FlowControl<Client>
  readonly #clients = new Set<Client>()

  /** Whether a client (a window, a browser tab) is attached now. */
  get attached(): boolean {
    return this.#clients.size > 0
  }
  #size: TerminalSize
  #state: TerminalState = 'connecting'
  #exitCode: number | null = null
  #shell: ShellProcess | undefined
  /** Counts shells: events of an earlier shell (one that lost its container) are ignored. */
  #generation = 0
  #launching = false

  constructor(options: TerminalSessionOptions) {
    this.#options = options
    this.id = options.id
    this.name = options.name
    this.target = options.target
    this.position = options.position
    this.createdAt = options.createdAt
    this.revived = options.history !== undefined
    this.#size = options.size
    this.#mirror = new TerminalMirror(options.size, options.scrollback)
    // A batch is at most half the high watermark: flow control counts output once it leaves the batch.
    this.#batcher = new OutputBatcher((text) => this.#dispatch(text), options.batchMs, (options.watermarks?.high ?? streamFlow.highWatermark) / 2)
    this.#flow = new FlowControl((paused) => (paused ? this.#shell?.pause() : this.#shell?.resume()), options.watermarks)
    if (options.history !== undefined) this.#output(options.history + notices.revived())
  }

  get state(): TerminalState {
    return this.#state
  }

  info(): TerminalInfo {
    return {
      id: this.id,
      name: this.name,
      target: this.target,
      state: this.#state,
      exitCode: this.#exitCode,
      cols: this.#size.cols,
      rows: this.#size.rows,
      position: this.position,
      createdAt: this.createdAt,
      revived: this.revived
    }
  }

  /** Starts the first shell; a stopped container is not an error (the session waits for it, `connecting`). */
  async start(): Promise<void> {
    const launched = await this.#launch(this.#options.firstLaunch ?? this.#options.launch)
    if (!launched && this.#state === 'connecting') this.#output(notices.waiting())
  }

  /** Tries a fresh shell when the session waits for its container (called when the container starts). */
  async reconnect(): Promise<void> {
    if (this.#state !== 'connecting' || this.#launching) return
    if (await this.#launch(this.#options.launch)) this.#options.onChange('reconnected')
  }

  write(data: string): void {
    if (this.#state === 'running') this.#shell?.write(data)
  }

  async resize(size: TerminalSize): Promise<void> {
    this.#size = size
    this.#mirror.resize(size)
    await this.#shell?.resize(size)
  }

  /**
   * Attaches a client: it gets the mirror's screen as it is once everything output so far is parsed, then every
   * later output, in order. Output that arrives meanwhile waits for the screen (and counts against the client).
   * The handle's `ack` counts UTF-16 code units (string length); its `close` detaches (the shell goes on).
   */
  attach(sink: StreamSink): StreamHandle {
    this.#batcher.flushNow()
    const client: Client = { sink, waiting: [], stall: undefined }
    this.#clients.add(client)
    this.#flow.add(client)
    this.#mirror.drain(() => {
      if (!this.#clients.has(client)) return
      const screen = this.#mirror.serialize()
      const waiting = client.waiting ?? []
      client.waiting = undefined
      this.#flow.sent(client, screen.length)
      if (screen.length > 0) sink.data(screen)
      for (const text of waiting) sink.data(text)
      this.#checkStall(client)
    })
    return {
      write: (data) => this.write(data),
      ack: (amount) => {
        if (!this.#clients.has(client)) return
        this.#flow.ack(client, amount)
        this.#checkStall(client)
      },
      close: () => this.#detach(client)
    }
  }

  /**
   * Output (UTF-16 code units) sent or queued but not yet processed by the consumer furthest behind: a client (flow
   * control keeps it near the high watermark) or the mirror (bounded by skipping). Tests and benchmarks watch it.
   */
  backlog(): number {
    return Math.max(this.#flow.most(), this.#mirror.queued)
  }

  /** The screen as it is once all output so far is parsed (for the database, and tests); `scrollback` limits its history. */
  serialize(scrollback?: number): Promise<string> {
    this.#batcher.flushNow()
    return new Promise((resolve) => this.#mirror.drain(() => resolve(this.#mirror.serialize(scrollback))))
  }

  /** The screen as far as the mirror has parsed it, at once (when the core closes and cannot wait). */
  screenNow(scrollback?: number): string {
    return this.#mirror.serialize(scrollback)
  }

  /** No shell could be started (a revived terminal whose workspace is gone): said on the screen, then exited. */
  fail(message: string): void {
    if (this.#state === 'closed') return
    this.#generation += 1
    this.#shell?.close()
    this.#shell = undefined
    this.#state = 'exited'
    this.#output(notices.failed(message))
    this.#options.onChange('exited')
  }

  /** Ends the shell and every attach. */
  close(): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.#generation += 1
    this.#shell?.close()
    this.#shell = undefined
    this.#batcher.dispose()
    for (const client of [...this.#clients]) {
      this.#detach(client)
      client.sink.end(this.#exitCode)
    }
    this.#mirror.dispose()
  }

  async #launch(launcher: ShellLauncher): Promise<boolean> {
    this.#launching = true
    const generation = ++this.#generation
    const decoder = new StringDecoder('utf8')
    const wasConnecting = this.#state === 'connecting' && this.#shell === undefined && this.#exitCode === null
    try {
      const shell = await launcher(this.#size, {
        data: (chunk) => {
          if (generation === this.#generation) this.#output(decoder.write(chunk))
        },
        exit: (end) => {
          if (generation !== this.#generation) return
          this.#output(decoder.end())
          this.#ended(end)
        }
      })
      if (generation !== this.#generation) {
        // Closed (or replaced) while the shell started.
        shell.close()
        return false
      }
      this.#shell = shell
      if (this.#flow.paused) shell.pause()
      if (wasConnecting && this.#generation > 1) this.#output(notices.reconnected())
      this.#state = 'running'
      return true
    } catch (err) {
      if (!(err instanceof ContainerNotRunning)) {
        if (this.#generation === 1) throw err
        this.#options.onProblem?.(`Terminal ${this.name} could not reconnect: ${(err as Error).message}`)
      }
      return false
    } finally {
      this.#launching = false
    }
  }

  #ended(end: { exitCode: number | null; lostContainer: boolean }): void {
    this.#shell = undefined
    if (this.#state === 'closed') return
    if (end.lostContainer && this.target.kind === 'workspace') {
      this.#state = 'connecting'
      this.#output(notices.lost())
      this.#options.onChange('connecting')
      // A quick restart may already be over: try at once; otherwise the container's start event calls reconnect.
      void this.reconnect()
      return
    }
    this.#state = 'exited'
    this.#exitCode = end.exitCode
    this.#output(notices.exited(end.exitCode))
    this.#options.onChange('exited')
  }

  #output(text: string): void {
    if (text.length === 0 || this.#state === 'closed') return
    this.#batcher.push(text)
  }

  #dispatch(text: string): void {
    this.#flow.sentToAll(text.length)
    // Not flow-controlled: the mirror skips the middle of a flood rather than hold the shell to its parsing pace.
    this.#mirror.write(text)
    this.#options.onOutput?.()
    for (const client of this.#clients) {
      if (client.waiting) client.waiting.push(text)
      else client.sink.data(text)
      this.#checkStall(client)
    }
  }

  #checkStall(client: Client): void {
    const behind = this.#flow.isAboveHigh(client)
    if (behind && client.stall === undefined) {
      client.stall = setTimeout(() => {
        client.stall = undefined
        if (!this.#clients.has(client) || !this.#flow.isAboveHigh(client)) return
        this.#detach(client)
        client.sink.end(null, {
          code: 'CONFLICT',
          message: `This view of terminal ${this.name} fell too far behind its output and was detached.`,
          hint: 'Attach again: the screen is replayed as it is now.'
        })
      }, this.#options.stallMs ?? STALLED_CLIENT_MS)
    } else if (!behind && client.stall !== undefined) {
      clearTimeout(client.stall)
      client.stall = undefined
    }
  }

  #detach(client: Client): void {
    if (!this.#clients.delete(client)) return
    if (client.stall) clearTimeout(client.stall)
    this.#flow.remove(client)
  }
}
