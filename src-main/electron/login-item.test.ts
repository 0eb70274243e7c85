import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyLoginItem, linuxAutostartEntry, linuxAutostartFile } from './login-item'

describe('open at login', () => {
  it('uses Electron’s login items on macOS and Windows, opening hidden in the tray', () => {
    const calls: unknown[] = []
    for (const platform of ['darwin', 'win32'] as const) {
      applyLoginItem(true, { platform, setLoginItemSettings: (s) => calls.push(s), command: '/x', configHome: '/nowhere' })
    }
    applyLoginItem(false, { platform: 'darwin', setLoginItemSettings: (s) => calls.push(s), command: '/x', configHome: '/nowhere' })
    expect(calls).toEqual([
      { openAtLogin: true, args: ['--hidden'], openAsHidden: true },
      { openAtLogin: true, args: ['--hidden'], openAsHidden: true },
      { openAtLogin: false, args: ['--hidden'], openAsHidden: true }
    ])
  })

  it('writes and removes an XDG autostart entry on Linux', () => {
    const configHome = mkdtempSync(join(tmpdir(), 'sandlot-autostart-'))
    const host = { platform: 'linux' as const, setLoginItemSettings: () => expect.unreachable(), command: '/opt/My Apps/Sandlot.AppImage', configHome }
    applyLoginItem(true, host)
    const file = linuxAutostartFile(configHome)
    expect(readFileSync(file, 'utf8')).toContain('Exec="/opt/My Apps/Sandlot.AppImage" --hidden')
    applyLoginItem(false, host)
    expect(existsSync(file)).toBe(false)
    applyLoginItem(false, host)
  })

  it('quotes what the Desktop Entry spec reserves', () => {
    expect(linuxAutostartEntry('/a/"b"/$c')).toContain('Exec="/a/\\"b\\"/\\$c" --hidden')
  })
})
