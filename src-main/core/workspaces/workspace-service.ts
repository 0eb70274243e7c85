import type { CreateProgress, CreateSource, Workspace, WorkspaceChanges } from '../contract'
import { createSource } from '../contract'
import { SandlotError } from '../sandlot-error'
import { assertLocalEngine, assertWorkspaceUserCanOpen } from './host-mount'
import { withOverrides } from './workspace-template'
import { WorkspaceCreation } from './workspace-creation'
import type { CreateRequest, WorkspaceDeps, WorkspaceTemplate } from './workspace-deps'
import { WorkspaceLifecycle } from './workspace-lifecycle'
import { WorkspaceProcesses } from './workspace-processes'
import { WorkspaceRecords } from './workspace-records'
import { WorkspaceSaves } from './workspace-saves'

export type { CreateRequest, InteractiveShell, WorkspaceDeps, WorkspaceTemplate } from './workspace-deps'

/**
 * Workspaces: a template's files in a hardened container, dependencies installed, the app under the monitor,
 * and its preview on 127.0.0.1. The one door its callers use; each job is done by its own module (creation,
 * lifecycle, processes, saves) over the workspace's records.
 */
export class WorkspaceService {
  readonly #deps: WorkspaceDeps
  readonly #records: WorkspaceRecords
  readonly #creation: WorkspaceCreation
  readonly #lifecycle: WorkspaceLifecycle
  readonly #processes: WorkspaceProcesses
  readonly #saves: WorkspaceSaves

  readonly start: WorkspaceLifecycle['start']
  readonly stop: WorkspaceLifecycle['stop']
  readonly restart: WorkspaceLifecycle['restart']
  readonly remove: WorkspaceLifecycle['remove']
  readonly exec: WorkspaceProcesses['exec']
  readonly terminalTarget: WorkspaceProcesses['terminalTarget']
  readonly shell: WorkspaceProcesses['shell']
  readonly logs: WorkspaceProcesses['logs']
  readonly process: WorkspaceProcesses['process']
  readonly save: WorkspaceSaves['save']
  readonly restore: WorkspaceSaves['restore']

  constructor(deps: WorkspaceDeps) {
    this.#deps = deps
    this.#records = new WorkspaceRecords(deps)
    this.#creation = new WorkspaceCreation(deps, this.#records)
    this.#lifecycle = new WorkspaceLifecycle(deps, this.#records)
    this.#processes = new WorkspaceProcesses(deps, this.#records)
    this.#saves = new WorkspaceSaves(deps, this.#records, this.#creation)
    this.start = (name) => this.#lifecycle.start(name)
    this.stop = (name) => this.#lifecycle.stop(name)
    this.restart = (name) => this.#lifecycle.restart(name)
    this.remove = (name, options) => this.#lifecycle.remove(name, options)
    this.exec = (name, cmd, io, place) => this.#processes.exec(name, cmd, io, place)
    this.terminalTarget = (name) => this.#processes.terminalTarget(name)
    this.shell = (name, size) => this.#processes.shell(name, size)
    this.logs = (name, lines) => this.#processes.logs(name, lines)
    this.process = (name, action, command) => this.#processes.process(name, action, command)
    this.save = (name, file, options) => this.#saves.save(name, file, options)
    this.restore = (file, name, onProgress) => this.#saves.restore(file, name, onProgress)
  }

  async create(params: CreateRequest, onProgress: (p: CreateProgress) => void = () => {}): Promise<Workspace> {
    const source = createSource(params)
    // Before there is a workspace (a clone takes a while): said under the name asked for, if any.
    const early = (message: string): void => onProgress({ workspace: params.name ?? '', phase: 'claim', message })
    const template = source.kind === 'template' ? await this.#deps.template(source.id) : await this.#fromSource(source, early)
    try {
      const { env, limits, start, port } = params
      const manifest = withOverrides(template.manifest, { env, limits, start, port })
      if (template.mount) {
        const endpoint = this.#deps.engineEndpoint?.()
        if (!endpoint) throw new SandlotError('BAD_REQUEST', 'This Sandlot cannot mount host folders.', 'Leave out --mount to copy the folder in.')
        assertLocalEngine(endpoint, template.mount)
        assertWorkspaceUserCanOpen(template.mount)
      }
      if (params.replace && params.name !== undefined) await this.#removeFailed(params.name)
      // A retry command is only exact for a template; a folder or repository create is the user's own command again.
      const retry = source.kind === 'template' ? `sandlot create --template ${source.id}` : `sandlot create --${source.kind} …`
      return await this.#creation.create({ ...template, manifest }, { name: params.name, idleStopMinutes: params.idleStopMinutes }, onProgress, retry)
    } catch (err) {
      template.dispose?.()
      throw err
    }
  }

  async #fromSource(source: CreateSource, onProgress: (message: string) => void): Promise<WorkspaceTemplate> {
    if (!this.#deps.source) throw new SandlotError('BAD_REQUEST', `This Sandlot cannot create workspaces from a ${source.kind}.`, 'Create it from a template.')
    return this.#deps.source(source, onProgress)
  }

  /** `create --replace` and the window's Retry: a failed workspace of that name goes first; a working one never does. */
  async #removeFailed(name: string): Promise<void> {
    if (!this.#records.row(name)) return
    // Read through require: a create whose process died counts as failed.
    const row = this.#records.require(name)
    if (row.status !== 'failed') {
      throw new SandlotError('CONFLICT', `${name} exists and is ${row.status === 'creating' ? 'still being created' : 'not a failed workspace'}: --replace only replaces a failed one.`, `Pick another name, or remove it first with \`sandlot rm ${name}\`.`)
    }
    await this.remove(name)
  }

  /** Changes what can change after create (its own idle stop); an unknown name changes nothing. */
  async update(name: string, changes: WorkspaceChanges): Promise<Workspace> {
    this.#records.require(name)
    this.#records.setIdleStop(name, changes.idleStopMinutes)
    return this.#records.get(name)
  }

  /** Workspaces whose create finished, with their containers (what an idle stop looks at). */
  madeContainers(): Array<{ name: string; containerId: string; idleStopMinutes: number | null }> {
    return this.#records.madeContainers()
  }

  /** Container id → workspace name (see WorkspaceRecords.byContainer). */
  byContainer(): Map<string, string> {
    return this.#records.byContainer()
  }

  async list(): Promise<Workspace[]> {
    return Promise.all(this.#records.all().map((row) => this.#records.describe(row)))
  }

  async get(name: string): Promise<Workspace> {
    return this.#records.get(name)
  }
}
