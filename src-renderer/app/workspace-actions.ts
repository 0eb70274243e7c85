import type { Workspace } from '../../src-main/core/contract'
import { callError, type Bridge, type CallError } from '../bridge/bridge'
import type { WorkspaceAction } from '../views/workspace-model'
import { Store } from './store'

export interface ActionFailure {
  action: WorkspaceAction
  error: CallError
}

export interface ActionState {
  /** The action under way on each workspace: one at a time per workspace. */
  busy: Readonly<Record<string, WorkspaceAction>>
  /** The last failed action per workspace, until dismissed or another action starts. */
  failures: Readonly<Record<string, ActionFailure>>
}

/** `refused`: another action on that workspace was still under way. */
export type ActionResult = 'done' | 'failed' | 'refused'

/** What a retry makes again: the same template, with the failed workspace's own idle stop (given at its create). */
export interface RetrySource {
  template: string
  idleStopMinutes?: number
}

export function retrySource(workspace: Pick<Workspace, 'templateId' | 'idleStopMinutes'>): RetrySource {
  return { template: workspace.templateId, ...(workspace.idleStopMinutes === undefined ? {} : { idleStopMinutes: workspace.idleStopMinutes }) }
}

/** Retry makes the workspace again from its template, so it needs the template's id. */
type RunOptions<A extends WorkspaceAction> = { force?: boolean; afterwards: () => Promise<void> } & ('retry' extends A ? { retry: RetrySource } : { retry?: never })

/** Start, stop, restart, retry and remove (and restarting the app alone), kept above the views: leaving the page neither forgets them nor allows a second one. */
export class ActionStore extends Store<ActionState> {
  readonly #bridge: Pick<Bridge, 'call'>

  constructor(bridge: Pick<Bridge, 'call'>) {
    super({ busy: {}, failures: {} })
    this.#bridge = bridge
  }

  /** Runs `action`; it counts as under way until `afterwards` (the list showing its effect) is done too. */
  async run<A extends WorkspaceAction>(name: string, action: A, options: RunOptions<A>): Promise<ActionResult> {
    const { force = false, afterwards } = options
    if (this.current.busy[name] !== undefined) return 'refused'
    this.set({ busy: { ...this.current.busy, [name]: action }, failures: without(this.current.failures, name) })
    let result: ActionResult = 'done'
    const what: WorkspaceAction = action
    try {
      if (what === 'remove') await this.#bridge.call('workspaces.remove', force ? { name, force } : { name })
      // The core removes the failed one first, and refuses if it is not failed (another window retried it).
      else if (what === 'editor') await this.#bridge.call('workspaces.openEditor', { name })
      else if (what === 'app-restart') await this.#bridge.call('workspaces.process', { name, action: 'restart' })
      else if (what === 'retry') await this.#bridge.call('workspaces.create', { ...(options as RunOptions<'retry'>).retry, name, replace: true })
      else await this.#bridge.call(`workspaces.${what}`, { name })
    } catch (err) {
      result = 'failed'
      this.set({ ...this.current, failures: { ...this.current.failures, [name]: { action, error: callError(err) } } })
    }
    try {
      await afterwards()
    } finally {
      this.set({ ...this.current, busy: without(this.current.busy, name) })
    }
    return result
  }

  dismissFailure(name: string): void {
    if (this.current.failures[name] !== undefined) this.set({ ...this.current, failures: without(this.current.failures, name) })
  }
}

function without<T>(record: Readonly<Record<string, T>>, name: string): Record<string, T> {
  const { [name]: _dropped, ...rest } = record
  return rest
}
