import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readServeFile, removeServeFile, SERVE_FILE, writeServeFile } from './serve-file'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sandlot-serve-file-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('serve.json', () => {
  it('is written privately and read back', () => {
    writeServeFile(root, { url: 'http://127.0.0.1:7373/', pid: 42 })
    expect(readServeFile(root)).toEqual({ url: 'http://127.0.0.1:7373/', pid: 42 })
    if (process.platform !== 'win32') expect(statSync(join(root, SERVE_FILE)).mode & 0o777).toBe(0o600)
  })

  it('is removed only by the server that wrote it', () => {
    writeServeFile(root, { url: 'http://127.0.0.1:7373/', pid: 42 })
    removeServeFile(root, 7)
    expect(readServeFile(root)?.pid).toBe(42)
    removeServeFile(root, 42)
    expect(readServeFile(root)).toBeUndefined()
  })

  it('reads as absent when missing or not a server file', () => {
    expect(readServeFile(root)).toBeUndefined()
    writeFileSync(join(root, SERVE_FILE), '{"url": 3}')
    expect(readServeFile(root)).toBeUndefined()
  })
})
