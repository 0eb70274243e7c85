import { describe, expect, it } from 'vitest'
import { hostAllowed, inspectRequestHead, MAX_HEAD_BYTES, refusalResponse } from './preview-host-check'
import { PreviewHost } from './protocol'

const head = (text: string) => inspectRequestHead(Buffer.from(text, 'latin1'))

describe('inspectRequestHead', () => {
  it('reads the Host of a complete head, whatever the case of the field name or the line ends', () => {
    expect(head('GET / HTTP/1.1\r\nHost: localhost:5173\r\nAccept: */*\r\n\r\n')).toEqual({ kind: 'head', host: 'localhost:5173', several: false })
    expect(head('POST /x HTTP/1.1\r\nhOsT:   evil.example:80  \r\n\r\nbody')).toEqual({ kind: 'head', host: 'evil.example:80', several: false })
    expect(head('GET / HTTP/1.1\nHost: a\n\n')).toEqual({ kind: 'head', host: 'a', several: false })
    // fetch() sends custom methods as written: any token is a method.
    expect(head("Foo!#$%&'*+-.^_`|~9 / HTTP/1.1\r\nHost: x\r\n\r\n")).toMatchObject({ kind: 'head', host: 'x' })
  })

  it('reports a missing Host and several Host fields', () => {
    expect(head('GET / HTTP/1.1\r\nAccept: */*\r\n\r\n')).toEqual({ kind: 'head', host: null, several: false })
    expect(head('GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n')).toEqual({ kind: 'head', host: 'localhost', several: true })
    expect(head('GET / HTTP/1.1\r\nHost: localhost\r\nHost : evil.example\r\n\r\n')).toMatchObject({ several: true })
  })

  it('waits while the bytes can still become a request, at every prefix of one', () => {
    const request = 'GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n'
    for (let i = 0; i < request.length - 2; i++) expect(head(request.slice(0, i)), request.slice(0, i)).toEqual({ kind: 'wait' })
    expect(head(request)).toMatchObject({ kind: 'head' })
  })

  it('lets anything that cannot be an HTTP request through unchecked (TLS, other protocols), as early as it can tell', () => {
    expect(head('\x16\x03\x01\x02\x00\x01')).toEqual({ kind: 'not-http' })
    expect(head('GET  / HTTP/1.1')).toEqual({ kind: 'not-http' })
    expect(head('GET / HTTX')).toEqual({ kind: 'not-http' })
    expect(head('hello\n')).toEqual({ kind: 'not-http' })
    expect(head('\r\nGET / HTTP/1.1\r\nHost: evil.example\r\n\r\n')).toEqual({ kind: 'not-http' })
  })

  it('gives up on a head larger than the limit', () => {
    expect(head(`GET / HTTP/1.1\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}`)).toEqual({ kind: 'too-large' })
    expect(head(`GET /${'a'.repeat(MAX_HEAD_BYTES)}`)).toEqual({ kind: 'too-large' })
    expect(head(`GET / HTTP/1.1\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`)).toEqual({ kind: 'too-large' })
  })
})

describe('hostAllowed', () => {
  it('answers the loopback names on any port or none, in any case, with or without a final dot', () => {
    for (const host of ['localhost', 'localhost:5173', 'LOCALHOST:1', 'localhost.:80', '127.0.0.1:49153', '127.0.0.1', '[::1]:49153', '[::1]']) {
      expect(hostAllowed(host, []), host).toBe(true)
    }
  })

  it('refuses every other name, and what only looks like a loopback name', () => {
    for (const host of ['evil.example:49153', 'localhost.evil.example', '127.0.0.1.nip.io', '127.0.0.2', '[::2]', 'evil@localhost', '', 'localhost:80:80', '::1', '0.0.0.0:4700', 'host.docker.internal']) {
      expect(hostAllowed(host, []), host).toBe(false)
    }
  })

  it('answers the names a workspace allows: exact, a wildcard for the names below it, or * for any', () => {
    expect(hostAllowed('app.test:8080', ['app.test'])).toBe(true)
    expect(hostAllowed('other.test', ['app.test'])).toBe(false)
    expect(hostAllowed('a.b.tunnel.example', ['*.tunnel.example'])).toBe(true)
    expect(hostAllowed('tunnel.example', ['*.tunnel.example'])).toBe(false)
    expect(hostAllowed('eviltunnel.example', ['*.tunnel.example'])).toBe(false)
    expect(hostAllowed('anything.example:1', ['*'])).toBe(true)
  })
})

describe('PreviewHost (the spec field)', () => {
  it('takes names, wildcards, IP addresses and *, in lower case, and refuses ports and junk', () => {
    expect(['App.Test', '*.tunnel.example', '192.168.1.5', '[fe80::1]', '*'].map((h) => PreviewHost.parse(h))).toEqual([
      'app.test',
      '*.tunnel.example',
      '192.168.1.5',
      '[fe80::1]',
      '*'
    ])
    for (const bad of ['app.test:8080', 'http://app.test', 'a b', '*.', '-app.test', 'app..test', 'foo.*.test', '']) {
      expect(PreviewHost.safeParse(bad).success, bad).toBe(false)
    }
  })
})

describe('refusalResponse', () => {
  it('is a complete 403 naming the refused Host (escaped) and how to allow a name', () => {
    const response = refusalResponse({ kind: 'head', host: '<evil>.example:1', several: false })
    const [headText, body] = response.split('\r\n\r\n') as [string, string]
    expect(headText.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden')
    expect(headText).toContain('X-Sandlot-Preview: host-refused')
    expect(headText).toContain(`Content-Length: ${Buffer.byteLength(body)}`)
    expect(body).toContain('Host &#34;&#60;evil&#62;.example:1&#34;')
    expect(body).toContain('DNS rebinding')
    expect(body).toContain('--preview-host')
    expect(refusalResponse({ kind: 'too-large' }).split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large')
  })
})
