/**
 * Opens a link a terminal printed, if it is a web address: in a new browser tab (no opener, no referrer), or in
 * the desktop app through the main process's window-open handler, which hands web addresses to the system
 * browser. Anything else (file:, javascript:, custom schemes) is not opened.
 */
export function openWebLink(event: Pick<MouseEvent, 'preventDefault'>, uri: string, open: (url: string) => void = defaultOpen): boolean {
  const href = webHref(uri)
  if (href === undefined) return false
  event.preventDefault()
  open(href)
  return true
}

/** The address as the URL parser normalised it, when it is http(s) without credentials. */
export function webHref(uri: string): string | undefined {
  try {
    const url = new URL(uri)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' ? url.href : undefined
  } catch {
    return undefined
  }
}

function defaultOpen(href: string): void {
  window.open(href, '_blank', 'noopener,noreferrer')
}
