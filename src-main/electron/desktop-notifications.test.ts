import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CoreApi } from '../core/api'
import { Settings } from '../core/contract'
import { startDesktopNotifications, type NotificationLike } from './desktop-notifications'

afterEach(() => {
  vi.useRealTimers()
})

describe('desktop notifications', () => {
  it('raises a native notification for a crash event, whose click shows the workspace’s errors', () => {
    vi.useFakeTimers()
    const listeners = new Map<string, (payload: unknown) => void>()
    const api = {
      subscribe: (event: string, listener: (payload: unknown) => void) => {
        listeners.set(event, listener)
        return () => listeners.delete(event)
      }
    } as unknown as Pick<CoreApi, 'subscribe'>
    const notes: Array<{ title: string; body: string; shown: boolean; click?: () => void }> = []
    const routes: string[] = []
    const settings = Settings.parse({})
    const stop = startDesktopNotifications({
      api,
      notification: (notice) => {
        const note: { title: string; body: string; shown: boolean; click?: () => void } = { ...notice, shown: false }
        notes.push(note)
        const fake: NotificationLike = {
          on: (_event, listener) => (note.click = listener),
          show: () => (note.shown = true)
        }
        return fake
      },
      settings: () => settings,
      showWindow: (route) => routes.push(route)
    })
    const crash = {
      workspace: 'web',
      event: { id: 1, workspace: 'web', container: 'c', boot: 'b', ts: '2026-12-03T10:00:00Z', kind: 'crash', summary: 'Crashed with exit code 1' },
      app: { state: 'crashed', since: '2026-12-03T10:00:00Z', restarts: 0, unreadErrors: 1 }
    }
    listeners.get('history.events')?.(crash)
    vi.advanceTimersByTime(2000)
    expect(notes).toEqual([{ title: 'web: the app crashed', body: 'Crashed with exit code 1', shown: true, click: expect.any(Function) }])
    notes[0]?.click?.()
    expect(routes).toEqual(['workspaces/web/errors'])

    // Muted in the settings: the next loop says nothing.
    settings.notifications.mutedWorkspaces = ['web']
    listeners.get('workspaces.changed')?.({ name: 'web' })
    listeners.get('history.events')?.(crash)
    vi.advanceTimersByTime(2000)
    expect(notes).toHaveLength(1)
    stop()
    expect(listeners.size).toBe(0)
  })
})
