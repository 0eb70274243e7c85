import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { denyAllPermissions, lockNavigation, type PolicedContents, type PolicedSession } from './web-contents-policy'

class FakeContents extends EventEmitter implements PolicedContents {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler
  }
  /** Emits like Electron: listeners may cancel the default action. */
  attempt(event: 'will-navigate' | 'will-attach-webview'): boolean {
    let prevented = false
    this.emit(event, { preventDefault: () => (prevented = true) })
    return prevented
  }
}

describe('web contents policy', () => {
  it('blocks navigation, new windows and webviews', () => {
    const opened: string[] = []
    const contents = new FakeContents()
    lockNavigation(contents, (url) => opened.push(url))
    expect(contents.attempt('will-navigate')).toBe(true)
    expect(contents.attempt('will-attach-webview')).toBe(true)
    expect(contents.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' })
    expect(opened).toEqual([])
  })

  it('opens workspace previews in the system browser, and nothing else', () => {
    const opened: string[] = []
    const contents = new FakeContents()
    lockNavigation(contents, (url) => opened.push(url))
    const urls = [
      'http://127.0.0.1:41234',
      'http://127.0.0.1:41234/some/page?x=1',
      'http://127.0.0.1/',
      'https://127.0.0.1:41234',
      'http://localhost:41234',
      'http://user:pw@127.0.0.1:41234',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'http://127.0.0.1.evil.test:80',
      // Parsed as 127.0.0.1:41235 with a path: the browser must get that reading, not the raw text.
      'http://127.0.0.1:41235\\..\\x y'
    ]
    for (const url of urls) expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['http://127.0.0.1:41234/', 'http://127.0.0.1:41234/some/page?x=1', 'http://127.0.0.1:41235/x%20y'])
  })

  it('denies every permission request and check', () => {
    let request: Parameters<PolicedSession['setPermissionRequestHandler']>[0] | undefined
    let check: (() => boolean) | undefined
    denyAllPermissions({ setPermissionRequestHandler: (handler) => (request = handler), setPermissionCheckHandler: (handler) => (check = handler) })
    const answers: boolean[] = []
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) request?.({}, permission, (granted) => answers.push(granted))
    expect(answers).toEqual([false, false, false, false])
    expect(check?.()).toBe(false)
  })
})
