import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { coreImageTag, readBuildContext } from './build-context'

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
  it('holds the Dockerfile and the bundles only, sorted', () => {
    const dir = containerDir({ ...base, 'src/monitor.ts': 'source', 'fixtures/x.txt': 'f' })
    expect(readBuildContext(dir).files).toEqual(['Dockerfile', 'dist/monitor-cli.js', 'dist/monitor.js'])
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
