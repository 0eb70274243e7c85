import type { MenuItemConstructorOptions } from 'electron'
import type { NotificationLike } from './desktop-notifications'
import type { TrayLike } from './tray'

/**
 * The end-to-end test of the built app (tests/e2e/electron.spec.ts) cannot read a native notification or the
 * system tray's menu. With this variable set to 1, in a checkout only (never in an installed app), the shell uses
 * recording fakes for both, reachable from Playwright's `electronApp.evaluate` as `globalThis[SHELL_RECORDER]`.
 */
export const SHELL_TEST_HOOKS_ENV = 'SANDLOT_TEST_SHELL_HOOKS'
export const SHELL_RECORDER = '__sandlotShellRecorder'

export interface RecordedNotification {
  title: string
  body: string
  shown: boolean
}

/** What the recorder saw: every notification, and the tray as it shows now (its menu as labels, submenus indented). */
export interface ShellRecord {
  notifications: RecordedNotification[]
  tray: { image: string; tooltip: string; menu: string[]; destroyed: boolean }
}

/** The recording stand-ins for Electron's Notification and Tray, and Menu.buildFromTemplate (kept as the template). */
export class ShellRecorder {
  readonly #notifications: Array<RecordedNotification & { clicks: Array<() => void> }> = []
  readonly #tray = { image: '', tooltip: '', menu: [] as MenuItemConstructorOptions[], destroyed: false, clicks: [] as Array<() => void> }

  readonly notification = ({ title, body }: { title: string; body: string }): NotificationLike => {
    const note = { title, body, shown: false, clicks: [] as Array<() => void> }
    this.#notifications.push(note)
    return {
      on: (_event, listener) => note.clicks.push(listener),
      show: () => void (note.shown = true)
    }
  }

  readonly buildMenu = (template: MenuItemConstructorOptions[]): unknown => template

  tray(): TrayLike {
    const tray = this.#tray
    return {
      setImage: (file) => void (tray.image = file),
      setToolTip: (text) => void (tray.tooltip = text),
      setContextMenu: (menu) => void (tray.menu = menu as MenuItemConstructorOptions[]),
      on: (_event, listener) => tray.clicks.push(listener),
      destroy: () => void (tray.destroyed = true)
    }
  }

  snapshot(): ShellRecord {
    const { image, tooltip, menu, destroyed } = this.#tray
    return {
      notifications: this.#notifications.map(({ title, body, shown }) => ({ title, body, shown })),
      tray: { image, tooltip, menu: labels(menu, ''), destroyed }
    }
  }

  /** Clicks the notification at `index`, as the user would; false when there is none. */
  clickNotification(index: number): boolean {
    const note = this.#notifications[index]
    if (note === undefined) return false
    for (const click of note.clicks) click()
    return true
  }
}

function labels(items: readonly MenuItemConstructorOptions[], indent: string): string[] {
  return items.flatMap((item) => {
    const own = item.type === 'separator' ? `${indent}---` : `${indent}${item.label ?? ''}${item.enabled === false ? ' (disabled)' : ''}`
    const submenu = Array.isArray(item.submenu) ? labels(item.submenu, `${indent}  `) : []
    return [own, ...submenu]
  })
}

/**
 * The recorder when the test asked for it in a checkout, else undefined (the real Notification and Tray). An
 * installed app never honours the variable: nothing set in a user's environment swaps its notifications out.
 */
export function shellTestHooks({ env, isPackaged }: { env: NodeJS.ProcessEnv; isPackaged: boolean }): ShellRecorder | undefined {
  if (isPackaged || env[SHELL_TEST_HOOKS_ENV] !== '1') return undefined
  const recorder = new ShellRecorder()
  ;(globalThis as Record<string, unknown>)[SHELL_RECORDER] = recorder
  return recorder
}
