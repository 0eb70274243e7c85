import { describe, expect, it } from 'vitest'
import { workspace as ws } from './test-fixtures'
import { TRAY_WORKSPACE_LIMIT, trayMenu, type TrayItem } from './tray-menu'

const labels = (items: TrayItem[]): string[] => items.map((item) => (item.type === 'separator' ? '—' : item.label))
const find = (items: TrayItem[], label: string) => {
  const item = items.find((i) => i.type === 'item' && i.label === label)
  if (item === undefined || item.type !== 'item') throw new Error(`no item ${label} in ${labels(items).join(' | ')}`)
  return item
}

describe('tray menu', () => {
  it('lists the workspaces newest first with their states, a new one from the last template, the window and quit', () => {
    const menu = trayMenu({
      workspaces: [
        ws('api', { createdAt: '2026-12-03T08:00:00Z', templateId: 'python' }, 'crashed'),
        ws('web', { createdAt: '2026-12-03T09:00:00Z', templateId: 'vite-react', previewUrl: 'http://127.0.0.1:41000' }, 'ready'),
        ws('old', { createdAt: '2026-12-02T09:00:00Z', container: 'exited' })
      ],
      windowVisible: true,
      engineReachable: true
    })
    expect(labels(menu)).toEqual([
      '● web — ready',
      '! api — crashed',
      '○ old — stopped',
      '—',
      'New workspace from vite-react',
      'New workspace…',
      '—',
      'Hide window',
      'Quit Sandlot'
    ])
    expect(find(menu, 'New workspace from vite-react').action).toEqual({ kind: 'create', template: 'vite-react' })
    expect(find(menu, 'Quit Sandlot').action).toEqual({ kind: 'quit' })
  })

  it('gives each workspace its quick actions, enabled only where they can work', () => {
    const menu = trayMenu({
      workspaces: [ws('web', { previewUrl: 'http://127.0.0.1:41000' }, 'ready'), ws('old', { container: 'exited' }), ws('api', {}, 'backing-off')],
      windowVisible: false,
      engineReachable: true
    })
    const web = find(menu, '● web — ready').submenu!
    expect(web).toEqual([
      { type: 'item', label: 'Open in Sandlot', enabled: true, action: { kind: 'show', route: 'workspaces/web/logs' } },
      { type: 'item', label: 'Restart the app', enabled: true, action: { kind: 'restart-app', workspace: 'web' } },
      { type: 'item', label: 'Open the preview', enabled: true, action: { kind: 'open-preview', url: 'http://127.0.0.1:41000' } },
      { type: 'item', label: 'Open a terminal', enabled: true, action: { kind: 'show', route: 'terminals/web' } }
    ])
    const old = find(menu, '○ old — stopped').submenu!
    expect(old.filter((i) => i.type === 'item' && i.enabled).map((i) => (i as { label: string }).label)).toEqual(['Open in Sandlot'])
    // A workspace in trouble also leads straight to its errors.
    expect(find(find(menu, '! api — restarting after a crash').submenu!, 'Show its errors').action).toEqual({ kind: 'show', route: 'workspaces/api/errors' })
    expect(find(menu, 'Show window').action).toEqual({ kind: 'toggle-window' })
  })

  it('greys out what needs the engine while it is unreachable', () => {
    const menu = trayMenu({ workspaces: [ws('web', {}, 'ready')], windowVisible: true, engineReachable: false })
    expect(find(menu, 'New workspace from node-api').enabled).toBe(false)
    expect(find(find(menu, '● web — ready').submenu!, 'Restart the app').enabled).toBe(false)
  })

  it('says when there are none, and sends a long list to the window', () => {
    const empty = trayMenu({ workspaces: [], windowVisible: true, engineReachable: true })
    expect(labels(empty)).toEqual(['No workspaces yet', '—', 'New workspace…', '—', 'Hide window', 'Quit Sandlot'])
    const many = Array.from({ length: TRAY_WORKSPACE_LIMIT + 3 }, (_, i) => ws(`w${String(i).padStart(2, '0')}`))
    const menu = trayMenu({ workspaces: many, windowVisible: true, engineReachable: true })
    expect(menu.filter((i) => i.type === 'item' && i.submenu !== undefined)).toHaveLength(TRAY_WORKSPACE_LIMIT)
    expect(find(menu, `All ${TRAY_WORKSPACE_LIMIT + 3} workspaces…`).action).toEqual({ kind: 'show', route: 'workspaces' })
  })

  it('takes the last template from a workspace that was made, not a failed create', () => {
    const menu = trayMenu({
      workspaces: [ws('bad', { status: 'failed', container: 'none', templateId: 'broken', createdAt: '2026-12-03T10:00:00Z' }), ws('web', { templateId: 'vite-react' })],
      windowVisible: true,
      engineReachable: true
    })
    expect(labels(menu)).toContain('New workspace from vite-react')
  })
})
