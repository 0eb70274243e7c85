export interface PolicyOptions {
  /** Where the page may connect (the server's own WebSocket); none for the desktop app, which uses IPC. */
  connect: string[]
  /** Vite's dev server injects inline scripts and styles (React refresh, CSS); never set for a built app. */
  devServer?: boolean
}

/**
 * The app's Content-Security-Policy: its own scripts only, no framing, no plugins, no forms. Styles may be
 * inline: xterm.js writes each terminal's sizes and colours into `<style>` elements it creates (as VS Code's
 * policy allows too); without them its DOM renderer draws terminals unreadable. Scripts stay 'self'.
 */
export function contentSecurityPolicy({ connect, devServer = false }: PolicyOptions): string {
  const inline = devServer ? " 'unsafe-inline'" : ''
  return [
    "default-src 'none'",
    `script-src 'self'${inline}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.length > 0 ? connect.join(' ') : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}

/**
 * Headers for every HTTP answer of `sandlot serve`. `no-referrer` matters most: the sign-in URL carries the
 * token, and no request the page makes may repeat it.
 */
export function securityHeaders(policy: string): Record<string, string> {
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()'
  }
}
