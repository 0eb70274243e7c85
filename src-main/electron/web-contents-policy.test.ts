import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { limitPermissions, lockNavigation, type PolicedContents, type PolicedSession } from './web-contents-policy'

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
    expect(contents.openHandler?.({ url: 'about:blank' })).toEqual({ action: 'deny' })
    expect(opened).toEqual([])
  })

  it('opens web addresses (previews, terminal links) in the system browser, and nothing else', () => {
    const opened: string[] = []
    const contents = new FakeContents()
    lockNavigation(contents, (url) => opened.push(url))
    const urls = [
      'http://127.0.0.1:41234',
      'http://127.0.0.1:41234/some/page?x=1',
      'https://example.com/docs?q=1',
      'http://user:pw@127.0.0.1:41234',
      'https://user@example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'vscode://file/etc/passwd',
      'about:blank',
      // Parsed as 127.0.0.1:41235 with a path: the browser must get that reading, not the raw text.
      'http://127.0.0.1:41235\\..\\x y'
    ]
    for (const url of urls) expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['http://127.0.0.1:41234/', 'http://127.0.0.1:41234/some/page?x=1', 'https://example.com/docs?q=1', 'http://127.0.0.1:41235/x%20y'])
  })

  it('denies every permission, but the clipboard to the app’s own page', () => {
    let request: Parameters<PolicedSession['setPermissionRequestHandler']>[0] | undefined
    let check: Parameters<PolicedSession['setPermissionCheckHandler']>[0] | undefined
    const app = 'sandlot://app/index.html'
    limitPermissions({ setPermissionRequestHandler: (handler) => (request = handler), setPermissionCheckHandler: (handler) => (check = handler) }, (url) => url.startsWith('sandlot://app/'))
    const answers: string[] = []
    for (const [permission, url] of [
      ['media', app],
      ['notifications', app],
      ['geolocation', app],
      ['clipboard-read', app],
      ['clipboard-sanitized-write', app],
      ['clipboard-read', 'https://evil.example/'],
      ['clipboard-read', undefined]
    ] as const) {
      request?.({}, permission, (granted) => answers.push(`${permission} ${granted}`), url === undefined ? {} : { requestingUrl: url })
    }
    expect(answers).toEqual([
      'media false',
      'notifications false',
      'geolocation false',
      'clipboard-read true',
      'clipboard-sanitized-write true',
      'clipboard-read false',
      'clipboard-read false'
    ])
    expect(check?.({}, 'clipboard-read', 'sandlot://app/')).toBe(true)
    expect(check?.({}, 'media', 'sandlot://app/')).toBe(false)
    expect(check?.({}, 'clipboard-read', 'https://evil.example')).toBe(false)
  })
})
