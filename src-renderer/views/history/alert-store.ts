import type { ErrorGroup } from '../../../src-main/core/contract'
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
}

/** At most this many toasts show; the oldest goes. */
export const MAX_TOASTS = 3

/** The crash and gave-up toasts: one per workspace, newest last. */
export class AlertStore extends Store<readonly Toast[]> {
  #nextId = 1

  constructor(schedule?: Schedule) {
    super([], schedule)
  }

  raise(alert: AppAlert): void {
    const held = this.current.find((toast) => toast.alert.workspace === alert.workspace)
    if (held?.alert.eventId === alert.eventId) return
    const toast: Toast = held === undefined ? { id: this.#nextId++, alert, count: 1 } : { id: held.id, alert, count: held.count + 1, ...(held.error ? { error: held.error } : {}) }
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

  dismiss(id: number): void {
    if (this.current.some((toast) => toast.id === id)) this.set(this.current.filter((toast) => toast.id !== id))
  }
}
