import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, Notification, powerMonitor, protocol, screen, session, shell, Tray } from 'electron'
import { resolveDataFolder } from '../core/data/data-folder'
import { openSandlotCore, type SandlotCore } from '../core/sandlot-core'
import { toErrorInfo } from '../core/sandlot-error'
import { contentSecurityPolicy, securityHeaders } from '../transport/security-headers'
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './app-protocol'
import { startDesktopNotifications } from './desktop-notifications'
import { registerFolderPicker } from './folder-picker'
import { registerIpcHandlers } from './ipc-handlers'
import { applyLoginItem, HIDDEN_ARG } from './login-item'
import { MainWindow } from './main-window'
import { findNativeBinding } from '../core/store/native-binding'
import { decideQuit } from './quit-flow'
import { APP_SCHEME, isAppUrl, rendererSource, type RendererSource } from './renderer-source'
import { shellTestHooks } from './shell-test-hooks'
import { DesktopTray } from './tray'
import { trayIconFile } from './tray-icon'
import type { TrayAction } from './tray-menu'
import { limitPermissions, lockNavigation, webHref } from './web-contents-policy'
import { MAIN_WINDOW_SIZE, mainWindowOptions } from './window-options'
import { readWindowState, writeWindowState } from './window-state'

// This bundle is out/main/index.js; the preload and the renderer are built next to it.
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The desktop app: a tray icon and one window over the same core the CLI and `sandlot serve` use. */
export function startDesktopApp(): void {
  // The data folder is Electron's userData (CONVENTIONS.md); SANDLOT_HOME moves both, single-instance lock included.
  app.setPath('userData', resolveDataFolder())
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
  app.on('web-contents-created', (_event, contents) => lockNavigation(contents, openInBrowser))

  // The default menu's Quit role has these accelerators (none on Windows, whose tray area is always there).
  const QUIT_KEYS: Partial<Record<NodeJS.Platform, string>> = { linux: ' or with Ctrl+Q in the window', darwin: ' or with ⌘Q' }
  let mainWindow: MainWindow | undefined
  // A second launch (the user opened Sandlot again while it sits in the tray) shows the first one's window.
  app.on('second-instance', () => mainWindow?.show())
  // The window only hides on close; the app ends by Quit, never because no window is open.
  app.on('window-all-closed', () => undefined)

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
    // Attached to the window the user clicked in (focused, since they just clicked).
    const unregisterPicker = registerFolderPicker(
      ipcMain,
      (url) => isAppUrl(url, source),
      async () => {
        const options = { title: 'Choose a folder for the workspace', properties: ['openDirectory' as const] }
        const parent = BrowserWindow.getFocusedWindow()
        const chosen = parent === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options)
        return chosen.canceled ? undefined : chosen.filePaths[0]
      }
    )
    nativeTheme.themeSource = core.settings().settings.appearance.theme
    const resourcesDir = app.isPackaged ? process.resourcesPath : join(outDir, '..', 'resources')
    const stateFile = join(core.paths.root, 'window-state.json')

    let tray: DesktopTray | undefined
    const window = new MainWindow({
      create: (bounds) =>
        new BrowserWindow({ ...mainWindowOptions({ preload: join(outDir, 'preload', 'index.cjs'), dark: nativeTheme.shouldUseDarkColors }), ...bounds }),
      url: source.url,
      workAreas: () => screen.getAllDisplays().map((display) => display.workArea),
      limits: MAIN_WINDOW_SIZE,
      state: readWindowState(stateFile),
      saveState: (state) => {
        try {
          writeWindowState(stateFile, state)
        } catch (err) {
          console.error(`sandlot: could not save the window's place in ${stateFile}:`, err)
        }
      },
      firstCloseToTray: () =>
        // Desktops without a tray area (GNOME without its AppIndicator extension) show no icon: starting Sandlot again
        // opens the window, and Electron's default app menu (kept: no setApplicationMenu) quits with Ctrl+Q / Cmd+Q there.
        notify(
          'Sandlot is still running',
          `It stays in the tray and says when an app crashes; start Sandlot again or use the tray to open it, and quit from the tray’s menu${QUIT_KEYS[process.platform] ?? ''}.`
        ),
      visibilityChanged: () => tray?.refresh(),
      loadFailed: (err) =>
        dialog.showErrorBox('Sandlot could not load its window', `${err.message}\n\nRun \`npm run build\` in a checkout, or reinstall Sandlot.`)
    })
    mainWindow = window

    const runTrayAction = (action: TrayAction): void => {
      switch (action.kind) {
        case 'show':
          return window.show(action.route)
        case 'toggle-window':
          return window.toggle()
        case 'open-preview':
          return openInBrowser(action.url)
        case 'quit':
          return app.quit()
        case 'restart-app':
          void core.api.call('workspaces.process', { name: action.workspace, action: 'restart' }).catch((err: unknown) => {
            notify(`${action.workspace}: the app could not be restarted`, (err as Error).message)
          })
          return
        case 'create':
          // The list shows the new workspace as it is made; its page once it is there.
          window.show('workspaces')
          core.api.call('workspaces.create', { template: action.template }).then(
            (created) => window.show(`workspaces/${encodeURIComponent(created.name)}/logs`),
            (err: unknown) => notify(`A new ${action.template} workspace could not be made`, (err as Error).message)
          )
      }
    }
    // Recording fakes instead of the native tray and notifications, for the end-to-end test in a checkout only.
    const testHooks = shellTestHooks({ env: process.env, isPackaged: app.isPackaged })
    tray = new DesktopTray({
      api: core.api,
      tray: testHooks?.tray() ?? new Tray(trayIconFile('starting', process.platform, resourcesDir)),
      buildMenu: testHooks?.buildMenu ?? ((template) => Menu.buildFromTemplate(template)),
      platform: process.platform,
      resourcesDir,
      windowVisible: () => window.isVisible(),
      run: runTrayAction,
      onProblem: (message) => console.error(`sandlot: ${message}`)
    })
    const stopNotifications = startDesktopNotifications({
      api: core.api,
      notification: testHooks?.notification ?? (({ title, body }) => new Notification({ title, body })),
      settings: () => core.settings().settings,
      showWindow: (route) => window.show(route)
    })

    let openAtLogin = core.settings().settings.desktop.openAtLogin
    followLoginItem(openAtLogin)
    const stopSettings = core.api.subscribe('settings.changed', (view) => {
      nativeTheme.themeSource = view.settings.appearance.theme
      if (view.settings.desktop.openAtLogin !== openAtLogin) followLoginItem((openAtLogin = view.settings.desktop.openAtLogin))
    })

    // Started at login: into the tray only; the window opens from its menu.
    const hidden = process.argv.includes(HIDDEN_ARG) || app.getLoginItemSettings().wasOpenedAsHidden
    if (!hidden) window.show()
    app.on('activate', () => window.show())

    let quit: 'open' | 'deciding' | 'decided' = 'open'
    app.on('before-quit', (event) => {
      if (quit === 'decided') {
        window.allowClose()
        return
      }
      event.preventDefault()
      if (quit === 'deciding') return
      quit = 'deciding'
      const decided = decideQuit({
        api: core.api,
        onQuit: core.settings().settings.desktop.onQuit,
        ask: (options) => dialog.showMessageBox(options),
        onProblem: (message) => console.error(`sandlot: ${message}`)
      })
      void decided.then(
        (go) => {
          quit = go ? 'decided' : 'open'
          if (go) app.quit()
        },
        (err: unknown) => {
          console.error('sandlot: the quit question failed:', err)
          quit = 'decided'
          app.quit()
        }
      )
    })
    // Logout, shutdown or a signal: no question (nobody may be there to answer); the workspaces stay as they are.
    const quitNow = (): void => {
      quit = 'decided'
      app.quit()
    }
    powerMonitor.on('shutdown', quitNow)
    process.once('SIGTERM', quitNow)
    process.once('SIGINT', quitNow)
    app.on('will-quit', () => {
      window.saveNow()
      stopSettings()
      stopNotifications()
      tray?.close()
      unregister()
      unregisterPicker()
      // Terminals end, ingest stops after what it has stored, the database closes cleanly.
      core.close()
    })
  })
}

function followLoginItem(openAtLogin: boolean): void {
  // A checkout runs the bare Electron binary: starting that at login would open nothing useful.
  if (!app.isPackaged) {
    if (openAtLogin) console.error('sandlot: desktop.openAtLogin applies to the installed app, not to a checkout.')
    return
  }
  try {
    applyLoginItem(openAtLogin, {
      platform: process.platform,
      setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
      command: process.env.APPIMAGE ?? process.execPath,
      configHome: process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config')
    })
  } catch (err) {
    console.error('sandlot: could not change the start at login:', err)
  }
}

function notify(title: string, body: string): void {
  if (Notification.isSupported()) new Notification({ title, body }).show()
  else console.error(`sandlot: ${title}: ${body}`)
}

function openInBrowser(url: string): void {
  const href = webHref(url)
  if (href === undefined) return
  // No system browser, or it refused: say so rather than drop the click silently.
  shell.openExternal(href).catch((err: unknown) => console.error(`sandlot: could not open ${href} in the browser:`, err))
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
