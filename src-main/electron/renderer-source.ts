/** The built renderer is served from this standard, secure scheme rather than file:// (Electron security checklist). */
export const APP_SCHEME = 'sandlot'
const APP_HOST = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** Where the window loads the renderer from. */
export type RendererSource =
  | { kind: 'bundle'; url: string; dir: string }
  /** `electron-vite dev`: Vite's dev server, with hot reload. */
  | { kind: 'dev-server'; url: string; origin: string }

export interface RendererSourceInput {
  isPackaged: boolean
  /** ELECTRON_RENDERER_URL, set by `electron-vite dev`. */
  devServerUrl: string | undefined
  bundleDir: string
}

/**
 * The dev server only in a checkout: a packaged app ignores the variable, or anyone who can set it could
 * load their own page into a window that holds the bridge.
 */
export function rendererSource({ isPackaged, devServerUrl, bundleDir }: RendererSourceInput): RendererSource {
  if (!isPackaged && devServerUrl) {
    const origin = new URL(devServerUrl).origin
    if (origin.startsWith('http://localhost:') || origin.startsWith('http://127.0.0.1:')) {
      return { kind: 'dev-server', url: devServerUrl, origin }
    }
  }
  return { kind: 'bundle', url: `${APP_ORIGIN}/index.html`, dir: bundleDir }
}

/** Whether a URL is a page of the app itself: the only thing allowed to use the IPC bridge. */
export function isAppUrl(url: string, source: RendererSource): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return source.kind === 'bundle' ? isBundleUrl(parsed) : parsed.origin === source.origin
}

/**
 * Whether a URL is on sandlot://app. Compared by scheme and host: Node's URL gives every non-http scheme the
 * opaque origin "null", whatever Chromium makes of a registered standard scheme.
 */
export function isBundleUrl(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST
}
