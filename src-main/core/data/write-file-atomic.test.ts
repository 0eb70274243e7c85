import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { writeFileAtomic } from './write-file-atomic'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('writeFileAtomic', () => {
  it('replaces the file whole, private, leaving no temporary file', () => {
    dir = mkdtempSync(join(tmpdir(), 'sandlot-atomic-'))
    const file = join(dir, 'state.json')
    writeFileSync(file, 'old', { mode: 0o644 })
    writeFileAtomic(file, 'new\n')
    expect(readFileSync(file, 'utf8')).toBe('new\n')
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['state.json'])
  })

  it('leaves the old file and no temporary one when the write cannot be finished', () => {
    dir = mkdtempSync(join(tmpdir(), 'sandlot-atomic-'))
    const target = join(dir, 'folder')
    // A non-empty directory where the file should go: the rename fails after the temporary file was written.
    mkdirSync(join(target, 'inside'), { recursive: true })
    expect(() => writeFileAtomic(target, 'text')).toThrow()
    expect(readdirSync(dir)).toEqual(['folder'])
  })
})
