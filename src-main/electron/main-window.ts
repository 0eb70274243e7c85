import type { BrowserWindow } from 'electron'
import { restoreBounds, routeOf, RoutePath, type Bounds, type WindowState } from './window-state'

export interface MainWindowOptions {
  /** The window's options (window-options.ts) for these bounds. */
  create(bounds: Partial<Bounds>): BrowserWindow
  /** The renderer's address without a route. */
  url: string
  /** The screens' work areas now. */
  workAreas(): Bounds[]
  limits: { width: number; height: number; minWidth: number; minHeight: number }
  state: WindowState
  saveState(state: WindowState): void
  /** The window was closed into the tray for the first time: say once where Sandlot went. */
  firstCloseToTray(): void
  /** The window shows or hides (the tray's menu says Show or Hide). */
  visibilityChanged(): void
  loadFailed(err: Error): void
}

/**
 * The one main window. Closing it hides it (Sandlot stays in the tray) until the app quits; its bounds and
 * the view it shows are kept in window-state.json and restored at the next start.
 */
export class MainWindow {
  readonly #options: MainWindowOptions
  #window: BrowserWindow | undefined
  #state: WindowState
  #quitting = false

  constructor(options: MainWindowOptions) {
    this.#options = options
    this.#state = options.state
  }

  /** Shows the window (made if needed), on `route` when given: a path of the renderer (`workspaces/web/errors`). */
  show(route?: string): void {
    const wanted = route !== undefined && RoutePath.safeParse(route).success ? route : undefined
    const existing = this.#window
    if (existing === undefined) {
      // Shown once its first paint is ready; hidden until then, so it never flashes empty.
      const window = this.#create(wanted)
      window.once('ready-to-show', () => {
        window.show()
        window.focus()
      })
      return
    }
    const window = existing
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
    if (wanted !== undefined && !window.webContents.isLoading()) {
      // A hash change within the page: the renderer follows it without a reload. The route passed the
      // path-only pattern above, and JSON quoting keeps it a string literal.
      void window.webContents.executeJavaScript(`location.hash = ${JSON.stringify(`#/${wanted}`)}`)
    }
  }

  isVisible(): boolean {
    return this.#window?.isVisible() === true
  }

  toggle(): void {
    if (this.isVisible()) this.#window?.hide()
    else this.show()
  }

  /** From here on a close really closes (the app is quitting). */
  allowClose(): void {
    this.#quitting = true
  }

  #create(initialRoute: string | undefined): BrowserWindow {
    const options = this.#options
    const bounds = restoreBounds(this.#state.bounds, options.workAreas(), options.limits)
    const window = options.create(bounds)
    this.#window = window
    if (this.#state.maximized === true) window.maximize()
    const route = initialRoute ?? this.#state.route
    window.loadURL(route === undefined ? options.url : `${options.url}#/${route}`).catch(options.loadFailed)
    window.webContents.on('did-navigate-in-page', (_event, url) => {
      const current = routeOf(url)
      if (current !== undefined) this.#state = { ...this.#state, route: current }
    })
    window.on('show', options.visibilityChanged)
    window.on('hide', options.visibilityChanged)
    window.on('close', (event) => {
      this.#remember(window)
      if (this.#quitting) return
      event.preventDefault()
      window.hide()
      if (this.#state.trayNoteShown !== true) {
        this.#state = { ...this.#state, trayNoteShown: true }
        options.saveState(this.#state)
        options.firstCloseToTray()
      }
    })
    window.on('closed', () => (this.#window = undefined))
    return window
  }

  #remember(window: BrowserWindow): void {
    const maximized = window.isMaximized()
    // A maximised window keeps the bounds it had before, so un-maximising after a restart goes back there.
    this.#state = { ...this.#state, maximized, ...(maximized || window.isMinimized() ? {} : { bounds: window.getBounds() }) }
    this.#options.saveState(this.#state)
  }

  /** Saves where it is now (when the app quits with the window open). */
  saveNow(): void {
    if (this.#window !== undefined && !this.#window.isDestroyed()) this.#remember(this.#window)
  }
}
