import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readWindowState, restoreBounds, routeOf, writeWindowState } from './window-state'

const limits = { width: 1200, height: 780, minWidth: 880, minHeight: 560 }
const screen = { x: 0, y: 0, width: 1920, height: 1040 }
const second = { x: 1920, y: 0, width: 1280, height: 1024 }

describe('window state file', () => {
  it('keeps what was saved, and reads a missing, broken or tampered file as nothing remembered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandlot-window-'))
    const file = join(dir, 'window-state.json')
    expect(readWindowState(file)).toEqual({})
    const state = { bounds: { x: 10, y: 20, width: 1300, height: 800 }, maximized: false, route: 'workspaces/web/errors', trayNoteShown: true }
    writeWindowState(file, state)
    expect(readWindowState(file)).toEqual(state)
    expect(statSync(file).mode & 0o077).toBe(0)
    writeFileSync(file, '{ not json')
    expect(readWindowState(file)).toEqual({})
    writeFileSync(file, JSON.stringify({ bounds: { x: 'left' }, route: 'x' }))
    expect(readWindowState(file)).toEqual({})
    writeFileSync(file, JSON.stringify({ route: 'javascript:alert(1)"' }))
    expect(readWindowState(file)).toEqual({})
  })
})

describe('window bounds restore', () => {
  it('opens where it was when that is on a screen', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1300, height: 800 }, [screen], limits)).toEqual({ x: 100, y: 50, width: 1300, height: 800 })
    expect(restoreBounds({ x: 2000, y: 100, width: 1000, height: 700 }, [screen, second], limits)).toEqual({ x: 2000, y: 100, width: 1000, height: 700 })
  })

  it('opens at the default size when nothing was saved or its screen is gone', () => {
    expect(restoreBounds(undefined, [screen], limits)).toEqual({ width: 1200, height: 780 })
    // It was on the second monitor, which is unplugged now.
    expect(restoreBounds({ x: 2000, y: 100, width: 1000, height: 700 }, [screen], limits)).toEqual({ width: 1200, height: 780 })
  })

  it('pulls a window that hangs off its screen back in, at least the minimum size and at most the screen', () => {
    expect(restoreBounds({ x: 1800, y: -40, width: 1000, height: 700 }, [screen], limits)).toEqual({ x: 920, y: 0, width: 1000, height: 700 })
    expect(restoreBounds({ x: 0, y: 0, width: 300, height: 200 }, [screen], limits)).toEqual({ x: 0, y: 0, width: 880, height: 560 })
    expect(restoreBounds({ x: 0, y: 0, width: 5000, height: 3000 }, [screen], limits)).toEqual({ x: 0, y: 0, width: 1920, height: 1040 })
  })
})

describe('route of a window URL', () => {
  it('keeps a renderer path and nothing else', () => {
    expect(routeOf('sandlot://app/index.html#/workspaces/web/errors')).toBe('workspaces/web/errors')
    expect(routeOf('sandlot://app/index.html')).toBeUndefined()
    expect(routeOf('sandlot://app/index.html#/x"><script>')).toBeUndefined()
  })
})
