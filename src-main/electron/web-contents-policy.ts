/** The parts of Electron's WebContents and Session the policy touches (Electron is faked at this boundary in tests). */
export interface PolicedContents {
  on(event: 'will-navigate' | 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

export interface PolicedSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void
  setPermissionCheckHandler(handler: () => boolean): void
}

/**
 * Every page stays where it is: no navigation away from the app, no new windows, no <webview>. Links to the
 * outside world, when views have them, will go through an explicit IPC call that opens the system browser.
 */
export function lockNavigation(contents: PolicedContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/** The app needs no camera, microphone, notifications-from-web, clipboard or any other web permission. */
export function denyAllPermissions(session: PolicedSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}
