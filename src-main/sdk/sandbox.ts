import type { ErrorInfo, ExecResult, FileEntry, LogLine, Workspace, WorkspaceChanges } from '../core/contract'
import { EXEC_OUTPUT_CAP } from '../core/contract/exec'
import { SandlotApiError } from './errors'
import { serverEvents } from './event-stream'
import type { HttpClient } from './http-client'
import { Terminal, type TerminalOptions } from './terminal'

export interface RunOptions {
  /** Milliseconds before the command is stopped (default 60 s). */
  timeout?: number
  cwd?: string
  envs?: Record<string, string>
  stdin?: string
  /** The command's stdout as it comes (the output is then streamed; the result still holds it, capped as usual). */
  onStdout?: (data: string) => void
  /** The command's stderr as it comes. */
  onStderr?: (data: string) => void
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
    run: (cmd: string, options: RunOptions = {}): Promise<ExecResult> => {
      const body = {
        command: 'bash',
        args: ['-c', cmd],
        ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout }),
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        ...(options.envs === undefined ? {} : { env: options.envs }),
        ...(options.stdin === undefined ? {} : { stdin: options.stdin })
      }
      const path = `/api/workspaces/${encodeURIComponent(this.name)}/exec`
      return options.onStdout === undefined && options.onStderr === undefined ? this.#http.request<ExecResult>('POST', path, body) : runStreamed(this.#http, path, body, options)
    }
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
    },
    /** One entry (a link is described, not followed). */
    getInfo: (path: string): Promise<FileEntry> => this.#http.request('GET', `/api/workspaces/${encodeURIComponent(this.name)}/files/stat`, undefined, { path }),
    /** Makes a folder and its missing parents. */
    makeDir: async (path: string): Promise<void> => void (await this.#http.request('POST', `/api/workspaces/${encodeURIComponent(this.name)}/files/mkdir`, { path })),
    /** Moves or renames an entry; the destination must not exist. */
    rename: async (from: string, to: string): Promise<void> => void (await this.#http.request('POST', `/api/workspaces/${encodeURIComponent(this.name)}/files/move`, { from, to })),
    /** Removes a file, link or empty folder; a folder with entries only with `recursive`. */
    remove: async (path: string, options: { recursive?: boolean } = {}): Promise<void> =>
      void (await this.#http.request('DELETE', `/api/workspaces/${encodeURIComponent(this.name)}/files`, undefined, { path, recursive: options.recursive })),
    /** Extracts a tar into a folder of /app (made if missing); every entry is checked first, nothing extracted if one is refused. */
    upload: async (tar: Uint8Array, path = '.'): Promise<{ path: string; bytes: number }> =>
      (await this.#http.bytes('PUT', `/api/workspaces/${encodeURIComponent(this.name)}/files/archive`, { body: tar, type: 'application/x-tar', query: { path } })).json() as Promise<{ path: string; bytes: number }>,
    /** A file or folder as a tar (a folder's entries relative to it, so `upload` into the same folder puts them back). */
    download: async (path = '.'): Promise<Uint8Array> =>
      new Uint8Array(await (await this.#http.bytes('GET', `/api/workspaces/${encodeURIComponent(this.name)}/files/archive`, { query: { path } })).arrayBuffer())
  }

  /** The workspace saved (/app without node_modules, with its run settings) as a .tar.gz, for `sandlot.workspaces.restore`. */
  async save(): Promise<Uint8Array> {
    return new Uint8Array(await (await this.#http.bytes('GET', `/api/workspaces/${encodeURIComponent(this.name)}/archive`)).arrayBuffer())
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
    /** Starts the app: the template's start command, or `command` (a shell command line, kept by the monitor for restarts). */
    start: (options: { command?: string } = {}): Promise<Record<string, unknown>> => this.#process('start', options.command),
    stop: (): Promise<Record<string, unknown>> => this.#process('stop'),
    restart: (): Promise<Record<string, unknown>> => this.#process('restart')
  }

  #process(action: 'start' | 'stop' | 'restart', command?: string): Promise<Record<string, unknown>> {
    return this.#http.request('POST', `/api/workspaces/${encodeURIComponent(this.name)}/process/${action}`, command === undefined ? undefined : { command })
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

  /** Changes it in place: `{ idleStopMinutes: 30 }` (0: never; null: follow the `workspaces.idleStopMinutes` setting again). */
  async update(changes: WorkspaceChanges): Promise<Workspace> {
    this.#info = await this.#http.request<Workspace>('PATCH', `/api/workspaces/${encodeURIComponent(this.name)}`, changes)
    return this.#info
  }

  /** Removes the workspace, running or not (its history is kept unless `purge`). */
  async remove(options: { purge?: boolean } = {}): Promise<void> {
    await this.#http.request('DELETE', `/api/workspaces/${encodeURIComponent(this.name)}`, undefined, { force: true, purge: options.purge })
  }
}

/** An exec with its output streamed (Server-Sent Events): each chunk to its callback, the result as `run` gives it. */
async function runStreamed(http: HttpClient, path: string, body: object, options: RunOptions): Promise<ExecResult> {
  const kept = { stdout: '', stderr: '' }
  const truncated = { stdout: false, stderr: false }
  for await (const event of serverEvents(await http.stream('POST', path, { body }))) {
    if (event.event === 'stdout' || event.event === 'stderr') {
      const text = JSON.parse(event.data) as string
      const room = EXEC_OUTPUT_CAP - kept[event.event].length
      if (text.length > room) truncated[event.event] = true
      kept[event.event] += text.slice(0, Math.max(0, room))
      ;(event.event === 'stdout' ? options.onStdout : options.onStderr)?.(text)
    } else if (event.event === 'exit') {
      const { exitCode, timedOut } = JSON.parse(event.data) as { exitCode: number; timedOut: boolean }
      return { exitCode, stdout: kept.stdout, stderr: kept.stderr, stdoutTruncated: truncated.stdout, stderrTruncated: truncated.stderr, timedOut }
    } else if (event.event === 'error') {
      const { error } = JSON.parse(event.data) as { error: ErrorInfo }
      throw new SandlotApiError(200, error.code, error.message, error.hint)
    }
  }
  throw new SandlotApiError(0, 'INTERRUPTED', 'The connection ended before the command did.', 'It may still be running until its timeout; run it again.')
}
