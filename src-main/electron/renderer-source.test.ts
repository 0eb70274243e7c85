import { describe, expect, it } from 'vitest'
import { isAppUrl, rendererSource } from './renderer-source'

describe('renderer source', () => {
  const bundleDir = '/app/out/renderer'

  it('loads the built renderer from sandlot://app', () => {
    expect(rendererSource({ isPackaged: false, devServerUrl: undefined, bundleDir })).toEqual({
      kind: 'bundle',
      url: 'sandlot://app/index.html',
      dir: bundleDir
    })
  })

  it('uses the dev server in a checkout only, and only on this machine', () => {
    expect(rendererSource({ isPackaged: false, devServerUrl: 'http://localhost:5173/', bundleDir })).toEqual({
      kind: 'dev-server',
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173'
    })
    expect(rendererSource({ isPackaged: true, devServerUrl: 'http://localhost:5173/', bundleDir }).kind).toBe('bundle')
    expect(rendererSource({ isPackaged: false, devServerUrl: 'https://evil.example/', bundleDir }).kind).toBe('bundle')
  })

  it('recognises the app’s own pages for each source', () => {
    const bundle = rendererSource({ isPackaged: true, devServerUrl: undefined, bundleDir })
    expect(isAppUrl('sandlot://app/index.html', bundle)).toBe(true)
    expect(isAppUrl('sandlot://app.evil/index.html', bundle)).toBe(false)
    expect(isAppUrl('http://localhost:5173/', bundle)).toBe(false)

    const dev = rendererSource({ isPackaged: false, devServerUrl: 'http://localhost:5173/', bundleDir })
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppUrl('sandlot://app/index.html', dev)).toBe(false)
  })
})
