import { describe, expect, it } from 'vitest'
import { mainWindowOptions } from './window-options'

describe('main window options', () => {
  it('locks the renderer down: isolated, sandboxed, no Node, web security on', () => {
    const { webPreferences } = mainWindowOptions({ preload: '/app/out/preload/index.cjs', dark: false })
    expect(webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
  })

  it('paints the theme’s background before the page does, and shows only when ready', () => {
    expect(mainWindowOptions({ preload: 'p', dark: true })).toMatchObject({ backgroundColor: '#0e0e10', show: false })
    expect(mainWindowOptions({ preload: 'p', dark: false }).backgroundColor).toBe('#f6f6f7')
  })
})
