import { describe, expect, it } from 'vitest'
import { coreMessage, fingerprint, normalizeForFingerprint } from './fingerprint'

describe('normalizeForFingerprint', () => {
  it('replaces what varies between occurrences', () => {
    expect(normalizeForFingerprint('2024-05-01T12:30:45.123Z request 42 failed after 1500ms')).toBe('<ts> request # failed after #ms')
    expect(normalizeForFingerprint('3:53:48 PM [vite] error')).toBe('<time> [vite] error')
    expect(normalizeForFingerprint('id 123e4567-e89b-12d3-a456-426614174000 at 0x7ffd3a2c')).toBe('id <uuid> at <hex>')
    expect(normalizeForFingerprint('commit 9fceb02d0ae598e95dc970b74767f19372d61af8 done')).toBe('commit <hex> done')
    expect(normalizeForFingerprint('/app/node_modules/.vite/deps/chunk-CLo6EJKG.js:20:128')).toBe('/app/node_modules/.vite/deps/chunk-<hash>.js:#:#')
    expect(normalizeForFingerprint('listen EADDRINUSE 127.0.0.1:5173')).toBe('listen EADDRINUSE #.#.#.#:#')
  })

  it('keeps words that merely look like hex, and collapses whitespace', () => {
    expect(normalizeForFingerprint('  facade   decade  ')).toBe('facade decade')
  })
})

describe('coreMessage', () => {
  it("drops the reporting tool's preamble", () => {
    expect(coreMessage('[vite] Internal server error: Failed to resolve import "x"')).toBe('Failed to resolve import "x"')
    expect(coreMessage('Error [ERR_MODULE_NOT_FOUND]: Cannot find package')).toBe('Cannot find package')
    expect(coreMessage('TS2322: Type mismatch')).toBe('TS2322: Type mismatch')
  })
})

describe('fingerprint', () => {
  it('is 16 hex characters, stable for the same error, distinct across category, message and file', () => {
    const a = fingerprint('runtime', 'TypeError: x is undefined (request 17)', '/tmp/run-1/app.js')
    expect(a).toMatch(/^[0-9a-f]{16}$/)
    expect(fingerprint('runtime', 'TypeError: x is undefined (request 99)', '/tmp/run-2/app.js')).toBe(a)
    expect(fingerprint('syntax', 'TypeError: x is undefined (request 17)', '/tmp/run-1/app.js')).not.toBe(a)
    expect(fingerprint('runtime', 'TypeError: y is undefined (request 17)', '/tmp/run-1/app.js')).not.toBe(a)
    expect(fingerprint('runtime', 'TypeError: x is undefined (request 17)', '/tmp/run-1/other.js')).not.toBe(a)
  })
})
