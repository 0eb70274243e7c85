import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import type { Clock, Timer } from './clock'
import type { PreviewStatus } from './control-protocol'
import { hostAllowed, inspectRequestHead, refusalResponse, escapeHtml, type HeadVerdict } from './preview-host-check'
import type { AppState } from './protocol'

/** Where a preview connection should go right now, and what to tell the browser when it cannot. */
export interface PreviewTarget {
  /** The app's port: the spec's, else the one the current run was found listening on; undefined while neither is known. */
  port: number | undefined
  /** Host names the preview answers besides the loopback names (the spec's previewHosts). */
  hosts: readonly string[]
  state: AppState
  /** Why the app is in that state (the supervisor's reason). */
  reason: string
}

export interface PreviewForwarderOptions {
  /** The preview port; 0 binds any free port (tests). */
  port: number
  /** 0.0.0.0 in the container: Docker's published port arrives on the container's address. */
  host?: string
  /** Asked once per incoming connection, so the forwarder follows spec changes and restarts. */
  target: () => PreviewTarget
  /** Times the retries of a port that cannot be bound. */
  clock: Clock
  /** The monitor's diagnostics (stderr). */
  log: (message: string) => void
  /** Wait between attempts to bind a port that is taken. */
  retryMs: number
  /** Per address tried (127.0.0.1, then ::1): a connect that takes longer counts as not answering. */
  connectTimeoutMs?: number
  /** How long a socket may stay open after its peer closed, or after a 503 was sent, before it is destroyed. */
  lingerMs?: number
}

/** The apps' loopback addresses: dev servers on "localhost" bind one of them, depending on the resolver. */
const APP_HOSTS = ['127.0.0.1', '::1'] as const
const DEFAULT_CONNECT_TIMEOUT_MS = 5000
const DEFAULT_LINGER_MS = 5000
/** Distinct refused Host values noted on stderr, so a page that keeps trying cannot flood it. */
const MAX_REFUSALS_LOGGED = 20
/** While the port stays taken, the diagnostic repeats every this many attempts (a minute at 3 s). */
const REPEAT_DIAGNOSTIC_EVERY = 20

/**
 * The preview port: a raw TCP forwarder from `host:port` to the app's current port on the
 * container's loopback. The host publishes this one port at container creation, before it knows
 * which app (and port) the container will run, and apps that listen on 127.0.0.1 or ::1 only
 * (Vite's default) are reachable through it. Bytes pass unchanged both ways (HTTP, WebSocket
 * upgrades, streaming), with backpressure and half-close. When the app does not accept the
 * connection, the client gets a small HTTP 503 page saying why.
 */
export class PreviewForwarder {
  private server: Server | null = null
  private boundPort: number | null = null
  private retryTimer: Timer | null = null
  private failedAttempts = 0
  private lastConnectionAt: number | null = null
  private closed = false
  private readonly refusalsLogged = new Set<string>()
  /** Open connections: what destroys their sockets, and when all of them closed (then the entry goes). */
  private readonly connections = new Map<() => void, Promise<void>>()

  constructor(private readonly options: PreviewForwarderOptions) {}

  /** Binds the port; resolves after the first attempt, also a failed one (retries follow on their own). */
  start(): Promise<void> {
    return this.attempt()
  }

  /** Stops listening and cuts every open connection; resolves once all their sockets closed. */
  async close(): Promise<void> {
    this.closed = true
    this.retryTimer?.cancel()
    this.retryTimer = null
    const server = this.server
    this.server = null
    this.boundPort = null
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve()
    const open = [...this.connections]
    for (const [destroy] of open) destroy()
    await Promise.all([closed, ...open.map(([, gone]) => gone)])
  }

  status(): PreviewStatus {
    return {
      port: this.boundPort ?? this.options.port,
      listening: this.boundPort !== null,
      connections: this.connections.size,
      lastConnectionAt: this.lastConnectionAt === null ? null : new Date(this.lastConnectionAt).toISOString()
    }
  }

  /** The port an app must not use: forwarding to it would loop. Null while port 0 is not bound yet. */
  reservedPort(): number | null {
    return this.options.port !== 0 ? this.options.port : this.boundPort
  }

  private attempt(): Promise<void> {
    return new Promise((resolve) => {
      const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => this.accept(socket))
      const failed = (error: NodeJS.ErrnoException) => {
        server.close()
        this.failedAttempts++
        if (!this.closed) {
          if (this.failedAttempts % REPEAT_DIAGNOSTIC_EVERY === 1) this.options.log(this.bindProblem(error))
          this.retryTimer = this.options.clock.setTimer(this.options.retryMs, () => {
            this.retryTimer = null
            void this.attempt()
          })
        }
        resolve()
      }
      server.once('error', failed)
      server.listen({ port: this.options.port, host: this.options.host ?? '0.0.0.0' }, () => {
        server.off('error', failed)
        server.on('error', (error) => this.options.log(`preview port: ${error.message}`))
        if (this.closed) {
          server.close()
        } else {
          this.server = server
          this.boundPort = (server.address() as AddressInfo).port
          if (this.failedAttempts > 0) {
            this.options.log(`preview port ${this.boundPort}: listening now, after ${this.failedAttempts} failed attempt${this.failedAttempts === 1 ? '' : 's'}`)
          }
          this.failedAttempts = 0
        }
        resolve()
      })
    })
  }

  private bindProblem(error: NodeJS.ErrnoException): string {
    const port = this.options.port
    const retry = `retrying every ${formatMs(this.options.retryMs)}`
    const attempts = this.failedAttempts > 1 ? ` (${this.failedAttempts} attempts so far)` : ''
    if (error.code === 'EADDRINUSE') {
      return (
        `preview port ${port} is in use (EADDRINUSE)${attempts}: the app's preview is unreachable until it is free; ` +
        `something else in the container listens on ${port} (the app itself? let it use another port: the preview port forwards to the spec's port); ${retry}`
      )
    }
    return `cannot listen on preview port ${port}: ${error.message}${attempts}; ${retry}`
  }

  private accept(client: Socket): void {
    // What the host's idle stop reads: a preview in use keeps its workspace running.
    this.lastConnectionAt = this.options.clock.now()
    const sockets = new Set<Socket>()
    let done = false
    let gone!: () => void
    const destroyAll = () => {
      for (const socket of sockets) socket.destroy()
    }
    const track = (socket: Socket) => {
      sockets.add(socket)
      socket.once('close', () => {
        sockets.delete(socket)
        if (sockets.size === 0 && !done) {
          done = true
          this.connections.delete(destroyAll)
          gone()
        }
      })
    }
    track(client)
    this.connections.set(destroyAll, new Promise<void>((resolve) => (gone = resolve)))
    client.on('error', destroyAll)
    client.setNoDelay(true)
    this.readHead(client, destroyAll, (verdict) => {
      const target = this.options.target()
      if (verdict.kind === 'too-large' || (verdict.kind === 'head' && (verdict.several || verdict.host === null || !hostAllowed(verdict.host, target.hosts)))) {
        this.refuse(client, verdict)
        return
      }
      this.forward(client, target, track, destroyAll)
    })
  }

  /**
   * Reads until the first request's head is complete (or the bytes cannot be HTTP), then puts what it read back
   * in front of the stream, paused, for the app. A client that leaves before that takes the connection with it.
   */
  private readHead(client: Socket, destroyAll: () => void, decide: (verdict: Exclude<HeadVerdict, { kind: 'wait' }>) => void): void {
    let received = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      const verdict = inspectRequestHead(received)
      if (verdict.kind === 'wait') return
      client.off('data', onData)
      client.off('end', destroyAll)
      client.pause()
      client.unshift(received)
      decide(verdict)
    }
    client.on('data', onData)
    client.once('end', destroyAll)
    client.resume() // paused on connect: a 'data' listener alone does not start it
  }

  private forward(client: Socket, target: PreviewTarget, track: (socket: Socket) => void, destroyAll: () => void): void {
    let upstream: Socket | null = null
    if (target.port === undefined) {
      const why = target.state === 'idle' ? 'no app has been started yet' : 'the process spec names no port and the app listens on none yet, so there is nothing to forward to'
      this.unavailable(client, target, why)
      return
    }
    if (target.port === this.boundPort) {
      this.unavailable(client, target, `the app's port ${target.port} is the preview port itself`)
      return
    }
    const port = target.port
    const failures: string[] = []
    const tryHost = (index: number) => {
      if (client.destroyed) return
      if (index === APP_HOSTS.length) {
        // Asked again: the state may have moved on while the connects were tried.
        this.unavailable(client, this.options.target(), `nothing accepts connections on port ${port} (${failures.join(', ')})`)
        return
      }
      const host = APP_HOSTS[index]!
      const attempt = connect({ host, port, allowHalfOpen: true })
      track(attempt)
      const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
      let settled = false
      const giveUp = (code: string) => {
        if (settled) return
        settled = true
        attempt.removeListener('connect', connected)
        attempt.removeListener('error', failed)
        attempt.on('error', () => {})
        attempt.destroy()
        failures.push(`${host}: ${code}`)
        tryHost(index + 1)
      }
      const failed = (error: NodeJS.ErrnoException) => giveUp(error.code ?? error.message)
      const connected = () => {
        if (settled) return
        settled = true
        attempt.removeListener('error', failed)
        attempt.setTimeout(0)
        if (client.destroyed) {
          attempt.destroy()
          return
        }
        upstream = attempt
        this.splice(client, attempt, destroyAll)
      }
      attempt.once('error', failed)
      attempt.once('connect', connected)
      attempt.setTimeout(timeoutMs, () => giveUp(`no answer within ${formatMs(timeoutMs)}`))
    }
    // A client that leaves while the app is being tried takes the attempt with it.
    client.once('close', () => {
      if (upstream === null) destroyAll()
    })
    tryHost(0)
  }

  /** Raw bytes both ways; pipe() pauses the faster side, and each side's end is passed on (half-close). */
  private splice(client: Socket, upstream: Socket, destroyAll: () => void): void {
    upstream.setNoDelay(true)
    upstream.on('error', destroyAll)
    const lingerMs = this.options.lingerMs ?? DEFAULT_LINGER_MS
    // Both sides close on their own once both ends were passed on. When one side closes otherwise,
    // nothing can reach it any more: the other side gets its end, and a little time to flush it.
    const afterClose = (other: Socket, hadError: boolean) => {
      if (other.destroyed) return
      if (hadError) {
        other.destroy()
        return
      }
      if (!other.writableEnded) other.end()
      other.resume()
      const timer = setTimeout(() => other.destroy(), lingerMs)
      timer.unref()
      other.once('close', () => clearTimeout(timer))
    }
    client.once('close', (hadError) => afterClose(upstream, hadError))
    upstream.once('close', (hadError) => afterClose(client, hadError))
    client.pipe(upstream)
    upstream.pipe(client)
  }

  /** A complete HTTP/1.1 503 answer, then close. */
  private unavailable(client: Socket, target: PreviewTarget, why: string): void {
    this.answerAndClose(client, unavailableResponse(target, why))
  }

  /** 403 for a Host that is not the preview's (431 for a head too large), saying why; noted once per name on stderr. */
  private refuse(client: Socket, verdict: Extract<HeadVerdict, { kind: 'head' | 'too-large' }>): void {
    const what = verdict.kind === 'too-large' ? 'a request head too large' : verdict.several ? 'several Host headers' : verdict.host === null ? 'no Host header' : `Host ${JSON.stringify(verdict.host)}`
    if (this.refusalsLogged.size < MAX_REFUSALS_LOGGED && !this.refusalsLogged.has(what)) {
      this.refusalsLogged.add(what)
      this.options.log(`preview port: refused a request with ${what} (only loopback names and the spec's previewHosts are answered)`)
    }
    this.answerAndClose(client, refusalResponse(verdict))
  }

  /** Sends a complete answer and closes; the request is read and dropped so the close is no reset. */
  private answerAndClose(client: Socket, response: string): void {
    if (client.destroyed) return
    client.resume()
    client.end(response)
    const timer = setTimeout(() => client.destroy(), this.options.lingerMs ?? DEFAULT_LINGER_MS)
    timer.unref()
    client.once('close', () => clearTimeout(timer))
  }
}

/** The 503 page: the browser shows why instead of a reset connection. */
export function unavailableResponse(target: PreviewTarget, why: string): string {
  const line = `Sandlot: the app is not answering yet — state: ${target.state}, ${why}.`
  const body =
    '<!doctype html>\n<html><head><meta charset="utf-8"><title>Sandlot: the app is not answering yet</title></head>\n' +
    `<body><p>${escapeHtml(line)}</p><p>${escapeHtml(`Last state change: ${target.reason}.`)}</p></body></html>\n`
  return (
    'HTTP/1.1 503 Service Unavailable\r\n' +
    'Content-Type: text/html; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Retry-After: 1\r\n' +
    'Cache-Control: no-store\r\n' +
    'X-Sandlot-Preview: unavailable\r\n' +
    'Connection: close\r\n' +
    '\r\n' +
    body
  )
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}
