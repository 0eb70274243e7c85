import type { ExecResult, FileEntry, LogLine, Workspace } from '../core/contract'
import { serverEvents } from './event-stream'
import type { HttpClient } from './http-client'
import { Terminal, type TerminalOptions } from './terminal'

export interface RunOptions {
  /** Milliseconds before the command is stopped (default 60 s). */
  timeout?: number
  cwd?: string
  envs?: Record<string, string>
  stdin?: string
}

/** A workspace used as a sandbox: commands, its preview, its logs; names follow E2B's SDK where they fit. */
export class Sandbox {
  readonly #http: HttpClient
  #info: Workspace

  constructor(http: HttpClient, info: Workspace) {
    this.#http = http
    this.#info = info
  }

  get name(): string {
    return this.#info.name
  }

  /** The app's address on this machine while it runs (templates that serve a port). */
  get previewUrl(): string | undefined {
    return this.#info.previewUrl
  }

  /** The workspace as last fetched (see refresh). */
  get info(): Workspace {
    return this.#info
  }

  async refresh(): Promise<Workspace> {
    this.#info = await this.#http.request<Workspace>('GET', `/api/workspaces/${encodeURIComponent(this.name)}`)
    return this.#info
  }

  readonly commands = {
    /** Runs a command line with bash in /app as `node`; resolves with its exit code and output (a non-zero exit does not throw). */
    run: (cmd: string, options: RunOptions = {}): Promise<ExecResult> =>
      this.#http.request<ExecResult>('POST', `/api/workspaces/${encodeURIComponent(this.name)}/exec`, {
        command: 'bash',
        args: ['-c', cmd],
        ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout }),
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        ...(options.envs === undefined ? {} : { env: options.envs }),
        ...(options.stdin === undefined ? {} : { stdin: options.stdin })
      })
  }

  readonly files = {
    /** A folder's entries (relative to /app, or absolute inside it). */
    list: (path = '.'): Promise<FileEntry[]> => this.#http.request('GET', `/api/workspaces/${encodeURIComponent(this.name)}/files`, undefined, { path }),
    /** A file's text (utf8). */
    read: async (path: string): Promise<string> =>
      (await this.#http.request<{ content: string }>('GET', `/api/workspaces/${encodeURIComponent(this.name)}/files/content`, undefined, { path })).content,
    /** Writes a file (text, or bytes), making missing folders. */
    write: async (path: string, data: string | Uint8Array): Promise<void> => {
      const content = typeof data === 'string' ? { content: data } : { content: Buffer.from(data).toString('base64'), encoding: 'base64' }
      await this.#http.request('PUT', `/api/workspaces/${encodeURIComponent(this.name)}/files/content`, content, { path })
    }
  }

  readonly logs = {
    /** Stored log lines of the app, oldest first (the newest `limit`, or those after a row id). */
    list: async (options: { after?: number; limit?: number; query?: string } = {}): Promise<LogLine[]> =>
      (await this.#http.request<{ lines: LogLine[] }>('GET', '/api/history/logs', undefined, { workspace: this.name, ...options })).lines,
    /**
     * New log lines as they are stored (from `after`, a row id, when given; 0: from the first), until `signal`
     * aborts. A dropped connection is resumed from the last line received: none is missed or repeated.
     */
    follow: (options: { after?: number; signal?: AbortSignal } = {}): AsyncGenerator<LogLine> => this.#follow(options)
  }

  readonly terminal = {
    /** A shell in /app as `node`, the same session the window shows; `onData` gets its output. */
    open: (options: TerminalOptions = {}): Promise<Terminal> => Terminal.open(this.#http, this.name, options),
    /** Attaches to an open session by its id (one the window shows, or an earlier `open`); the screen so far comes first. */
    attach: (id: string, options: TerminalOptions = {}): Promise<Terminal> => Terminal.attach(this.#http, id, options)
  }

  readonly process = {
    /** The app process as the workspace's monitor reports it. */
    status: (): Promise<Record<string, unknown>> => this.#http.request('GET', `/api/workspaces/${encodeURIComponent(this.name)}/process`),
    start: (): Promise<Record<string, unknown>> => this.#process('start'),
    stop: (): Promise<Record<string, unknown>> => this.#process('stop'),
    restart: (): Promise<Record<string, unknown>> => this.#process('restart')
  }

  #process(action: 'start' | 'stop' | 'restart'): Promise<Record<string, unknown>> {
    return this.#http.request('POST', `/api/workspaces/${encodeURIComponent(this.name)}/process/${action}`)
  }

  async *#follow(options: { after?: number; signal?: AbortSignal }): AsyncGenerator<LogLine> {
    const signal = options.signal ?? new AbortController().signal
    let last = options.after === undefined ? undefined : String(options.after)
    while (!signal.aborted) {
      let body: ReadableStream<Uint8Array>
      try {
        body = await this.#http.stream('GET', '/api/history/logs/stream', { query: { workspace: this.name }, ...(last === undefined ? {} : { lastEventId: last }), signal })
        for await (const event of serverEvents(body)) {
          last = event.id ?? last
          yield JSON.parse(event.data) as LogLine
        }
      } catch (err) {
        if (signal.aborted) return
        // A connection cut (a server restart, a sleeping laptop): resumed from the last line; API errors end it.
        if ((err as { name?: string }).name === 'SandlotApiError') throw err
      }
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }

  async start(): Promise<void> {
    this.#info = await this.#http.request<Workspace>('POST', `/api/workspaces/${encodeURIComponent(this.name)}/start`)
  }

  async stop(): Promise<void> {
    this.#info = await this.#http.request<Workspace>('POST', `/api/workspaces/${encodeURIComponent(this.name)}/stop`)
  }

  /** Removes the workspace, running or not (its history is kept unless `purge`). */
  async remove(options: { purge?: boolean } = {}): Promise<void> {
    await this.#http.request('DELETE', `/api/workspaces/${encodeURIComponent(this.name)}`, undefined, { force: true, purge: options.purge })
  }
}
