import type { BrowserWindow } from 'electron'
import { describe, expect, it } from 'vitest'
import { MainWindow } from './main-window'
import type { Bounds, WindowState } from './window-state'

/** A BrowserWindow faked at Electron's boundary: it records what the shell does to it. */
class FakeWindow {
  visible = false
  maximized = false
  minimized = false
  destroyed = false
  bounds: Bounds = { x: 0, y: 0, width: 0, height: 0 }
  loaded: string[] = []
  scripts: string[] = []
  handlers = new Map<string, Array<(...args: unknown[]) => void>>()
  page = new Map<string, (...args: unknown[]) => void>()
  webContents = {
    isLoading: () => false,
    executeJavaScript: async (code: string) => this.scripts.push(code),
    on: (event: string, listener: (...args: unknown[]) => void) => this.page.set(event, listener)
  }
  constructor(bounds: Partial<Bounds>) {
    this.bounds = { x: 0, y: 0, width: 0, height: 0, ...bounds }
  }
  on(event: string, listener: (...args: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener])
    return this
  }
  once(event: string, listener: (...args: unknown[]) => void) {
    return this.on(event, listener)
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.handlers.get(event) ?? []) listener(...args)
  }
  loadURL(url: string) {
    this.loaded.push(url)
    return Promise.resolve()
  }
  show() {
    this.visible = true
  }
  hide() {
    this.visible = false
  }
  focus() {}
  restore() {
    this.minimized = false
  }
  maximize() {
    this.maximized = true
  }
  isVisible = () => this.visible
  isMinimized = () => this.minimized
  isMaximized = () => this.maximized
  isDestroyed = () => this.destroyed
  getBounds = () => this.bounds
}

function setup(state: WindowState = {}) {
  const windows: FakeWindow[] = []
  const saved: WindowState[] = []
  let notes = 0
  const main = new MainWindow({
    create: (bounds) => {
      const window = new FakeWindow(bounds)
      windows.push(window)
      return window as unknown as BrowserWindow
    },
    url: 'sandlot://app/index.html',
    workAreas: () => [{ x: 0, y: 0, width: 1920, height: 1040 }],
    limits: { width: 1200, height: 780, minWidth: 880, minHeight: 560 },
    state,
    saveState: (s) => saved.push(s),
    firstCloseToTray: () => (notes += 1),
    visibilityChanged: () => undefined,
    loadFailed: (err) => expect.unreachable(err.message)
  })
  return { main, windows, saved, notes: () => notes }
}

describe('main window', () => {
  it('opens where it was, maximised if it was, on the last view, once its first paint is ready', () => {
    const { main, windows } = setup({ bounds: { x: 40, y: 30, width: 1400, height: 900 }, maximized: true, route: 'terminals/web' })
    main.show()
    const window = windows[0]!
    expect(window.bounds).toEqual({ x: 40, y: 30, width: 1400, height: 900 })
    expect(window.maximized).toBe(true)
    expect(window.loaded).toEqual(['sandlot://app/index.html#/terminals/web'])
    expect(window.visible).toBe(false)
    window.emit('ready-to-show')
    expect(window.visible).toBe(true)
  })

  it('hides on close and keeps Sandlot in the tray, with the note the first time only', () => {
    const { main, windows, saved, notes } = setup()
    main.show()
    const window = windows[0]!
    window.emit('ready-to-show')
    window.bounds = { x: 5, y: 6, width: 1000, height: 700 }
    window.page.get('did-navigate-in-page')?.({}, 'sandlot://app/index.html#/workspaces/web/errors')
    let prevented = 0
    window.emit('close', { preventDefault: () => (prevented += 1) })
    expect(prevented).toBe(1)
    expect(window.visible).toBe(false)
    expect(notes()).toBe(1)
    expect(saved.at(-1)).toEqual({ maximized: false, bounds: { x: 5, y: 6, width: 1000, height: 700 }, route: 'workspaces/web/errors', trayNoteShown: true })
    main.show()
    window.emit('close', { preventDefault: () => (prevented += 1) })
    expect(notes()).toBe(1)
    // Quitting: the close goes through.
    main.allowClose()
    window.emit('close', { preventDefault: () => (prevented += 1) })
    expect(prevented).toBe(2)
  })

  it('moves a shown window to a route without reloading it, and only to a path', () => {
    const { main, windows } = setup()
    main.show()
    main.show('workspaces/web/errors')
    main.show('x"; alert(1); "')
    expect(windows).toHaveLength(1)
    expect(windows[0]!.scripts).toEqual(['location.hash = "#/workspaces/web/errors"'])
  })

  it('shows or hides from the tray', () => {
    const { main, windows } = setup()
    main.show()
    windows[0]!.emit('ready-to-show')
    main.toggle()
    expect(main.isVisible()).toBe(false)
    main.toggle()
    expect(main.isVisible()).toBe(true)
  })
})
