import { afterEach, describe, expect, it, vi } from 'vitest'
import { Settings, type EngineStatus, type EventPayload } from '../core/contract'
import { fakeCoreApi, fakeEventSource } from '../transport/test-support/fake-core-api'
import { startDesktopNotifications } from './desktop-notifications'
import { SHELL_RECORDER, SHELL_TEST_HOOKS_ENV, ShellRecorder, shellTestHooks } from './shell-test-hooks'
import { connected, workspace } from './test-fixtures'
import { DesktopTray } from './tray'

afterEach(() => {
  vi.useRealTimers()
  delete (globalThis as Record<string, unknown>)[SHELL_RECORDER]
})

describe('shell test hooks', () => {
  it('are off unless the variable is 1, and never in an installed app', () => {
    expect(shellTestHooks({ env: {}, isPackaged: false })).toBeUndefined()
    expect(shellTestHooks({ env: { [SHELL_TEST_HOOKS_ENV]: 'yes' }, isPackaged: false })).toBeUndefined()
    expect(shellTestHooks({ env: { [SHELL_TEST_HOOKS_ENV]: '1' }, isPackaged: true })).toBeUndefined()
    expect((globalThis as Record<string, unknown>)[SHELL_RECORDER]).toBeUndefined()
  })

  it('give a recorder, reachable from Playwright’s evaluate through globalThis', () => {
    const recorder = shellTestHooks({ env: { [SHELL_TEST_HOOKS_ENV]: '1' }, isPackaged: false })
    expect(recorder).toBeInstanceOf(ShellRecorder)
    expect((globalThis as Record<string, unknown>)[SHELL_RECORDER]).toBe(recorder)
  })

  it('record the tray the shell draws: its image, tooltip and menu with each workspace and its quick actions', async () => {
    const recorder = new ShellRecorder()
    const api = fakeCoreApi(
      { 'engine.status': () => connected, 'workspaces.list': () => [workspace('web', { templateId: 'node-api' })] },
      { 'engine.status': fakeEventSource<EngineStatus>().source, 'workspaces.changed': fakeEventSource<EventPayload<'workspaces.changed'>>().source }
    )
    const tray = new DesktopTray({
      api,
      tray: recorder.tray(),
      buildMenu: recorder.buildMenu,
      platform: 'linux',
      resourcesDir: '/res',
      windowVisible: () => true,
      run: () => undefined,
      onProblem: (message) => expect.unreachable(message)
    })
    await vi.waitFor(() => expect(recorder.snapshot().tray.menu).toContain('● web — running'))
    const { tray: shown } = recorder.snapshot()
    expect(shown.image).toBe('/res/tray/ready.png')
    expect(shown.tooltip).toBe('Sandlot: 1 ready')
    expect(shown.menu).toEqual([
      '● web — running',
      '  Open in Sandlot',
      '  Restart the app',
      '  Open the preview (disabled)',
      '  Open a terminal',
      '---',
      'New workspace from node-api',
      'New workspace…',
      '---',
      'Hide window',
      'Quit Sandlot'
    ])
    tray.close()
    expect(recorder.snapshot().tray.destroyed).toBe(true)
  })

  it('record the crash notification the shell raises, and click it as the user would', () => {
    vi.useFakeTimers()
    const recorder = new ShellRecorder()
    const history = fakeEventSource<EventPayload<'history.events'>>()
    const api = fakeCoreApi({}, { 'history.events': history.source, 'history.errors': fakeEventSource<EventPayload<'history.errors'>>().source, 'workspaces.changed': fakeEventSource<EventPayload<'workspaces.changed'>>().source })
    const routes: string[] = []
    const stop = startDesktopNotifications({ api, notification: recorder.notification, settings: () => Settings.parse({}), showWindow: (route) => routes.push(route) })
    history.emit({
      workspace: 'web',
      event: { id: 1, workspace: 'web', container: 'c', boot: 'b', ts: '2026-12-03T10:00:00Z', kind: 'crash', summary: 'Crashed with exit code 1' },
      app: { state: 'crashed', since: '2026-12-03T10:00:00Z', restarts: 0, unreadErrors: 1 }
    })
    vi.advanceTimersByTime(2000)
    expect(recorder.snapshot().notifications).toEqual([{ title: 'web: the app crashed', body: 'Crashed with exit code 1', shown: true }])
    expect(recorder.clickNotification(0)).toBe(true)
    expect(routes).toEqual(['workspaces/web/errors'])
    expect(recorder.clickNotification(1)).toBe(false)
    stop()
  })
})
