import { stripAnsi } from '../../container/src/ansi'
import type { AppStatus, ErrorGroup, TimelineEvent } from '../core/contract'

/** One native notification: clicking it shows the window on `route` (a path of the renderer's hash). */
export interface CrashNotice {
  title: string
  body: string
  route: string
}

export interface NotificationMutes {
  all: boolean
  workspaces: readonly string[]
}

export interface CrashNotifierOptions {
  notify(notice: CrashNotice): void
  /** Read at each notice, so a changed setting applies at once. */
  mutes(): NotificationMutes
  now(): number
  /** A timer; returns its cancel. */
  schedule(run: () => void, ms: number): () => void
  /** How long crashes are gathered before anything is shown: crashes this close together make one summary. */
  gatherMs?: number
  /** At most `maxPerWindow` notifications in any `windowMs`; later crashes wait and join the next summary. */
  maxPerWindow?: number
  windowMs?: number
}

type Happening = { kind: 'crash' | 'gave-up'; summary: string; restarts: number }

/** An error seen this long before a crash is taken as its cause, for the notice's text. */
const CAUSE_MS = 60_000
const ERROR_TEXT_MAX = 200

/**
 * Native notifications for crashes and give-ups, from the history's live events. A crash loop (crashes and
 * restarts until the app is ready again, or stopped) raises one notice, and one more if Sandlot gives up on
 * it; crashes of several workspaces at once make one summary; a rate limit bounds the rest, so a fleet in
 * trouble never becomes a storm.
 */
export class CrashNotifier {
  readonly #options: Required<CrashNotifierOptions>
  /** Workspaces in a crash loop, and whether their give-up was told already. */
  readonly #loops = new Map<string, { gaveUp: boolean }>()
  readonly #pending = new Map<string, Happening>()
  readonly #lastError = new Map<string, { text: string; at: number }>()
  readonly #sent: number[] = []
  #cancel: (() => void) | undefined

  constructor(options: CrashNotifierOptions) {
    this.#options = { gatherMs: 1500, maxPerWindow: 3, windowMs: 60_000, ...options }
  }

  /** A `history.events` payload. */
  event({ workspace, event, app }: { workspace: string; event: TimelineEvent; app: AppStatus }): void {
    if (event.kind === 'crash') {
      if (this.#loops.has(workspace)) return
      this.#loops.set(workspace, { gaveUp: false })
      this.#add(workspace, { kind: 'crash', summary: event.summary, restarts: app.restarts })
    } else if (event.kind === 'state' && event.state === 'failed') {
      const loop = this.#loops.get(workspace) ?? { gaveUp: false }
      this.#loops.set(workspace, loop)
      if (loop.gaveUp) return
      loop.gaveUp = true
      // Replaces a crash not shown yet: the give-up says more.
      this.#add(workspace, { kind: 'gave-up', summary: event.summary, restarts: app.restarts })
    } else if (app.state === 'ready' || app.state === 'stopped' || app.state === 'idle') {
      // Running well again, or stopped on purpose: the next crash starts a new loop.
      this.#loops.delete(workspace)
    }
  }

  /** A `history.errors` payload: its message is the likely text of the next crash. */
  error({ workspace, error }: { workspace: string; error: ErrorGroup }): void {
    const text = firstLine(error.message)
    if (text !== '') this.#lastError.set(workspace, { text, at: this.#options.now() })
  }

  /** A workspace removed: forget it. */
  forget(workspace: string): void {
    this.#loops.delete(workspace)
    this.#pending.delete(workspace)
    this.#lastError.delete(workspace)
  }

  close(): void {
    this.#cancel?.()
    this.#cancel = undefined
    this.#pending.clear()
  }

  #add(workspace: string, happening: Happening): void {
    this.#pending.set(workspace, happening)
    if (this.#cancel === undefined) this.#cancel = this.#options.schedule(() => this.#flush(), this.#options.gatherMs)
  }

  #flush(): void {
    this.#cancel = undefined
    const { all, workspaces: mutedNames } = this.#options.mutes()
    const muted = new Set(mutedNames)
    for (const name of [...this.#pending.keys()]) if (all || muted.has(name)) this.#pending.delete(name)
    if (this.#pending.size === 0) return
    const now = this.#options.now()
    while (this.#sent.length > 0 && this.#sent[0]! <= now - this.#options.windowMs) this.#sent.shift()
    if (this.#sent.length >= this.#options.maxPerWindow) {
      // Over the limit: wait until the oldest notice leaves the window; what piles up meanwhile becomes one summary.
      this.#cancel = this.#options.schedule(() => this.#flush(), this.#sent[0]! + this.#options.windowMs - now)
      return
    }
    const entries = [...this.#pending.entries()]
    this.#pending.clear()
    this.#sent.push(now)
    this.#options.notify(entries.length === 1 ? this.#single(entries[0]![0], entries[0]![1], now) : summary(entries))
  }

  #single(workspace: string, happening: Happening, now: number): CrashNotice {
    const cause = this.#lastError.get(workspace)
    const text = cause !== undefined && now - cause.at <= CAUSE_MS ? cause.text : happening.summary
    const title =
      happening.kind === 'crash'
        ? `${workspace}: the app crashed`
        : `${workspace}: the app keeps crashing; Sandlot stopped restarting it${happening.restarts > 0 ? ` after ${happening.restarts} restarts` : ''}`
    return { title, body: text, route: `workspaces/${encodeURIComponent(workspace)}/errors` }
  }
}

function summary(entries: Array<[string, Happening]>): CrashNotice {
  const names = entries.map(([name]) => name)
  const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ')
  const gaveUp = entries.filter(([, h]) => h.kind === 'gave-up').length
  return {
    title: `${names.length} workspaces crashed`,
    body: gaveUp > 0 ? `${shown} (Sandlot stopped restarting ${gaveUp === 1 ? 'one' : gaveUp})` : shown,
    route: 'errors'
  }
}

/**
 * The first non-empty line of container text, as plain text: colour codes and other control characters go
 * (a notification shows no escapes), and it is cut to a length a notification can show.
 */
export function firstLine(text: string): string {
  const line =
    stripAnsi(text)
      .split(/\r?\n/)
      .map((l) => l.replace(/[\x00-\x1f\x7f-\x9f]/g, '').trim())
      .find((l) => l !== '') ?? ''
  return line.length > ERROR_TEXT_MAX ? `${line.slice(0, ERROR_TEXT_MAX - 1)}…` : line
}
