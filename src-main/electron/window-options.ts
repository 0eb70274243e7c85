import type { BrowserWindowConstructorOptions } from 'electron'

/** Matches --bg-app in the renderer's theme, so the window does not flash white before the first paint. */
const BACKGROUND = { light: '#f6f6f7', dark: '#0e0e10' }

/** The window's default size and the smallest it may get (window-state.ts restores within these). */
export const MAIN_WINDOW_SIZE = { width: 1200, height: 780, minWidth: 880, minHeight: 560 } as const

/** The main window: a locked-down renderer (isolated, sandboxed, no Node) that talks only through the preload. */
export function mainWindowOptions({ preload, dark }: { preload: string; dark: boolean }): BrowserWindowConstructorOptions {
  return {
    title: 'Sandlot',
    ...MAIN_WINDOW_SIZE,
    show: false,
    backgroundColor: dark ? BACKGROUND.dark : BACKGROUND.light,
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false
    }
  }
}
