import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SandlotError } from '../sandlot-error'
import { defaultDataFolder, ensureDataFolder, resolveDataFolder } from './data-folder'

describe('data folder', () => {
  it('follows Electron userData on each platform', () => {
    expect(defaultDataFolder({ env: {}, platform: 'linux', home: '/home/u' })).toBe('/home/u/.config/Sandlot')
    expect(defaultDataFolder({ env: { XDG_CONFIG_HOME: '/x' }, platform: 'linux', home: '/home/u' })).toBe('/x/Sandlot')
    expect(defaultDataFolder({ env: {}, platform: 'darwin', home: '/Users/u' })).toBe(
      '/Users/u/Library/Application Support/Sandlot'
    )
    expect(defaultDataFolder({ env: { APPDATA: 'C:/Users/u/AppData/Roaming' }, platform: 'win32', home: 'C:/Users/u' })).toBe(
      join('C:/Users/u/AppData/Roaming', 'Sandlot')
    )
  })

  it('lets SANDLOT_HOME override the default', () => {
    expect(resolveDataFolder({ env: { SANDLOT_HOME: '/tmp/a/../b' }, platform: 'linux', home: '/h' })).toBe('/tmp/b')
  })

  it('creates a private folder tree', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'sandlot-df-')), 'home')
    const paths = ensureDataFolder(root)
    expect(statSync(paths.templates).isDirectory()).toBe(true)
    expect(statSync(root).mode & 0o077).toBe(0)
  })

  it('says what to do when the folder cannot be created', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-df-')), 'a-file')
    writeFileSync(file, '')
    const failure = (() => {
      try {
        ensureDataFolder(join(file, 'home'))
      } catch (err) {
        return err as SandlotError
      }
    })()
    expect(failure).toBeInstanceOf(SandlotError)
    expect(failure?.message).toMatch(/Cannot create the data folder .*a-file/)
    expect(failure?.hint).toMatch(/SANDLOT_HOME/)
  })
})
