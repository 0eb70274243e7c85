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
    expect(findNativeBinding(lookup({ isPackaged: true }))).toEqual({ found: true, file: '/opt/Sandlot/resources/native/better_sqlite3.node' })
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
