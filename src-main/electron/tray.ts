import type { MenuItemConstructorOptions } from 'electron'
import type { CoreApi } from '../core/api'
import type { EngineStatus, Workspace } from '../core/contract'
import { fleetSummary } from './fleet-state'
import { trayIconFile } from './tray-icon'
import { trayMenu, type TrayAction, type TrayItem } from './tray-menu'

/** The parts of Electron's Tray and Menu the adapter uses (faked in tests). */
export interface TrayLike {
  setImage(file: string): void
  setToolTip(text: string): void
  setContextMenu(menu: unknown): void
  on(event: 'click', listener: () => void): unknown
  destroy(): void
}

export interface DesktopTrayOptions {
  api: Pick<CoreApi, 'call' | 'subscribe'>
  tray: TrayLike
  buildMenu(template: MenuItemConstructorOptions[]): unknown
  platform: NodeJS.Platform
  resourcesDir: string
  windowVisible(): boolean
  run(action: TrayAction): void
  /** Where failures of the tray's own reads go (logged; the tray keeps its last state). */
  onProblem(message: string): void
}

/** Electron's menu template for the model; a click runs the item's action. */
export function menuTemplate(items: readonly TrayItem[], run: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' }
    const { action, submenu } = item
    return {
      label: item.label,
      enabled: item.enabled,
      ...(submenu === undefined ? {} : { submenu: menuTemplate(submenu, run) }),
      ...(action === undefined ? {} : { click: () => run(action) })
    }
  })
}

/**
 * The tray icon: the fleet's state as its image and tooltip, the menu rebuilt when a workspace or the engine
 * changes (from the core's events, as the window's list does; nothing polls).
 */
export class DesktopTray {
  readonly #options: DesktopTrayOptions
  readonly #workspaces = new Map<string, Workspace>()
  #engine: EngineStatus | undefined
  /** What the tray shows now: every event redraws the menu, but the image and tooltip only when they change. */
  #image: string | undefined
  #tooltip: string | undefined
  readonly #stops: Array<() => void> = []

  constructor(options: DesktopTrayOptions) {
    this.#options = options
    const { api, tray } = options
    // Linux shows the menu on click anyway; elsewhere a click shows or hides the window, as tray apps do.
    if (options.platform !== 'linux') tray.on('click', () => options.run({ kind: 'toggle-window' }))
    this.#stops.push(
      api.subscribe('engine.status', (status) => {
        this.#engine = status
        this.refresh()
      }),
      api.subscribe('workspaces.changed', ({ name, workspace }) => {
        if (workspace === undefined) this.#workspaces.delete(name)
        else this.#workspaces.set(name, workspace)
        this.refresh()
      })
    )
    this.refresh()
    void Promise.all([api.call('engine.status', {}), api.call('workspaces.list', {})]).then(
      ([engine, workspaces]) => {
        this.#engine ??= engine
        for (const workspace of workspaces) if (!this.#workspaces.has(workspace.name)) this.#workspaces.set(workspace.name, workspace)
        this.refresh()
      },
      (err: unknown) => options.onProblem(`The tray could not read the workspaces: ${(err as Error).message}`)
    )
  }

  /** Redraws icon, tooltip and menu from what is known now (also after the window shows or hides). */
  refresh(): void {
    const { tray, platform, resourcesDir, buildMenu, run, windowVisible } = this.#options
    const workspaces = [...this.#workspaces.values()]
    const summary = fleetSummary(this.#engine, workspaces)
    const image = trayIconFile(summary.state, platform, resourcesDir)
    if (image !== this.#image) tray.setImage((this.#image = image))
    if (summary.tooltip !== this.#tooltip) tray.setToolTip((this.#tooltip = summary.tooltip))
    const items = trayMenu({ workspaces, windowVisible: windowVisible(), engineReachable: this.#engine?.state === 'connected' })
    tray.setContextMenu(buildMenu(menuTemplate(items, run)))
  }

  close(): void {
    for (const stop of this.#stops.splice(0)) stop()
    this.#options.tray.destroy()
  }
}
