import type { AppStatus, ErrorGroup } from '../../../src-main/core/contract'
import { Store, type Schedule } from '../../app/store'
import { errorForAlert, type AppAlert } from './history-model'

export interface Toast {
  /** Stable while the toast shows (a crash loop updates one toast rather than stacking them). */
  id: number
  alert: AppAlert
  /** The error that explains it, once known. */
  error?: ErrorGroup
  /** Alerts of this workspace since the toast appeared. */
  count: number
  /** When the app answered as ready again after it (the toast then closes itself). */
  recoveredAt?: string
}

/** At most this many toasts show; the oldest goes. */
export const MAX_TOASTS = 3

/** How long a "recovered" toast stays: long enough to read, short enough not to cover the terminals. */
export const RECOVERED_CLOSE_MS = 6_000

/**
 * The crash and gave-up toasts: one per workspace, newest last. A toast whose app is ready again says so and
 * closes itself; what it was about stays in the Errors view and the workspace's unread badge.
 */
export class AlertStore extends Store<readonly Toast[]> {
  #nextId = 1
  readonly #closing = new Map<number, ReturnType<typeof setTimeout>>()

  constructor(schedule?: Schedule) {
    super([], schedule)
  }

  raise(alert: AppAlert): void {
    const held = this.current.find((toast) => toast.alert.workspace === alert.workspace)
    if (held?.alert.eventId === alert.eventId) return
    const toast: Toast = held === undefined ? { id: this.#nextId++, alert, count: 1 } : { id: held.id, alert, count: held.count + 1, ...(held.error ? { error: held.error } : {}) }
    // Crashed again while it read "recovered": it stays until looked at or recovered again.
    if (held) this.#cancelClose(held.id)
    this.set([...this.current.filter((t) => t !== held), toast].slice(-MAX_TOASTS))
  }

  /** Errors known now (an answer, or an error counted up after the crash record came): a toast without one takes its cause. */
  offerErrors(errors: readonly ErrorGroup[]): void {
    let changed = false
    const next = this.current.map((toast) => {
      const error = errorForAlert(toast.alert, errors)
      if (error === undefined || (toast.error !== undefined && toast.error.lastSeen >= error.lastSeen)) return toast
      changed = true
      return { ...toast, error }
    })
    if (changed) this.set(next)
  }

  /**
   * The app's status after a timeline entry (`eventId`) of this workspace: ready again after the toast's alert,
   * the toast turns to "recovered" and closes after `closeAfterMs`.
   */
  settle(workspace: string, app: AppStatus, eventId: number, closeAfterMs = RECOVERED_CLOSE_MS): void {
    const toast = this.current.find((t) => t.alert.workspace === workspace)
    if (toast === undefined || toast.recoveredAt !== undefined || app.state !== 'ready' || eventId <= toast.alert.eventId) return
    this.set(this.current.map((t) => (t === toast ? { ...t, recoveredAt: app.since } : t)))
    this.#closing.set(
      toast.id,
      setTimeout(() => this.dismiss(toast.id), closeAfterMs)
    )
  }

  dismiss(id: number): void {
    this.#cancelClose(id)
    if (this.current.some((toast) => toast.id === id)) this.set(this.current.filter((toast) => toast.id !== id))
  }

  #cancelClose(id: number): void {
    clearTimeout(this.#closing.get(id))
    this.#closing.delete(id)
  }
}
