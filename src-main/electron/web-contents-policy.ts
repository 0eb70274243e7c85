/** The parts of Electron's WebContents and Session the policy touches (Electron is faked at this boundary in tests). */
export interface PolicedContents {
  on(event: 'will-navigate' | 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

export interface PolicedSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void): void
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string) => boolean): void
}

/**
 * Every page stays where it is: no navigation away from the app, no new windows, no <webview>. The one way
 * out is a web address (a workspace preview, a link a terminal printed): it opens in the system browser, never
 * in an app window.
 */
export function lockNavigation(contents: PolicedContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    const href = webHref(url)
    if (href !== undefined) openExternal(href)
    return { action: 'deny' }
  })
}

/**
 * A web address (http or https, no credentials), as the URL parser normalised it: the browser gets exactly the
 * address that was checked, not the raw string. Dependency-free, so the renderer checks links with it too.
 */
export function webHref(url: string): string | undefined {
  try {
    const u = new URL(url)
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '' ? u.href : undefined
  } catch {
    return undefined
  }
}

/** The terminals' copy and paste (selection, shortcuts, context menu) use the clipboard API. */
const APP_PERMISSIONS = new Set(['clipboard-read', 'clipboard-sanitized-write'])

/**
 * The app needs no camera, microphone, notifications-from-web or any other web permission; only its own page
 * may use the clipboard.
 */
export function limitPermissions(session: PolicedSession, isAppUrl: (url: string) => boolean): void {
  const allowed = (permission: string, url: string | undefined): boolean => APP_PERMISSIONS.has(permission) && url !== undefined && isAppUrl(url)
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(allowed(permission, details?.requestingUrl)))
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowed(permission, requestingOrigin))
}
