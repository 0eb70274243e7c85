import { afterEach, describe, expect, it, vi } from 'vitest'
import { Settings, type EventPayload } from '../core/contract'
import { fakeCoreApi, fakeEventSource } from '../transport/test-support/fake-core-api'
import { startDesktopNotifications, type NotificationLike } from './desktop-notifications'

afterEach(() => {
  vi.useRealTimers()
})

describe('desktop notifications', () => {
  it('raises a native notification for a crash event, whose click shows the workspace’s errors', () => {
    vi.useFakeTimers()
    const history = fakeEventSource<EventPayload<'history.events'>>()
    const errors = fakeEventSource<EventPayload<'history.errors'>>()
    const changed = fakeEventSource<EventPayload<'workspaces.changed'>>()
    const api = fakeCoreApi({}, { 'history.events': history.source, 'history.errors': errors.source, 'workspaces.changed': changed.source })
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
    const crash: EventPayload<'history.events'> = {
      workspace: 'web',
      event: { id: 1, workspace: 'web', container: 'c', boot: 'b', ts: '2026-12-03T10:00:00Z', kind: 'crash', summary: 'Crashed with exit code 1' },
      app: { state: 'crashed', since: '2026-12-03T10:00:00Z', restarts: 0, unreadErrors: 1 }
    }
    history.emit(crash)
    vi.advanceTimersByTime(2000)
    expect(notes).toEqual([{ title: 'web: the app crashed', body: 'Crashed with exit code 1', shown: true, click: expect.any(Function) }])
    notes[0]?.click?.()
    expect(routes).toEqual(['workspaces/web/errors'])

    // Muted in the settings: the next loop says nothing.
    settings.notifications.mutedWorkspaces = ['web']
    changed.emit({ name: 'web' })
    history.emit(crash)
    vi.advanceTimersByTime(2000)
    expect(notes).toHaveLength(1)
    stop()
    expect(history.listeners.size + errors.listeners.size + changed.listeners.size).toBe(0)
  })
})
