// `sandlot/sdk`: a typed client for `sandlot serve`'s API. Plain Node (fetch, fs): no Electron, Docker or SQLite.
import { readFileSync } from 'node:fs'
import type { CreateProgress, EngineStatus, TemplateAddResult, TemplateSummary, Workspace } from '../core/contract'
import { dataPaths, resolveDataFolder } from '../core/data/data-folder'
import { readServeFile } from '../core/data/serve-file'
import { SandlotApiError } from './errors'
import { serverEvents } from './event-stream'
import { HttpClient, type WebSocketClass } from './http-client'
import { Sandbox } from './sandbox'

export { SandlotApiError } from './errors'
export { Sandbox, type RunOptions } from './sandbox'
export { Terminal, type TerminalOptions } from './terminal'
export type { ExecResult, FileEntry, LogLine, Workspace, WorkspaceChanges, TemplateSummary, EngineStatus } from '../core/contract'

export interface ConnectOptions {
  /** The server's address (`http://127.0.0.1:7373/`); found in the data folder's serve.json when omitted. */
  url?: string
  /** The API token; read from the data folder's api-token when omitted. */
  token?: string
  /** The data folder: SANDLOT_HOME, else the per-OS default. */
  home?: string
  /** For terminals on Node 20, which has no global WebSocket: the `ws` package's (`import WebSocket from 'ws'`). */
  WebSocket?: WebSocketClass
}

export class Sandlot {
  readonly #http: HttpClient

  private constructor(http: HttpClient) {
    this.#http = http
  }

  /** Connects to a running `sandlot serve`: the given URL and token, or the ones the data folder holds. */
  static async connect(options: ConnectOptions = {}): Promise<Sandlot> {
    const home = options.home ?? resolveDataFolder()
    const url = options.url ?? readServeFile(home)?.url
    if (url === undefined) throw new SandlotApiError(0, 'NOT_FOUND', `No running \`sandlot serve\` found in ${home}.`, 'Start one with `sandlot serve`, or pass { url, token }.')
    const token = options.token ?? readToken(home)
    const sandlot = new Sandlot(new HttpClient(url, token, options.WebSocket ?? globalThis.WebSocket))
    await sandlot.#http.request('GET', '/api/engine')
    return sandlot
  }

  engine = {
    status: (): Promise<EngineStatus> => this.#http.request('GET', '/api/engine')
  }

  templates = {
    list: (): Promise<TemplateSummary[]> => this.#http.request('GET', '/api/templates'),
    /** Adds a template from a tar or .tar.gz of its folder; `replace` one of yours with the same id. */
    add: async (archive: Uint8Array, options: { replace?: boolean } = {}): Promise<TemplateAddResult> =>
      (await this.#http.bytes('POST', '/api/templates', { body: archive, type: 'application/gzip', query: { replace: options.replace === undefined ? undefined : String(options.replace) } })).json() as Promise<TemplateAddResult>
  }

  workspaces = {
    /** A new workspace from a template, once it is ready; `onProgress` gets each phase (claim, install, start…). */
    create: async ({ onProgress, ...options }: { template: string; name?: string; onProgress?: (progress: CreateProgress) => void }): Promise<Sandbox> =>
      new Sandbox(this.#http, onProgress === undefined ? await this.#http.request<Workspace>('POST', '/api/workspaces', options) : await this.#createFollowed(options, onProgress)),
    get: async (name: string): Promise<Sandbox> => new Sandbox(this.#http, await this.#http.request<Workspace>('GET', `/api/workspaces/${encodeURIComponent(name)}`)),
    list: (): Promise<Workspace[]> => this.#http.request('GET', '/api/workspaces'),
    /** A new workspace from a saved archive (`sandbox.save()`, `sandlot save`), once it is ready. */
    restore: async (archive: Uint8Array, options: { name?: string } = {}): Promise<Sandbox> => {
      const res = await this.#http.bytes('POST', '/api/workspaces/restore', { body: archive, type: 'application/gzip', query: { name: options.name } })
      return new Sandbox(this.#http, (await res.json()) as Workspace)
    }
  }

  async #createFollowed(options: { template: string; name?: string }, onProgress: (progress: CreateProgress) => void): Promise<Workspace> {
    for await (const event of serverEvents(await this.#http.stream('POST', '/api/workspaces', { body: options }))) {
      if (event.event === 'progress') onProgress(JSON.parse(event.data) as CreateProgress)
      else if (event.event === 'workspace') return JSON.parse(event.data) as Workspace
      else if (event.event === 'error') {
        const { error } = JSON.parse(event.data) as { error: { code: string; message: string; hint?: string } }
        throw new SandlotApiError(200, error.code, error.message, error.hint)
      }
    }
    throw new SandlotApiError(0, 'INTERRUPTED', 'The connection ended before the workspace was ready.', 'See whether it was created with workspaces.list().')
  }
}

function readToken(home: string): string {
  try {
    return readFileSync(dataPaths(home).apiToken, 'utf8').trim()
  } catch (err) {
    throw new SandlotApiError(0, 'DATA_FOLDER', `Cannot read the API token in ${home}: ${(err as Error).message}`, 'Pass { token } or run `sandlot token`.')
  }
}
