import type { CreatePhase, CreateProgress, TaskProgress, Workspace } from '../../src-main/core/contract'
import { INITIAL_PROGRESS, withCreateProgress, withImageProgress, type CreateProgressState } from '../views/create-progress-model'

export interface FailureInfo {
  code: string
  message: string
  hint?: string
}

export type CreationOutcome = { state: 'running' } | { state: 'ready'; workspace: Workspace } | { state: 'failed'; error: FailureInfo }

/** What a creation shows of its template. */
export interface CreationTemplate {
  id: string
  name: string
  icon?: string
  /** The phases this template goes through (no install or start command skips those). */
  phases?: readonly CreatePhase[]
}

/** One workspace creation started from this window. */
export interface Creation {
  id: number
  name: string
  template: CreationTemplate
  progress: CreateProgressState
  outcome: CreationOutcome
  /** Put away by the user ("Create another"); a running one still shows in the Workspaces list. */
  dismissed: boolean
}

/** Finished creations kept for the views; running ones are always kept. */
const KEEP_FINISHED = 20

/**
 * The creations this window started, fed by their calls and by the core's progress events, so a creation goes
 * on (and its progress keeps arriving) while the user looks at another view. Snapshots are immutable, for
 * useSyncExternalStore.
 */
export class CreationStore {
  #creations: readonly Creation[] = []
  #nextId = 1
  readonly #listeners = new Set<() => void>()

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  readonly snapshot = (): readonly Creation[] => this.#creations

  begin(name: string, template: CreationTemplate): number {
    const id = this.#nextId++
    const creation: Creation = { id, name, template, progress: INITIAL_PROGRESS, outcome: { state: 'running' }, dismissed: false }
    this.#set([...this.#creations, creation])
    return id
  }

  /** A `workspaces.progress` event: it belongs to the running creation of that name, if this window started one. */
  progress(event: CreateProgress): void {
    this.#update((c) => c.outcome.state === 'running' && c.name === event.workspace, (c) => ({ ...c, progress: withCreateProgress(c.progress, event) }))
  }

  /** An `image.progress` event: creations still claiming a container wait for that image. */
  image(event: TaskProgress): void {
    this.#update(
      (c) => c.outcome.state === 'running' && c.progress.phase === 'claim',
      (c) => ({ ...c, progress: withImageProgress(c.progress, event) })
    )
  }

  settle(id: number, outcome: Exclude<CreationOutcome, { state: 'running' }>): void {
    this.#update((c) => c.id === id, (c) => ({ ...c, outcome }))
  }

  dismiss(id: number): void {
    this.#update((c) => c.id === id, (c) => ({ ...c, dismissed: true }))
  }

  #update(matches: (c: Creation) => boolean, change: (c: Creation) => Creation): void {
    if (!this.#creations.some(matches)) return
    this.#set(this.#creations.map((c) => (matches(c) ? change(c) : c)))
  }

  #set(creations: Creation[]): void {
    const finished = creations.filter((c) => c.outcome.state !== 'running')
    const drop = new Set(finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
    this.#creations = drop.size === 0 ? creations : creations.filter((c) => !drop.has(c))
    for (const listener of [...this.#listeners]) listener()
  }
}

/** The creation a view follows for a workspace name: the newest one. */
export function latestCreation(creations: readonly Creation[], name: string): Creation | undefined {
  return creations.findLast((c) => c.name === name)
}

/**
 * Creations still running whose workspace the list does not have yet (the core adds it once a container is
 * claimed, which waits for a first image build): the list shows them too, so a click always shows up at once.
 */
export function creationsNotListed(creations: readonly Creation[], listed: readonly { name: string }[]): Creation[] {
  const names = new Set(listed.map((workspace) => workspace.name))
  return creations.filter((c) => c.outcome.state === 'running' && !names.has(c.name))
}
