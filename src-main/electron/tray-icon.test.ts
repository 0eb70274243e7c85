import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FleetState } from './fleet-state'
import { trayIconFile } from './tray-icon'

const resources = join(__dirname, '..', '..', 'resources')
const STATES: FleetState[] = ['ready', 'starting', 'trouble', 'unreachable']

describe('tray icons', () => {
  it('uses template images on macOS and coloured ones elsewhere', () => {
    expect(trayIconFile('trouble', 'darwin', '/r')).toBe(join('/r', 'tray', 'troubleTemplate.png'))
    expect(trayIconFile('trouble', 'linux', '/r')).toBe(join('/r', 'tray', 'trouble.png'))
    expect(trayIconFile('ready', 'win32', '/r')).toBe(join('/r', 'tray', 'ready.png'))
  })

  it('has a committed PNG at 16 and 32 px for every state on every platform', () => {
    for (const state of STATES) {
      for (const platform of ['darwin', 'linux', 'win32'] as const) {
        const file = trayIconFile(state, platform, resources)
        for (const [path, size] of [[file, 16], [file.replace(/\.png$/, '@2x.png'), 32]] as const) {
          expect(existsSync(path), path).toBe(true)
          const header = readFileSync(path)
          expect(header.subarray(1, 4).toString('ascii'), path).toBe('PNG')
          expect([header.readUInt32BE(16), header.readUInt32BE(20)], path).toEqual([size, size])
        }
      }
    }
  })
})
