import { describe, expect, it } from 'vitest'
import { makeRendererDir } from '../transport/test-support/temp-core'
import { appProtocolHandler } from './app-protocol'

describe('sandlot:// protocol', () => {
  const handler = appProtocolHandler(makeRendererDir(), { 'Content-Security-Policy': "default-src 'none'" })
  const get = (url: string): Promise<Response> => handler(new Request(url))

  it('serves the built renderer with the security headers', async () => {
    const page = await get('sandlot://app/index.html')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'")
    expect(await page.text()).toContain('<title>Sandlot</title>')
    expect((await get('sandlot://app/assets/index-abc123.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  })

  it('serves nothing else', async () => {
    for (const url of ['sandlot://app/missing.js', 'sandlot://app/assets', 'sandlot://app/%2e%2e/%2e%2e/etc/passwd', 'sandlot://other/index.html']) {
      expect((await get(url)).status, url).toBe(404)
    }
  })
})
