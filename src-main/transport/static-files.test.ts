import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SandlotError } from '../core/sandlot-error'
import { assertRendererBuilt, contentTypeOf, isImmutableAsset, resolveStaticFile } from './static-files'

describe('static files', () => {
  const root = '/srv/app'

  it('maps URL paths into the web app folder, / to index.html', () => {
    expect(resolveStaticFile(root, '/')).toBe('/srv/app/index.html')
    expect(resolveStaticFile(root, '/assets/index-1a2b.js')).toBe('/srv/app/assets/index-1a2b.js')
    expect(resolveStaticFile(root, '/a%20b.svg')).toBe('/srv/app/a b.svg')
  })

  it('refuses paths that leave the folder or are malformed', () => {
    for (const path of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/assets/..%2F..%2Fetc', '/..\\secret', '/a%00.js', '/%E0%A4%A', 'relative', '/..']) {
      expect(resolveStaticFile(root, path), path).toBeUndefined()
    }
    // `..` inside the folder is fine as long as it stays there.
    expect(resolveStaticFile(root, '/assets/../index.html')).toBe('/srv/app/index.html')
  })

  it('names the content types the build produces', () => {
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8')
    expect(contentTypeOf('a.JS')).toBe('text/javascript; charset=utf-8')
    expect(contentTypeOf('a.css')).toBe('text/css; charset=utf-8')
    expect(contentTypeOf('favicon.svg')).toBe('image/svg+xml')
    expect(contentTypeOf('blob.bin')).toBe('application/octet-stream')
  })

  it('caches only the hashed assets for good', () => {
    expect(isImmutableAsset('/assets/index-1a2b.js')).toBe(true)
    expect(isImmutableAsset('/index.html')).toBe(false)
    expect(isImmutableAsset('/favicon.svg')).toBe(false)
  })

  it('says to run the build when the web app is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'sandlot-nobuild-'))
    expect(() => assertRendererBuilt(empty)).toThrowError(SandlotError)
    expect(() => assertRendererBuilt(empty)).toThrowError(/is not built/)
    try {
      assertRendererBuilt(empty)
    } catch (err) {
      expect((err as SandlotError).hint).toMatch(/npm run build/)
    }
  })
})
