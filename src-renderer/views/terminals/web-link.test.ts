import { describe, expect, it } from 'vitest'
import { openWebLink } from './web-link'

describe('web links in terminals', () => {
  it('opens http and https addresses, normalised', () => {
    const opened: string[] = []
    let prevented = 0
    const event = { preventDefault: () => void (prevented += 1) }
    expect(openWebLink(event, 'https://example.com/a b', (href) => opened.push(href))).toBe(true)
    expect(openWebLink(event, 'http://127.0.0.1:5173', (href) => opened.push(href))).toBe(true)
    expect(opened).toEqual(['https://example.com/a%20b', 'http://127.0.0.1:5173/'])
    expect(prevented).toBe(2)
  })

  it('opens nothing else', () => {
    for (const uri of ['javascript:alert(1)', 'file:///etc/passwd', 'vscode://x', 'https://user:pw@example.com/', 'not a url']) {
      expect(openWebLink({ preventDefault: () => undefined }, uri, () => expect.fail(`opened ${uri}`))).toBe(false)
    }
  })
})
