import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findNativeBinding, type NativeBindingLookup } from './native-binding'

const lookup = (over: Partial<NativeBindingLookup>): NativeBindingLookup => ({
  isPackaged: false,
  resourcesPath: '/opt/Sandlot/resources',
  appPath: '/home/u/sandlot',
  modulesVersion: '145',
  exists: () => true,
  ...over
})

describe('native binding', () => {
  it('uses the Electron build of better-sqlite3 in a checkout', () => {
    expect(findNativeBinding(lookup({}))).toEqual({
      found: true,
      file: '/home/u/sandlot/node_modules/.sandlot-native/electron-145/better_sqlite3.node'
    })
  })

  it('uses the copy in resources/native in a packaged app', () => {
    expect(findNativeBinding(lookup({ isPackaged: true }))).toEqual({ found: true, file: '/opt/Sandlot/resources/native/electron-145/better_sqlite3.node' })
  })

  it('says to run npm run native:electron when a checkout lacks it', () => {
    const missing = findNativeBinding(lookup({ exists: () => false }))
    expect(missing).toMatchObject({ found: false, hint: expect.stringContaining('npm run native:electron') })
    if (!missing.found) expect(missing.message).toContain('electron-145/better_sqlite3.node')
  })

  it('says to reinstall when a packaged app lacks it', () => {
    expect(findNativeBinding(lookup({ isPackaged: true, exists: () => false }))).toMatchObject({ found: false, hint: expect.stringContaining('reinstall') })
  })
})

describe('the layouts agree', () => {
  it('looks where npm run native:electron writes and where electron-builder copies it', async () => {
    const root = join(import.meta.dirname, '..', '..', '..')
    // @ts-expect-error: a plain .mjs script without types
    const script = (await import('../../../scripts/electron-runtime.mjs')) as { electronNativeDir: (version: string) => string; electronAbi: (version: string) => string }
    const abi = script.electronAbi('41.7.1')
    const dev = findNativeBinding({ isPackaged: false, resourcesPath: '', appPath: root, modulesVersion: abi, exists: () => true })
    expect(dev.file).toBe(join(script.electronNativeDir('41.7.1'), 'better_sqlite3.node'))
    const builder = readFileSync(join(root, 'electron.builder.yml'), 'utf8')
    expect(builder).toMatch(/- from: node_modules\/\.sandlot-native\/\n\s+to: native\//)
    const packaged = findNativeBinding({ isPackaged: true, resourcesPath: '/r', appPath: '', modulesVersion: abi, exists: () => true })
    expect(packaged.file).toBe(join('/r', 'native', relative(join(root, 'node_modules', '.sandlot-native'), dev.file)))
  })
})
