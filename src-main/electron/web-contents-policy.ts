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
 * Every page stays where it is: no navigation away from the app, no new windows, no <webview>. The one way
 * out is a workspace preview link (http://127.0.0.1:<port>, what the core hands out): it opens in the system
 * browser, never in an app window.
 */
export function lockNavigation(contents: PolicedContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    const preview = previewHref(url)
    if (preview !== undefined) openExternal(preview)
    return { action: 'deny' }
  })
}

/**
 * A workspace preview (plain http on the IPv4 loopback with a port, no credentials), as the URL parser
 * normalised it: the browser gets exactly the address that was checked, not the raw string.
 */
export function previewHref(url: string): string | undefined {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' && u.hostname === '127.0.0.1' && u.port !== '' && u.username === '' && u.password === '' ? u.href : undefined
  } catch {
    return undefined
  }
}

/** The app needs no camera, microphone, notifications-from-web, clipboard or any other web permission. */
export function denyAllPermissions(session: PolicedSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}
