import { describe, expect, it } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import type { EngineStatus, EventPayload } from '../core/contract'
import { fakeCoreApi, fakeEventSource } from '../transport/test-support/fake-core-api'
import { connected, endpoint, workspace } from './test-fixtures'
import { DesktopTray, menuTemplate, type TrayLike } from './tray'
import type { TrayAction } from './tray-menu'

const web = workspace('web', { templateId: 'vite-react' })

/** Electron faked at its boundary: a tray that records, a core API whose events the test sends. */
function setup() {
  const engine = fakeEventSource<EngineStatus>()
  const changed = fakeEventSource<EventPayload<'workspaces.changed'>>()
  const api = fakeCoreApi(
    { 'engine.status': () => connected, 'workspaces.list': () => [web] },
    { 'engine.status': engine.source, 'workspaces.changed': changed.source }
  )
  const tray = { image: '', tooltip: '', menu: [] as MenuItemConstructorOptions[], destroyed: false, clicks: [] as Array<() => void>, sets: 0 }
  const fake: TrayLike = {
    setImage: (file) => {
      tray.sets += 1
      tray.image = file
    },
    setToolTip: (text) => {
      tray.sets += 1
      tray.tooltip = text
    },
    setContextMenu: (menu) => (tray.menu = menu as MenuItemConstructorOptions[]),
    on: (_event, listener) => tray.clicks.push(listener),
    destroy: () => (tray.destroyed = true)
  }
  const ran: TrayAction[] = []
  const desktop = new DesktopTray({
    api,
    tray: fake,
    buildMenu: (template) => template,
    platform: 'linux',
    resourcesDir: '/res',
    windowVisible: () => false,
    run: (action) => ran.push(action),
    onProblem: (message) => expect.unreachable(message)
  })
  return { desktop, tray, ran, engine, changed, listening: () => engine.listeners.size + changed.listeners.size }
}

describe('desktop tray', () => {
  it('shows the fleet read at start, and follows workspace and engine events', async () => {
    const { tray, engine, changed, desktop, listening } = setup()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(tray.image).toBe('/res/tray/ready.png')
    expect(tray.tooltip).toBe('Sandlot: 1 ready')
    expect(tray.menu.map((i) => i.label ?? '—')).toContain('● web — running')

    changed.emit({ name: 'web', workspace: { ...web, app: { state: 'crashed', since: web.createdAt, restarts: 1, unreadErrors: 1 } } })
    expect(tray.image).toBe('/res/tray/trouble.png')
    expect(tray.menu[0]?.label).toBe('! web — crashed')
    engine.emit({ state: 'unreachable', endpoint, message: 'gone', hint: 'Start Docker.', since: 'x', attempt: 1 })
    expect(tray.image).toBe('/res/tray/unreachable.png')
    changed.emit({ name: 'web' })
    expect(tray.menu[0]?.label).toBe('No workspaces yet')

    desktop.close()
    expect(tray.destroyed).toBe(true)
    expect(listening()).toBe(0)
  })

  it('sets the image and tooltip only when they change, while the menu follows every event', async () => {
    const { tray, changed, desktop } = setup()
    await new Promise((resolve) => setTimeout(resolve, 0))
    const sets = tray.sets
    const menus: unknown[] = []
    changed.emit({ name: 'web', workspace: { ...web, templateId: 'node-api' } })
    menus.push(tray.menu)
    expect(tray.sets).toBe(sets)
    changed.emit({ name: 'web', workspace: { ...web, app: { state: 'crashed', since: web.createdAt, restarts: 1, unreadErrors: 1 } } })
    expect(tray.sets).toBe(sets + 2)
    expect(tray.menu).not.toBe(menus[0])
    desktop.close()
  })
})

describe('tray menu template', () => {
  it('turns the model into Electron’s template, a click running the item’s action', () => {
    const ran: TrayAction[] = []
    const template = menuTemplate(
      [
        { type: 'item', label: 'web', enabled: true, submenu: [{ type: 'item', label: 'Open a terminal', enabled: true, action: { kind: 'show', route: 'terminals/web' } }] },
        { type: 'separator' },
        { type: 'item', label: 'Quit Sandlot', enabled: true, action: { kind: 'quit' } }
      ],
      (action) => ran.push(action)
    )
    expect(template.map((i) => i.type ?? i.label)).toEqual(['web', 'separator', 'Quit Sandlot'])
    const submenu = template[0]?.submenu as MenuItemConstructorOptions[]
    ;(submenu[0]?.click as () => void)()
    ;(template[2]?.click as () => void)()
    expect(ran).toEqual([{ kind: 'show', route: 'terminals/web' }, { kind: 'quit' }])
  })
})
