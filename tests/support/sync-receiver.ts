import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import { SyncBatch, type SyncDrop, type SyncRecord, type SyncWorkspace } from '../../src-main/core/contract'

/** What the receiver answers the next requests with, instead of storing. */
export type ReceiverRefusal = 401 | 400 | 413 | 500 | 503

export interface ReceivedRequest {
  status: number
  batch?: string
  records: number
  bytes: number
}

/**
 * A small orchestrator on loopback for desktop-side sync tests: `POST /api/sync/batches` with a bearer token,
 * validated against the wire contract, records stored once by (container, boot, seq) as the real one does.
 * It can refuse (any status, for a number of requests or until told otherwise), limit bodies (413), and go
 * away and come back on the same port.
 */
export class SyncReceiver {
  /** Every record stored, by its key. */
  readonly records = new Map<string, SyncRecord>()
  /** How many times a record came again after it was stored. */
  duplicates = 0
  readonly drops: SyncDrop[] = []
  readonly workspaceLists: SyncWorkspace[][] = []
  readonly requests: ReceivedRequest[] = []
  token: string
  /** Bodies over this many bytes get 413. */
  maxBodyBytes = 8 * 1024 * 1024
  #refusal: { status: ReceiverRefusal; times: number } | undefined
  #server: Server | undefined
  #port = 0
  readonly #sockets = new Set<import('node:net').Socket>()

  constructor(token = 'test-token-0123456789') {
    this.token = token
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.#handle(req, res))
    server.on('connection', (socket) => {
      this.#sockets.add(socket)
      socket.on('close', () => this.#sockets.delete(socket))
    })
    await new Promise<void>((resolve) => server.listen(this.#port, '127.0.0.1', resolve))
    this.#port = (server.address() as AddressInfo).port
    this.#server = server
    return this
  }

  /** Goes away at once (open connections cut): the desktop sees a refused connection until `start` again. */
  async stop(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    if (!server) return
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Answers `status` to the next `times` batches (Infinity: until `accept`). */
  refuse(status: ReceiverRefusal, times = Number.POSITIVE_INFINITY): void {
    this.#refusal = { status, times }
  }

  accept(): void {
    this.#refusal = undefined
  }

  /** Stored records of one kind, or all. */
  stored(kind?: SyncRecord['kind']): SyncRecord[] {
    return [...this.records.values()].filter((r) => kind === undefined || r.kind === kind)
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const answer = (status: number, json: unknown, parsed?: SyncBatch): void => {
      this.requests.push({ status, ...(parsed ? { batch: parsed.batch } : {}), records: parsed?.records.length ?? 0, bytes: body.length })
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
    }
    const error = (status: number, code: string, message: string) => answer(status, { error: { code, message, hint: `the test receiver said ${status}` } })
    if (req.method !== 'POST' || req.url !== '/api/sync/batches') return error(404, 'NOT_FOUND', `no route ${req.method} ${req.url}`)
    if (req.headers.authorization !== `Bearer ${this.token}`) return error(401, 'UNAUTHORIZED', 'unknown or revoked token')
    if (body.length > this.maxBodyBytes) return error(413, 'TOO_LARGE', `the body is over ${this.maxBodyBytes} bytes`)
    let parsed: SyncBatch
    try {
      parsed = SyncBatch.parse(JSON.parse(body.toString('utf8')))
    } catch (err) {
      return error(400, 'BAD_REQUEST', err instanceof z.ZodError ? z.prettifyError(err) : (err as Error).message)
    }
    const refusal = this.#refusal
    if (refusal) {
      refusal.times--
      if (refusal.times <= 0) this.#refusal = undefined
      return answer(refusal.status, { error: { code: 'REFUSED', message: `refused with ${refusal.status} on purpose`, hint: 'a test' } }, parsed)
    }
    let stored = 0
    let duplicates = 0
    for (const record of parsed.records) {
      const key = `${record.container}/${record.boot}/${record.seq}`
      if (this.records.has(key)) duplicates++
      else {
        this.records.set(key, record)
        stored++
      }
    }
    this.duplicates += duplicates
    if (parsed.dropped) this.drops.push(...parsed.dropped)
    if (parsed.workspaces) this.workspaceLists.push(parsed.workspaces)
    answer(200, { stored, duplicates, host: 'test-host' }, parsed)
  }
}
