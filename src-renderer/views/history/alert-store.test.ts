import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AppStatus, ErrorGroup } from '../../../src-main/core/contract'
import { AlertStore, MAX_TOASTS, RECOVERED_CLOSE_MS } from './alert-store'
import type { AppAlert } from './history-model'

const alert = (workspace: string, eventId: number, ts = '2030-01-01T10:00:05.000Z'): AppAlert => ({
  workspace,
  kind: 'crashed',
  eventId,
  ts,
  headline: `${workspace} crashed`,
  detail: 'The app exited (SIGKILL).'
})
const error = (workspace: string, fingerprint: string, lastSeen: string): ErrorGroup => ({
  workspace,
  fingerprint,
  category: 'runtime',
  severity: 'fatal',
  message: 'Error: boom',
  count: 1,
  firstSeen: lastSeen,
  lastSeen,
  unread: true
})

describe('alert store', () => {
  it('keeps one toast per workspace, counting a crash loop instead of stacking it', () => {
    const store = new AlertStore()
    store.raise(alert('web', 1))
    store.raise(alert('api', 2))
    store.raise(alert('web', 3))
    // The same record twice (a reconnect replaying it) counts once.
    store.raise(alert('web', 3))
    const toasts = store.snapshot()
    expect(toasts.map((t) => [t.alert.workspace, t.count])).toEqual([
      ['api', 1],
      ['web', 2]
    ])
    expect(toasts[1]?.id).toBe(1)
  })

  it('shows at most a few toasts, dropping the oldest, and dismisses by id', () => {
    const store = new AlertStore()
    for (let i = 0; i < MAX_TOASTS + 2; i++) store.raise(alert(`w${i}`, i + 1))
    expect(store.snapshot().map((t) => t.alert.workspace)).toEqual(['w2', 'w3', 'w4'])
    store.dismiss(store.snapshot()[0]!.id)
    expect(store.snapshot()).toHaveLength(2)
  })

  it('takes the error seen around the crash, even when it arrives after the crash record', () => {
    const store = new AlertStore()
    store.raise(alert('web', 1))
    store.offerErrors([error('web', 'old', '2030-01-01T08:00:00.000Z'), error('api', 'other', '2030-01-01T10:00:05.000Z')])
    expect(store.snapshot()[0]?.error).toBeUndefined()
    store.offerErrors([error('web', 'cause', '2030-01-01T10:00:04.500Z')])
    expect(store.snapshot()[0]?.error?.fingerprint).toBe('cause')
    // A later crash of the same workspace keeps it until a newer one is offered.
    store.raise(alert('web', 2, '2030-01-01T10:00:09.000Z'))
    expect(store.snapshot()[0]?.error?.fingerprint).toBe('cause')
  })

  describe('recovery', () => {
    afterEach(() => {
      vi.useRealTimers()
    })
    const app = (state: AppStatus['state'], since = '2030-01-01T10:00:09.000Z'): AppStatus => ({ state, since, restarts: 1, unreadErrors: 1 })

    it('turns a toast to recovered when its app is ready after the crash, then closes it', () => {
      vi.useFakeTimers()
      const store = new AlertStore()
      store.raise(alert('api', 5))
      store.raise(alert('web', 6))
      // The status sent with the crash itself, or an older entry, or a state short of ready: still crashed.
      store.settle('api', app('ready'), 5)
      store.settle('api', app('running'), 7)
      store.settle('api', app('unhealthy'), 8)
      expect(store.snapshot().find((t) => t.alert.workspace === 'api')?.recoveredAt).toBeUndefined()
      store.settle('api', app('ready'), 9)
      expect(store.snapshot().find((t) => t.alert.workspace === 'api')?.recoveredAt).toBe('2030-01-01T10:00:09.000Z')
      vi.advanceTimersByTime(RECOVERED_CLOSE_MS - 1)
      expect(store.snapshot()).toHaveLength(2)
      vi.advanceTimersByTime(1)
      expect(store.snapshot().map((t) => t.alert.workspace)).toEqual(['web'])
    })

    it('keeps a toast that crashed again while it read recovered', () => {
      vi.useFakeTimers()
      const store = new AlertStore()
      store.raise(alert('api', 5))
      store.settle('api', app('ready'), 6)
      store.raise(alert('api', 7))
      vi.advanceTimersByTime(RECOVERED_CLOSE_MS * 2)
      const [toast] = store.snapshot()
      expect(toast).toMatchObject({ count: 2 })
      expect(toast?.recoveredAt).toBeUndefined()
    })
  })
})
