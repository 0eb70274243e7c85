import { chmodSync, mkdirSync, statSync, unlinkSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { dirname } from 'node:path'
import { z } from 'zod'
import { ControlRequest, type ControlResponse } from './control-protocol'
import { RequestError } from './request-error'

/** A request line longer than this is refused and the connection closed: the socket is no upload channel. */
const MAX_REQUEST_BYTES = 1024 * 1024

export type ControlHandler = (request: ControlRequest) => Promise<unknown>

/**
 * The monitor's unix socket: newline-delimited JSON requests, each validated with zod before it
 * reaches the handler, answered in order on the same connection.
 */
export class ControlSocket {
  private readonly sockets = new Set<Socket>()

  private constructor(
    private readonly server: Server,
    readonly path: string
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  /** Listens on `path`; a stale socket file is replaced, a live monitor on it is an error. */
  static async listen(path: string, handler: ControlHandler, log: (message: string) => void): Promise<ControlSocket> {
    privateFolder(dirname(path))
    if (await answers(path)) throw new Error(`another monitor already listens on ${path}`)
    try {
      unlinkSync(path)
    } catch {
      // no stale socket
    }
    const server = createServer((socket) => serve(socket, handler, log))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => {
        server.off('error', reject)
        resolve()
      })
    })
    chmodSync(path, 0o600)
    return new ControlSocket(server, path)
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const socket of this.sockets) socket.destroy()
    await closed
  }
}

/**
 * The socket's folder, made or checked to be the monitor's own and closed to everyone else: whoever can
 * enter it can control the app, so in the image only root (the monitor's user) may; the app (`node`) may not.
 */
function privateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const { uid, mode } = statSync(dir)
  const own = process.getuid?.()
  if (own !== undefined && uid !== own) {
    throw new Error(`the control socket's folder ${dir} belongs to uid ${uid}, not the monitor's uid ${own}: remove it or name another (SANDLOT_MONITOR_SOCKET)`)
  }
  if ((mode & 0o077) !== 0) chmodSync(dir, 0o700)
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path)
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', () => resolve(false))
  })
}

function serve(socket: Socket, handler: ControlHandler, log: (message: string) => void): void {
  let buffered = ''
  let refused = false
  // Answers go out in request order, even when an earlier request (a stop) takes a while.
  let pending: Promise<void> = Promise.resolve()
  const send = (response: ControlResponse) => {
    if (!socket.destroyed) socket.write(JSON.stringify(response) + '\n')
  }
  socket.setEncoding('utf8')
  socket.on('error', () => socket.destroy())
  socket.on('data', (chunk: string) => {
    if (refused) return
    buffered += chunk
    const lines = buffered.split('\n')
    buffered = lines.pop()!
    if ([...lines, buffered].some((line) => line.length > MAX_REQUEST_BYTES)) {
      refused = true
      const refusal: ControlResponse = { ok: false, error: { code: 'BAD_REQUEST', message: `request longer than ${MAX_REQUEST_BYTES} bytes` } }
      pending = pending.then(() => send(refusal)).then(() => void socket.end())
      return
    }
    for (const line of lines) {
      if (line.trim() !== '') pending = pending.then(() => answer(line, handler, log)).then(send)
    }
  })
}

async function answer(line: string, handler: ControlHandler, log: (message: string) => void): Promise<ControlResponse> {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return { ok: false, error: { code: 'BAD_REQUEST', message: 'request is not valid JSON' } }
  }
  const parsed = ControlRequest.safeParse(value)
  if (!parsed.success) return { ok: false, error: { code: 'BAD_REQUEST', message: `invalid request: ${z.prettifyError(parsed.error)}` } }
  try {
    return { ok: true, result: await handler(parsed.data) }
  } catch (error) {
    if (error instanceof RequestError) return { ok: false, error: { code: error.code, message: error.message } }
    log(`control request ${parsed.data.op} failed: ${(error as Error).stack ?? String(error)}`)
    return { ok: false, error: { code: 'INTERNAL', message: (error as Error).message } }
  }
}
