import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Started at login, the app opens in the tray without a window. */
export const HIDDEN_ARG = '--hidden'

export interface LoginItemHost {
  platform: NodeJS.Platform
  /** Electron's own login items (macOS, Windows). */
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[]; openAsHidden?: boolean }): void
  /** What to start: the AppImage file rather than its temporary mount, else the executable. */
  command: string
  /** `$XDG_CONFIG_HOME` or `~/.config`, where the Linux autostart entry goes. */
  configHome: string
}

/**
 * Auto-start at login (setting desktop.openAtLogin). Electron does macOS and Windows; on Linux it does
 * nothing, so an XDG autostart entry is written or removed (the desktop environments' common way).
 */
export function applyLoginItem(openAtLogin: boolean, host: LoginItemHost): void {
  if (host.platform !== 'linux') {
    host.setLoginItemSettings({ openAtLogin, args: [HIDDEN_ARG], openAsHidden: true })
    return
  }
  const file = linuxAutostartFile(host.configHome)
  if (!openAtLogin) {
    rmSync(file, { force: true })
    return
  }
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, linuxAutostartEntry(host.command))
}

export function linuxAutostartFile(configHome: string): string {
  return join(configHome, 'autostart', 'sandlot.desktop')
}

/** The command quoted as the Desktop Entry spec wants (a path with spaces or quotes still starts). */
export function linuxAutostartEntry(command: string): string {
  const quoted = `"${command.replace(/(["`$\\])/g, '\\$1')}"`
  return ['[Desktop Entry]', 'Type=Application', 'Name=Sandlot', 'Comment=Disposable, monitored dev environments', `Exec=${quoted} ${HIDDEN_ARG}`, 'X-GNOME-Autostart-enabled=true', ''].join('\n')
}
