import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, nativeTheme, protocol, session, shell } from 'electron'
import { resolveDataFolder } from '../core/data/data-folder'
import { openSandlotCore, type SandlotCore } from '../core/sandlot-core'
import { toErrorInfo } from '../core/sandlot-error'
import { contentSecurityPolicy, securityHeaders } from '../server/security-headers'
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './app-protocol'
import { registerIpcHandlers } from './ipc-handlers'
import { findNativeBinding } from '../core/store/native-binding'
import { APP_SCHEME, isAppUrl, rendererSource, type RendererSource } from './renderer-source'
import { limitPermissions, lockNavigation } from './web-contents-policy'
import { mainWindowOptions } from './window-options'

// This bundle is out/main/index.js; the preload and the renderer are built next to it.
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The desktop app: one window over the same core the CLI and `sandlot serve` use. */
export function startDesktopApp(): void {
  // The data folder is Electron's userData (CONVENTIONS.md); SANDLOT_HOME moves both, single-instance lock included.
  app.setPath('userData', resolveDataFolder())
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
  app.on('web-contents-created', (_event, contents) =>
    lockNavigation(contents, (url) => {
      // No system browser, or it refused: say so rather than drop the click silently.
      shell.openExternal(url).catch((err: unknown) => console.error(`sandlot: could not open ${url} in the browser:`, err))
    })
  )

  let window: BrowserWindow | undefined
  app.on('second-instance', () => {
    if (window === undefined) return
    if (window.isMinimized()) window.restore()
    window.focus()
  })

  void app.whenReady().then(() => {
    const core = openCore()
    if (core === undefined) return
    core.startBackgroundWork()
    const source = rendererSource({
      isPackaged: app.isPackaged,
      devServerUrl: process.env.ELECTRON_RENDERER_URL,
      bundleDir: join(outDir, 'renderer')
    })
    serveRenderer(source)
    limitPermissions(session.defaultSession, (url) => isAppUrl(url, source))
    const unregister = registerIpcHandlers(ipcMain, core.api, (url) => isAppUrl(url, source))
    nativeTheme.themeSource = core.settings().settings.appearance.theme

    const open = (): void => {
      window = createWindow(source)
      window.on('closed', () => (window = undefined))
    }
    open()
    app.on('activate', () => {
      if (window === undefined) open()
    })
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit()
    })
    app.on('will-quit', () => {
      unregister()
      core.close()
    })
  })
}

/** The core with Electron's own SQLite build; on failure a dialog says what to do, and the app exits. */
function openCore(): SandlotCore | undefined {
  const binding = findNativeBinding({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    modulesVersion: process.versions.modules,
    exists: existsSync
  })
  if (!binding.found) return fail(binding)
  try {
    return openSandlotCore({ nativeBinding: binding.file, onBackgroundProblem: (message) => console.error(`sandlot: ${message}`) })
  } catch (err) {
    return fail(toErrorInfo(err))
  }
}

function fail({ message, hint }: { message: string; hint?: string }): undefined {
  dialog.showErrorBox('Sandlot cannot start', hint === undefined ? message : `${message}\n\n${hint}`)
  app.exit(1)
  return undefined
}

function serveRenderer(source: RendererSource): void {
  if (source.kind === 'bundle') {
    protocol.handle(APP_SCHEME, appProtocolHandler(source.dir, securityHeaders(contentSecurityPolicy({ connect: [] }))))
    return
  }
  // Vite's dev server sends no CSP of its own; add a looser one (inline scripts for hot reload, its WebSocket).
  const policy = contentSecurityPolicy({ connect: [source.origin.replace(/^http:/, 'ws:')], devServer: true })
  session.defaultSession.webRequest.onHeadersReceived({ urls: [`${source.origin}/*`] }, (details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } })
  })
}

function createWindow(source: RendererSource): BrowserWindow {
  const window = new BrowserWindow(
    mainWindowOptions({ preload: join(outDir, 'preload', 'index.cjs'), dark: nativeTheme.shouldUseDarkColors })
  )
  window.once('ready-to-show', () => window.show())
  // The window stays hidden until ready-to-show: a failed load must still show up, with what went wrong.
  window.loadURL(source.url).catch((err: Error) => {
    window.show()
    dialog.showErrorBox('Sandlot could not load its window', `${err.message}\n\nRun \`npm run build\` in a checkout, or reinstall Sandlot.`)
  })
  return window
}
