import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { coreImageTag, EXTRA_CA_ENTRY, packBuildContext, readBuildContext } from './build-context'

function containerDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-ctx-'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), content)
  }
  return dir
}

const base = { Dockerfile: 'FROM x', 'dist/monitor.js': 'a', 'dist/monitor-cli.js': 'b' }

describe('core image build context', () => {
  it('holds the Dockerfile, the bundles and certificates only, sorted', () => {
    const dir = containerDir({ ...base, 'certs/README.md': 'r', 'src/monitor.ts': 'source', 'fixtures/x.txt': 'f' })
    expect(readBuildContext(dir).entries.map((e) => e.name)).toEqual(['Dockerfile', 'certs/README.md', 'dist/monitor-cli.js', 'dist/monitor.js'])
  })

  it('adds the extra CA bundle, and a different bundle makes a different image', () => {
    const dir = containerDir(base)
    const withCa = readBuildContext(dir, Buffer.from('ca-1'))
    expect(withCa.entries.map((e) => e.name)).toContain(EXTRA_CA_ENTRY)
    expect(readBuildContext(dir, Buffer.from('ca-2')).digest).not.toBe(withCa.digest)
    expect(readBuildContext(dir).digest).not.toBe(withCa.digest)
  })

  it('packs exactly its entries into a tar stream', async () => {
    const context = readBuildContext(containerDir(base))
    const names: string[] = []
    const extract = (await import('tar-stream')).extract()
    extract.on('entry', (header, stream, next) => {
      names.push(header.name)
      stream.resume()
      stream.on('end', next)
    })
    const done = new Promise<void>((resolve) => extract.on('finish', () => resolve()))
    packBuildContext(context).pipe(extract as unknown as NodeJS.WritableStream)
    await done
    expect(names).toEqual(context.entries.map((e) => e.name))
  })

  it('gives equal digests for equal content and a new one for any change', () => {
    const a = readBuildContext(containerDir(base)).digest
    expect(readBuildContext(containerDir(base)).digest).toBe(a)
    expect(readBuildContext(containerDir({ ...base, 'dist/monitor.js': 'a2' })).digest).not.toBe(a)
    expect(readBuildContext(containerDir({ ...base, 'dist/extra.js': '' })).digest).not.toBe(a)
  })

  it('tags by content and base image id, as CONVENTIONS.md says', () => {
    const digest = readBuildContext(containerDir(base)).digest
    const tag = coreImageTag(digest, 'sha256:base1')
    expect(tag).toMatch(/^sandlot\/core:[0-9a-f]{12}$/)
    expect(coreImageTag(digest, 'sha256:base2')).not.toBe(tag)
  })

  it('says to build when the monitor bundle is missing', () => {
    expect(() => readBuildContext(containerDir({ Dockerfile: 'FROM x' }))).toThrow(/monitor bundle is missing/)
  })
})
