import { webHref } from '../../../src-main/electron/web-contents-policy'

/**
 * Opens a link a terminal printed, if it is a web address (http or https, no credentials): in a new browser tab
 * (no opener, no referrer), or in the desktop app through the main process's window-open handler, which checks
 * it again and hands it to the system browser. Anything else (file:, javascript:, custom schemes) is not opened.
 */
export function openWebLink(event: Pick<MouseEvent, 'preventDefault'>, uri: string, open: (url: string) => void = defaultOpen): boolean {
  const href = webHref(uri)
  if (href === undefined) return false
  event.preventDefault()
  open(href)
  return true
}

function defaultOpen(href: string): void {
  window.open(href, '_blank', 'noopener,noreferrer')
}
