import { describe, expect, it } from 'vitest'
import { forgetSessionToken, signInHref, takeSessionToken, typedToken, type TokenPage } from './session-token'

function page(href: string): TokenPage & { storage: Map<string, string>; href: () => string } {
  const location = { href }
  const storage = new Map<string, string>()
  return {
    location,
    href: () => location.href,
    history: {
      state: null,
      replaceState: (_state: unknown, _unused: string, url?: string | URL | null) => {
        location.href = new URL(String(url), location.href).href
      }
    },
    storage: Object.assign(storage, {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key)
    })
  }
}

describe('session token', () => {
  it('moves the token from the address into sessionStorage, keeping the rest of the address', () => {
    const tab = page('http://127.0.0.1:7373/?view=logs&token=abc123#top')
    expect(takeSessionToken(tab)).toBe('abc123')
    expect(tab.href()).toBe('http://127.0.0.1:7373/?view=logs#top')
    expect(tab.storage.get('sandlot.token')).toBe('abc123')
  })

  it('keeps the tab signed in across reloads without the token in the address', () => {
    const tab = page('http://127.0.0.1:7373/?token=abc123')
    takeSessionToken(tab)
    expect(takeSessionToken(tab)).toBe('abc123')
  })

  it('has no token for a fresh tab, or an empty one', () => {
    expect(takeSessionToken(page('http://127.0.0.1:7373/'))).toBeUndefined()
    const empty = page('http://127.0.0.1:7373/?token=')
    expect(takeSessionToken(empty)).toBeUndefined()
    expect(empty.href()).toBe('http://127.0.0.1:7373/')
  })

  it('forgets a refused token', () => {
    const tab = page('http://127.0.0.1:7373/?token=old')
    takeSessionToken(tab)
    forgetSessionToken(tab.storage)
    expect(takeSessionToken(tab)).toBeUndefined()
  })
})

describe('a token typed on the sign-in page', () => {
  const token = 'ab'.repeat(32)

  it('is taken as pasted, or out of the URL sandlot serve printed', () => {
    expect(typedToken(`  ${token}\n`)).toEqual({ token })
    expect(typedToken(`http://127.0.0.1:7373/?token=${token}`)).toEqual({ token })
  })

  it('says what is wrong with text that cannot be a token', () => {
    expect(typedToken('  ')).toEqual({ problem: 'Paste the token first.' })
    expect(typedToken('http://127.0.0.1:7373/')).toEqual({ problem: expect.stringContaining('carries no token') })
    expect(typedToken('not a token')).toEqual({ problem: expect.stringContaining('not a token') })
  })

  it('signs in through the same address the printed URL is, keeping the page asked for', () => {
    expect(signInHref('http://127.0.0.1:7373/#/settings', token)).toBe(`http://127.0.0.1:7373/?token=${token}#/settings`)
  })
})
