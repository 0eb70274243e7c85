import type { CreatePhase, CreateProgress, TaskProgress, Workspace } from '../../src-main/core/contract'
import type { ShownError } from '../components/ErrorDetails'
import { INITIAL_PROGRESS, withCreateProgress, withImageProgress, type CreateProgressState } from '../views/create-progress-model'
import { nextFrame, Store, type Schedule } from './store'

export type CreationOutcome =
  | { state: 'running' }
  /**
   * The link dropped after the call was sent: the core may still finish it, so it is followed (`workspaces.get`)
   * until it ends. `listed` once the core listed it, which it does from the moment it has a container.
   */
  | { state: 'lost'; listed: boolean }
  | { state: 'ready'; workspace: Workspace }
  | { state: 'failed'; error: ShownError }

export type EndedOutcome = Extract<CreationOutcome, { state: 'ready' | 'failed' }>

/** What a creation shows of its template. */
export interface CreationTemplate {
  id: string
  name: string
  icon?: string
  iconImage?: string
  /** The phases this template goes through (no install or start command skips those). */
  phases?: readonly CreatePhase[]
  /** Set when the workspace comes from a repository instead of the template `id`. */
  git?: { url: string; branch?: string }
  /** Set when the workspace comes from a host folder (copied in, or mounted at /app). */
  folder?: { path: string; mount: boolean }
}

/** One workspace creation started from this window. */
export interface Creation {
  id: number
  /** Sent with the create call; the core echoes it on that call's progress events (another client may use the same name). */
  requestId: string
  name: string
  template: CreationTemplate
  progress: CreateProgressState
  outcome: CreationOutcome
  /** Put away by the user (its ×, "Edit and try again"); one under way still shows in the Workspaces list. */
  dismissed: boolean
  /** The New workspace page showed how it ended: a later visit opens on the form without it. */
  seen?: boolean
  /** When this window last heard of it (started, an event, the link dropping): how long a lost one is waited for. */
  heardAt: number
  /** Once it ended: in which order creations ended (views refresh on a new one). */
  ended?: number
}

/** Finished creations kept for the views; those under way are always kept. */
const KEEP_FINISHED = 20

/** How long a lost creation the core does not list is waited for without news (a first image build reports often). */
export const LOST_PATIENCE_MS = 90_000

export interface CreationStoreOptions {
  newRequestId?: () => string
  now?: () => number
  schedule?: Schedule
}

/**
 * The creations this window started, fed by their calls and by the core's progress events, so a creation goes
 * on (and its progress keeps arriving) while the user looks at another view. Views hear of changes once per
 * animation frame: an install prints hundreds of lines.
 */
export class CreationStore extends Store<readonly Creation[]> {
  #nextId = 1
  #endings = 0
  readonly #newRequestId: () => string
  readonly #now: () => number

  constructor({ newRequestId = () => crypto.randomUUID(), now = Date.now, schedule = nextFrame }: CreationStoreOptions = {}) {
    super([], schedule)
    this.#newRequestId = newRequestId
    this.#now = now
  }

  begin(name: string, template: CreationTemplate): Creation {
    const creation: Creation = {
      id: this.#nextId++,
      requestId: this.#newRequestId(),
      name,
      template,
      progress: INITIAL_PROGRESS,
      outcome: { state: 'running' },
      dismissed: false,
      heardAt: this.#now()
    }
    this.#set([...this.current, creation])
    return creation
  }

  /** A `workspaces.progress` event: it belongs to the creation under way that sent its requestId, if any. */
  progress(event: CreateProgress): void {
    this.#update(
      (c) => underWay(c) && c.requestId === event.requestId,
      (c) => this.#heard(c, withCreateProgress(c.progress, event))
    )
  }

  /** An `image.progress` event: creations still claiming a container wait for that image. */
  image(event: TaskProgress): void {
    this.#update(
      (c) => underWay(c) && c.progress.phase === 'claim',
      (c) => this.#heard(c, withImageProgress(c.progress, event))
    )
  }

  /** The link dropped with the call in flight: the core may go on without this window. */
  lose(id: number): void {
    this.#update(
      (c) => c.id === id && c.outcome.state === 'running',
      (c) => ({ ...c, outcome: { state: 'lost', listed: false }, heardAt: this.#now() })
    )
  }

  /** What the core has now under a lost creation's name (undefined: nothing): its end, or that it has a container. */
  found(id: number, workspace: Workspace | undefined): void {
    this.#update(
      (c) => c.id === id && c.outcome.state === 'lost',
      (c) => {
        const outcome = lostOutcome(c, workspace, this.#now())
        if (outcome !== undefined) return this.#end(c, outcome)
        if (workspace === undefined || (c.outcome.state === 'lost' && c.outcome.listed)) return c
        // Still creating, so it has a container: "not found" from now on means removed.
        return { ...c, outcome: { state: 'lost', listed: true } }
      }
    )
  }

  /** Its end, from the call or from following a lost one: whichever comes first counts. */
  settle(id: number, outcome: EndedOutcome): void {
    this.#update(
      (c) => c.id === id && underWay(c),
      (c) => this.#end(c, outcome)
    )
  }

  dismiss(id: number): void {
    this.#update(
      (c) => c.id === id && !c.dismissed,
      (c) => ({ ...c, dismissed: true })
    )
  }

  /** The page showed these ended creations (it asks on every render: already seen ones change nothing). */
  markSeen(ids: readonly number[]): void {
    const marked = new Set(ids)
    this.#update(
      (c) => marked.has(c.id) && !c.seen && c.ended !== undefined,
      (c) => ({ ...c, seen: true })
    )
  }

  #end(creation: Creation, outcome: EndedOutcome): Creation {
    return { ...creation, outcome, ended: ++this.#endings }
  }

  #heard(creation: Creation, progress: CreateProgressState): Creation {
    return progress === creation.progress ? creation : { ...creation, progress, heardAt: this.#now() }
  }

  /** Changes the matching creations; nothing changed means no new snapshot, so views do not re-render. */
  #update(matches: (c: Creation) => boolean, change: (c: Creation) => Creation): void {
    let changed = false
    const next = this.current.map((c) => {
      if (!matches(c)) return c
      const updated = change(c)
      changed ||= updated !== c
      return updated
    })
    if (changed) this.#set(next)
  }

  #set(creations: Creation[]): void {
    // The ones that ended first go first (not the ones started first: that may be one that just ended).
    const finished = creations.filter((c) => !underWay(c)).sort((a, b) => (a.ended ?? 0) - (b.ended ?? 0))
    const drop = new Set(finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
    this.set(drop.size === 0 ? creations : creations.filter((c) => !drop.has(c)))
  }
}

/** Running, or lost and followed: either way the core may still be creating it. */
export function underWay(creation: Creation): boolean {
  return creation.outcome.state === 'running' || creation.outcome.state === 'lost'
}

/** This window's creation of a workspace while it is under way: its progress is live. An ended one has none to show. */
export function followedCreation(creations: readonly Creation[], name: string): Creation | undefined {
  return creations.findLast((c) => c.name === name && underWay(c))
}

/**
 * Creations under way whose workspace the list does not have yet (the core adds it once a container is claimed,
 * which waits for a first image build): the list shows them too, so a click always shows up at once.
 */
export function creationsNotListed(creations: readonly Creation[], listed: readonly { name: string }[]): Creation[] {
  const names = new Set(listed.map((workspace) => workspace.name))
  return creations.filter((c) => underWay(c) && !names.has(c.name))
}

/**
 * What the New workspace page shows above its form: the creation it is following in full (`expanded`, one it
 * started or the user opened), the others as one line each, newest first. Ended ones the page had already shown
 * before this visit (`seenBefore`) are left out, as are dismissed ones: entering the page opens on the form.
 */
export function creationNotices(creations: readonly Creation[], seenBefore: ReadonlySet<number>, expanded: number | undefined): { panel?: Creation; lines: Creation[] } {
  const shown = creations.filter((c) => !c.dismissed && !seenBefore.has(c.id))
  const panel = shown.find((c) => c.id === expanded)
  return { ...(panel === undefined ? {} : { panel }), lines: shown.filter((c) => c !== panel).reverse() }
}

/** The id of the creation that ended last, if any: it changes whenever another one ends. */
export function lastEnded(creations: readonly Creation[]): number | undefined {
  let last: Creation | undefined
  for (const c of creations) if (c.ended !== undefined && (last?.ended ?? 0) < c.ended) last = c
  return last?.id
}

/**
 * A lost creation's outcome from what the core has under its name now (`undefined`: not found), or undefined
 * while it may still be going on.
 */
export function lostOutcome(creation: Creation, workspace: Workspace | undefined, now: number): EndedOutcome | undefined {
  if (workspace?.status === 'creating') return undefined
  if (workspace?.status === 'ready') return { state: 'ready', workspace }
  if (workspace?.status === 'failed') {
    return { state: 'failed', error: workspace.error ?? { code: 'INTERNAL', message: `Sandlot could not create ${creation.name}.` } }
  }
  // Not listed: gone, or (until it has a container) maybe still waiting for the core image.
  const hadContainer = (creation.outcome.state === 'lost' && creation.outcome.listed) || creation.progress.phase !== 'claim'
  if (!hadContainer && now - creation.heardAt < LOST_PATIENCE_MS) return undefined
  return {
    state: 'failed',
    error: {
      code: 'NOT_FOUND',
      message: `Sandlot has no workspace named "${creation.name}".`,
      hint: hadContainer ? 'It was removed while it was being created.' : 'Its creation stopped before it had a container (was sandlot serve restarted?).'
    }
  }
}
