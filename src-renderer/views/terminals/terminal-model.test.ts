import { describe, expect, it } from 'vitest'
import { Settings, type TerminalInfo } from '../../../src-main/core/contract'
import { terminalInfo } from '../../bridge/terminal-fixture'
import { matchShortcut, shortcutKeys, SHORTCUTS } from './shortcuts'
import {
  applyTerminalChange,
  connectionLabel,
  gridShape,
  groupsOf,
  groupStanding,
  HOST_GROUP,
  matchesFilter,
  parseTerminalsPath,
  reorderWithinGroup,
  terminalsPath,
  windowScrollback
} from './terminal-model'

let created = 0
function terminal(id: string, position: number, workspace?: string, extra: Partial<TerminalInfo> = {}): TerminalInfo {
  created += 1
  return terminalInfo({
    id,
    position,
    target: workspace === undefined ? { kind: 'host' } : { kind: 'workspace', workspace },
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, created)).toISOString(),
    ...extra
  })
}

describe('terminal list', () => {
  it('applies change events in layout order', () => {
    const a = terminal('tAAAA1', 0, 'web')
    const b = terminal('tBBBB2', 1)
    let list = applyTerminalChange([], { kind: 'opened', terminal: b })
    list = applyTerminalChange(list, { kind: 'opened', terminal: a })
    expect(list.map((t) => t.id)).toEqual(['tAAAA1', 'tBBBB2'])
    list = applyTerminalChange(list, { kind: 'renamed', terminal: { ...a, name: 'server' } })
    expect(list.map((t) => t.name)).toEqual(['server', 'bash'])
    list = applyTerminalChange(list, { kind: 'reordered', terminal: { ...a, position: 2 } })
    expect(list.map((t) => t.id)).toEqual(['tBBBB2', 'tAAAA1'])
    list = applyTerminalChange(list, { kind: 'closed', terminal: { ...b, state: 'closed' } })
    expect(list.map((t) => t.id)).toEqual(['tAAAA1'])
  })

  it('groups by workspace, host shells apart, in the order of their first terminal', () => {
    expect(groupsOf([terminal('tAAAA1', 2, 'api'), terminal('tBBBB2', 0), terminal('tCCCC3', 1, 'web'), terminal('tDDDD4', 3, 'web')])).toEqual([HOST_GROUP, 'web', 'api'])
  })

  it('moves a tab within its group, leaving the other groups’ slots alone', () => {
    const list = [terminal('tW0000', 0, 'web'), terminal('tH0000', 1), terminal('tW1111', 2, 'web'), terminal('tW2222', 3, 'web')]
    expect(reorderWithinGroup(list, 'web', 2, 0)).toEqual(['tW2222', 'tH0000', 'tW0000', 'tW1111'])
    expect(reorderWithinGroup(list, 'web', 0, 1)).toEqual(['tW1111', 'tH0000', 'tW0000', 'tW2222'])
    expect(reorderWithinGroup(list, 'web', 0, 7)).toEqual(['tW0000', 'tH0000', 'tW1111', 'tW2222'])
  })
})

describe('terminal routes', () => {
  it('reads the grid and a group’s tabs from the path, and writes them back', () => {
    expect(parseTerminalsPath('terminals')).toEqual({ page: 'grid' })
    expect(parseTerminalsPath('#/terminals/web-1')).toEqual({ page: 'tabs', group: 'web-1' })
    expect(parseTerminalsPath('terminals/@host')).toEqual({ page: 'tabs', group: HOST_GROUP })
    expect(parseTerminalsPath('terminals/Not A Name')).toEqual({ page: 'grid' })
    expect(terminalsPath({ page: 'tabs', group: 'web-1' })).toBe('terminals/web-1')
    expect(terminalsPath({ page: 'grid' })).toBe('terminals')
  })
})

describe('groupStanding', () => {
  const listed = new Set(['web'])
  it('lets the host and a listed workspace open terminals, and any name while the list is not in', () => {
    expect(groupStanding(HOST_GROUP, listed, 0)).toBe('open')
    expect(groupStanding('web', listed, 0)).toBe('open')
    expect(groupStanding('box', undefined, 0)).toBe('open')
  })
  it('calls a name not listed removed while it still has terminals, and unknown without', () => {
    expect(groupStanding('box', listed, 2)).toBe('removed')
    expect(groupStanding('nope-never', listed, 0)).toBe('unknown')
  })
})

describe('grid', () => {
  it('lays 1 to 16 cells out near-square on a wide window', () => {
    const shapes = [1, 2, 3, 4, 5, 6, 9, 10, 12, 13, 16].map((count) => {
      const { columns, rows } = gridShape(count, 1700)
      return `${count}:${columns}x${rows}`
    })
    expect(shapes).toEqual(['1:1x1', '2:2x1', '3:3x1', '4:2x2', '5:3x2', '6:3x2', '9:3x3', '10:4x3', '12:4x3', '13:4x4', '16:4x4'])
  })

  it('uses fewer columns when the window is narrow', () => {
    expect(gridShape(4, 400)).toEqual({ columns: 1, rows: 4 })
    expect(gridShape(4, 700)).toEqual({ columns: 2, rows: 2 })
    expect(gridShape(0, 700)).toEqual({ columns: 1, rows: 0 })
  })

  it('filters by workspace name or terminal name, and by state', () => {
    const web = terminal('tAAAA1', 0, 'web-shop')
    const host = terminal('tBBBB2', 1, undefined, { state: 'exited', exitCode: 1 })
    expect(matchesFilter(web, { text: 'SHOP', state: 'all' })).toBe(true)
    expect(matchesFilter(host, { text: 'shop', state: 'all' })).toBe(false)
    expect(matchesFilter(host, { text: 'computer', state: 'exited' })).toBe(true)
    expect(matchesFilter(web, { text: '', state: 'exited' })).toBe(false)
  })

  it('says how each terminal is connected', () => {
    expect(connectionLabel('running', 'live', null)).toEqual({ text: 'Live', tone: 'ok' })
    expect(connectionLabel('running', 'lost', null).text).toBe('Link lost')
    expect(connectionLabel('connecting', 'live', null).text).toBe('Reconnecting')
    expect(connectionLabel('exited', 'live', 130)).toEqual({ text: 'Exited (130)', tone: 'error' })
  })
})

describe('shortcuts', () => {
  const key = (code: string, mods: Partial<KeyboardEvent> = {}) => ({ type: 'keydown', code, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods })

  it('takes Ctrl+Shift combinations, and ⌘ for copy and paste on a Mac', () => {
    expect(matchShortcut(key('KeyG', { ctrlKey: true, shiftKey: true }), false)).toBe('toggle-grid')
    expect(matchShortcut(key('KeyG', { ctrlKey: true }), false)).toBeUndefined()
    expect(matchShortcut(key('KeyF', { ctrlKey: true, shiftKey: true, altKey: true }), false)).toBeUndefined()
    expect(matchShortcut(key('KeyV', { metaKey: true }), true)).toBe('paste')
    expect(matchShortcut(key('KeyV', { metaKey: true }), false)).toBeUndefined()
    expect(matchShortcut({ ...key('KeyG', { ctrlKey: true, shiftKey: true }), type: 'keyup' }, false)).toBeUndefined()
  })

  it('names its keys for the help page', () => {
    expect(SHORTCUTS.map((shortcut) => shortcutKeys(shortcut, false))).toContain('Ctrl+Shift+`')
    expect(shortcutKeys(SHORTCUTS.find((shortcut) => shortcut.id === 'copy')!, true)).toBe('⌘C')
  })
})

describe('windowScrollback', () => {
  const view = (terminal: { scrollback?: number }) => ({ settings: Settings.parse({ terminal }), problems: [], file: '/x/settings.json' })

  it('follows the terminal.scrollback setting, zero included', () => {
    expect(windowScrollback(view({ scrollback: 12_345 }))).toBe(12_345)
    expect(windowScrollback(view({ scrollback: 0 }))).toBe(0)
  })

  it("uses the setting's default until the settings have arrived", () => {
    expect(windowScrollback(undefined)).toBe(windowScrollback(view({})))
    expect(windowScrollback(undefined)).toBe(5000)
  })
})
