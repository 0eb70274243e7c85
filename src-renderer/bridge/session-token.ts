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
