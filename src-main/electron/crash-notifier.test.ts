import { describe, expect, it } from 'vitest'
import type { AppStatus, ErrorGroup, TimelineEvent } from '../core/contract'
import { CrashNotifier, firstLine, type CrashNotice, type NotificationMutes } from './crash-notifier'

/** A fake clock with timers that run only when the test moves time on. */
function harness(mutes: NotificationMutes = { all: false, workspaces: [] }) {
  let now = 0
  let timers: Array<{ at: number; run: () => void; cancelled: boolean }> = []
  const shown: CrashNotice[] = []
  const notifier = new CrashNotifier({
    notify: (notice) => shown.push(notice),
    mutes: () => mutes,
    now: () => now,
    schedule: (run, ms) => {
      const timer = { at: now + ms, run, cancelled: false }
      timers.push(timer)
      return () => (timer.cancelled = true)
    }
  })
  const advance = (ms: number): void => {
    const until = now + ms
    for (;;) {
      const next = timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0]
      if (next === undefined) break
      timers = timers.filter((t) => t !== next)
      now = next.at
      next.run()
    }
    now = until
  }
  let id = 1
  const event = (workspace: string, kind: TimelineEvent['kind'], state: AppStatus['state'], extra: Partial<TimelineEvent> = {}, restarts = 0): void =>
    notifier.event({
      workspace,
      event: { id: id++, workspace, container: 'c', boot: 'b', ts: '2026-12-03T10:00:00Z', kind, summary: kind === 'crash' ? 'Crashed with exit code 1' : `State ${state}`, ...extra },
      app: { state, since: '2026-12-03T10:00:00Z', restarts, unreadErrors: 1 }
    })
  const crash = (workspace: string, restarts = 0): void => event(workspace, 'crash', 'crashed', { exitCode: 1 }, restarts)
  const error = (workspace: string, message: string): void =>
    notifier.error({
      workspace,
      error: { workspace, fingerprint: 'f', category: 'uncaught', severity: 'fatal', message, count: 1, firstSeen: '2026-12-03T10:00:00Z', lastSeen: '2026-12-03T10:00:00Z', unread: true } satisfies ErrorGroup
    })
  return { notifier, shown, advance, event, crash, error, mutes }
}

describe('crash notifications', () => {
  it('shows a crash with the workspace and the first line of its error, leading to its errors', () => {
    const h = harness()
    h.error('web', '\x1b[31mTypeError: Cannot read properties of undefined\x1b[0m\n    at main.js:3:5')
    h.crash('web')
    expect(h.shown).toEqual([])
    h.advance(1500)
    expect(h.shown).toEqual([{ title: 'web: the app crashed', body: 'TypeError: Cannot read properties of undefined', route: 'workspaces/web/errors' }])
  })

  it('falls back to what the timeline says when no error was seen lately', () => {
    const h = harness()
    h.error('web', 'old trouble')
    h.advance(120_000)
    h.crash('web')
    h.advance(1500)
    expect(h.shown[0]?.body).toBe('Crashed with exit code 1')
  })

  it('tells one crash loop once, then its give-up once, and a new loop after the app was ready again', () => {
    const h = harness()
    h.crash('api')
    h.advance(1500)
    for (let i = 1; i <= 5; i++) {
      h.event('api', 'restart', 'backing-off', {}, i)
      h.event('api', 'state', 'starting', { state: 'starting' }, i)
      h.crash('api', i)
      h.advance(5000)
    }
    expect(h.shown.map((n) => n.title)).toEqual(['api: the app crashed'])
    h.event('api', 'state', 'failed', { state: 'failed' }, 5)
    h.event('api', 'state', 'failed', { state: 'failed' }, 5)
    h.advance(1500)
    expect(h.shown.map((n) => n.title)).toEqual(['api: the app crashed', 'api: the app keeps crashing; Sandlot stopped restarting it after 5 restarts'])
    h.event('api', 'ready', 'ready')
    h.advance(60_000)
    h.crash('api')
    h.advance(1500)
    expect(h.shown).toHaveLength(3)
  })

  it('makes one summary of crashes that come together', () => {
    const h = harness()
    h.crash('a')
    h.advance(500)
    h.crash('b')
    h.crash('c')
    h.advance(1000)
    expect(h.shown).toEqual([{ title: '3 workspaces crashed', body: 'a, b, c', route: 'errors' }])
  })

  it('never storms: past the limit, crashes wait and come as one summary when the window allows', () => {
    const h = harness()
    for (let i = 0; i < 10; i++) {
      h.crash(`w${i}`)
      h.advance(2000)
    }
    // Three in the first minute; the other seven waited and came as one.
    expect(h.shown.slice(0, 3).map((n) => n.title)).toEqual(['w0: the app crashed', 'w1: the app crashed', 'w2: the app crashed'])
    expect(h.shown).toHaveLength(3)
    h.advance(60_000)
    expect(h.shown).toHaveLength(4)
    expect(h.shown[3]).toMatchObject({ title: '7 workspaces crashed', body: 'w3, w4, w5, w6 and 3 more' })
  })

  it('says nothing for a muted workspace, or for any when all are muted; a change of the setting applies at once', () => {
    const mutes = { all: false, workspaces: ['noisy'] }
    const h = harness(mutes)
    h.crash('noisy')
    h.crash('web')
    h.advance(1500)
    expect(h.shown.map((n) => n.title)).toEqual(['web: the app crashed'])
    mutes.all = true
    h.crash('other')
    h.advance(1500)
    expect(h.shown).toHaveLength(1)
  })

  it('forgets a removed workspace and stops its timers when closed', () => {
    const h = harness()
    h.crash('web')
    h.notifier.forget('web')
    h.advance(1500)
    expect(h.shown).toEqual([])
    h.crash('web')
    h.notifier.close()
    h.advance(5000)
    expect(h.shown).toEqual([])
  })
})

describe('first line of container text', () => {
  it('drops escapes and control characters, skips blank lines and cuts long ones', () => {
    expect(firstLine('\n  \x1b]0;title\x07\x1b[1mError\x1b[0m: boom\r\nnext')).toBe('Error: boom')
    expect(firstLine('x'.repeat(500))).toHaveLength(200)
    expect(firstLine('')).toBe('')
  })
})
