const STORAGE_KEY = 'sandlot.token'

export interface TokenPage {
  location: { href: string }
  history: Pick<History, 'replaceState' | 'state'>
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>
}

/**
 * The access token for this tab. The sign-in URL carries it (`?token=…`, as Jupyter does); it moves into
 * sessionStorage (this tab only, gone when the tab closes) and out of the address bar, so it does not end up in
 * history, bookmarks or a shared screenshot.
 */
export function takeSessionToken({ location, history, storage }: TokenPage): string | undefined {
  const url = new URL(location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl !== null) {
    if (fromUrl !== '') storage.setItem(STORAGE_KEY, fromUrl)
    url.searchParams.delete('token')
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`)
  }
  return storage.getItem(STORAGE_KEY) || undefined
}

/** Drops a token the server refused, so a reload shows the sign-in hint instead of retrying it. */
export function forgetSessionToken(storage: TokenPage['storage']): void {
  storage.removeItem(STORAGE_KEY)
}

/**
 * What the sign-in field holds as a token: the token itself, or the whole URL `sandlot serve` printed (its
 * `?token=` is taken). `problem` says what is wrong with text that cannot be one, before anything is sent.
 */
export function typedToken(text: string): { token: string } | { problem: string } {
  const trimmed = text.trim()
  if (trimmed === '') return { problem: 'Paste the token first.' }
  const fromUrl = /^https?:\/\//i.test(trimmed) ? urlToken(trimmed) : trimmed
  if (fromUrl === undefined) return { problem: 'This URL carries no token: paste the one `sandlot serve` printed, or the output of `sandlot token`.' }
  if (!/^[A-Za-z0-9_-]{16,512}$/.test(fromUrl)) return { problem: 'That is not a token: it is letters and digits only, as `sandlot token` prints it.' }
  return { token: fromUrl }
}

/** The address that signs this tab in with `token`, as the URL `sandlot serve` prints does. */
export function signInHref(href: string, token: string): string {
  const url = new URL(href)
  url.searchParams.set('token', token)
  return url.href
}

function urlToken(text: string): string | undefined {
  try {
    return new URL(text).searchParams.get('token') || undefined
  } catch {
    return undefined
  }
}
