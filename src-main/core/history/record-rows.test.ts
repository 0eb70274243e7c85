import { describe, expect, it } from 'vitest'
import { normalizeDockerTime } from './record-rows'

describe('normalizeDockerTime', () => {
  it('pads Docker\'s trimmed fractions to nine digits so text order is time order', () => {
    expect(normalizeDockerTime('2030-01-01T10:00:00.1Z')).toBe('2030-01-01T10:00:00.100000000Z')
    expect(normalizeDockerTime('2030-01-01T10:00:00Z')).toBe('2030-01-01T10:00:00.000000000Z')
    expect(normalizeDockerTime('2030-01-01T10:00:00.123456789Z')).toBe('2030-01-01T10:00:00.123456789Z')
    expect(normalizeDockerTime('2030-01-01T10:00:00.1Z') > normalizeDockerTime('2030-01-01T10:00:00.09Z')).toBe(true)
    expect(normalizeDockerTime('2030-01-01T12:00:00.5+02:00')).toBe('2030-01-01T10:00:00.500000000Z')
    expect(() => normalizeDockerTime('yesterday')).toThrow(/RFC 3339/)
  })
})
