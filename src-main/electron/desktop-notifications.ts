import type { CoreApi } from '../core/api'
import type { Settings } from '../core/contract'
import { CrashNotifier, type CrashNotice } from './crash-notifier'

export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown
  show(): void
}

export interface DesktopNotificationsOptions {
  api: Pick<CoreApi, 'subscribe'>
  /** Electron's Notification (faked in tests). */
  notification(notice: { title: string; body: string }): NotificationLike
  settings(): Settings
  showWindow(route: string): void
}

/** Crash notifications wired to the core's live history events and to native notifications. */
export function startDesktopNotifications(options: DesktopNotificationsOptions): () => void {
  // Kept until clicked or dropped: a notification that is garbage-collected loses its click handler.
  const shown = new Set<NotificationLike>()
  const notifier = new CrashNotifier({
    notify: (notice: CrashNotice) => {
      const notification = options.notification({ title: notice.title, body: notice.body })
      shown.add(notification)
      notification.on('click', () => {
        shown.delete(notification)
        options.showWindow(notice.route)
      })
      notification.show()
      if (shown.size > 20) shown.delete(shown.values().next().value as NotificationLike)
    },
    mutes: () => {
      const { muted, mutedWorkspaces } = options.settings().notifications
      return { all: muted, workspaces: mutedWorkspaces }
    },
    now: () => Date.now(),
    schedule: (run, ms) => {
      const timer = setTimeout(run, ms)
      return () => clearTimeout(timer)
    }
  })
  const stops = [
    options.api.subscribe('history.events', (payload) => notifier.event(payload)),
    options.api.subscribe('history.errors', (payload) => notifier.error(payload)),
    options.api.subscribe('workspaces.changed', ({ name, workspace }) => {
      if (workspace === undefined) notifier.forget(name)
    })
  ]
  return () => {
    for (const stop of stops) stop()
    notifier.close()
    shown.clear()
  }
}
