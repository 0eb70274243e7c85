/**
 * The preview's Host check (PROTOCOL.md "Preview port"): a dev server that does not check Host can be read by
 * any web page through DNS rebinding (the page's own name, pointed at 127.0.0.1). The browser always sends the
 * name it connected to, and a rebinding page can only make it send its own: so the forwarder reads the head of
 * each connection's first request and lets it through only when Host names the loopback (or a name the
 * workspace allows). Browsers never reuse a connection for another name, so the first request decides.
 */

/** The names the preview is published under; any port, since a tunnel or port forward may change it. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const
/** A request head larger than this is refused (431): no browser sends one, and the forwarder holds it in memory. */
export const MAX_HEAD_BYTES = 64 * 1024

export type HeadVerdict =
  /** The head is not complete yet, and the bytes so far can still be an HTTP request. */
  | { kind: 'wait' }
  /** Not an HTTP request (TLS, another protocol): no browser page can send it, so it passes unchecked. */
  | { kind: 'not-http' }
  | { kind: 'too-large' }
  /** A complete head: its Host value (null: none), or several Host fields (a request no check can trust). */
  | { kind: 'head'; host: string | null; several: boolean }

// RFC 9110 token characters: a method may be any token (fetch() sends custom methods as written).
const TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]"
const REQUEST_LINE = new RegExp(`^${TCHAR}+ [^\\s]+ HTTP/\\d\\.\\d$`)
/** What a request line can look like before it is complete. */
const REQUEST_LINE_PREFIX = new RegExp(`^(?:${TCHAR}*|${TCHAR}+ [^\\s]*|${TCHAR}+ [^\\s]+ (?:H(?:T(?:T(?:P(?:/(?:\\d(?:\\.\\d?)?)?)?)?)?)?)?)$`)

/** Looks at what a client sent so far. */
export function inspectRequestHead(bytes: Buffer): HeadVerdict {
  const text = bytes.toString('latin1')
  const lineEnd = text.indexOf('\n')
  const firstLine = (lineEnd === -1 ? text : text.slice(0, lineEnd)).replace(/\r$/, '')
  if (lineEnd === -1 ? !REQUEST_LINE_PREFIX.test(firstLine) : !REQUEST_LINE.test(firstLine)) {
    return bytes.length > MAX_HEAD_BYTES ? { kind: 'too-large' } : { kind: 'not-http' }
  }
  const end = /\r?\n\r?\n/.exec(text)
  if (!end) return bytes.length > MAX_HEAD_BYTES ? { kind: 'too-large' } : { kind: 'wait' }
  if (end.index > MAX_HEAD_BYTES) return { kind: 'too-large' }
  const hosts = text
    .slice(lineEnd + 1, end.index)
    .split(/\r?\n/)
    .map((line) => /^([^:]*):(.*)$/.exec(line))
    .filter((field): field is RegExpExecArray => field !== null && field[1]!.trim().toLowerCase() === 'host')
    .map((field) => field[2]!.trim())
  return { kind: 'head', host: hosts[0] ?? null, several: hosts.length > 1 }
}

/**
 * Whether a Host value names the preview: a loopback name, or one of `allowed` (`name`, `*.suffix`, `*`),
 * on any port. Compared without the port, case-insensitively, and without a final dot.
 */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const name = hostName(host)
  if (name === null) return false
  if ((LOOPBACK_HOSTS as readonly string[]).includes(name)) return true
  return allowed.some((entry) => entry === '*' || entry === name || (entry.startsWith('*.') && name.endsWith(entry.slice(1))))
}

/** `name[:port]` or `[v6][:port]` → the name, lower case; null for anything else. */
function hostName(host: string): string | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+)(?::\d{0,5})?$/.exec(host)
  return match ? match[1]!.toLowerCase().replace(/\.$/, '') : null
}

/** The 403 (or 431) page: what was refused and how to allow it on purpose. */
export function refusalResponse(verdict: Extract<HeadVerdict, { kind: 'head' | 'too-large' }>): string {
  const names = 'localhost, 127.0.0.1 and [::1]'
  let status: string
  let why: string
  if (verdict.kind === 'too-large') {
    status = '431 Request Header Fields Too Large'
    why = `the request head is larger than ${MAX_HEAD_BYTES / 1024} KiB.`
  } else {
    status = '403 Forbidden'
    const asked = verdict.several ? 'several Host headers' : verdict.host === null ? 'no Host header' : `Host "${verdict.host}"`
    why =
      `this preview answers requests for ${names} (any port) only, and this one has ${asked}. ` +
      'Other names are refused so that no web page can read the app through a name of its own (DNS rebinding). ' +
      'To reach the preview through a proxy or another name on purpose, allow that name for the workspace ' +
      '(the process spec\u2019s previewHosts; monitor-cli process start --preview-host NAME).'
  }
  const body =
    `<!doctype html>\n<html><head><meta charset="utf-8"><title>Sandlot: request refused</title></head>\n` +
    `<body><p>${escapeHtml(`Sandlot: ${why}`)}</p></body></html>\n`
  return (
    `HTTP/1.1 ${status}\r\n` +
    'Content-Type: text/html; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Cache-Control: no-store\r\n' +
    `X-Sandlot-Preview: ${verdict.kind === 'too-large' ? 'head-too-large' : 'host-refused'}\r\n` +
    'Connection: close\r\n' +
    '\r\n' +
    body
  )
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
