import { describe, expect, it } from 'vitest'
import { ErrorRegistry } from './error-registry'

const error = (fingerprint: string, message = `message ${fingerprint}`) => ({
  category: 'runtime' as const,
  severity: 'error' as const,
  message,
  stream: 'stderr' as const,
  fingerprint: fingerprint.padEnd(16, '0')
})

describe('ErrorRegistry', () => {
  it('counts repeats of a fingerprint, keeping the first sighting and the latest details', () => {
    const registry = new ErrorRegistry(10)
    registry.record(error('a', 'first wording'), '2030-01-01T00:00:00.000Z')
    const entry = registry.record(error('a', 'second wording'), '2030-01-01T00:05:00.000Z')
    expect(entry).toMatchObject({ count: 2, firstSeen: '2030-01-01T00:00:00.000Z', lastSeen: '2030-01-01T00:05:00.000Z', message: 'second wording' })
    expect(registry.size).toBe(1)
  })

  it('lists the most recently seen first and forgets the least recently seen beyond capacity', () => {
    const registry = new ErrorRegistry(2)
    registry.record(error('a'), '2030-01-01T00:00:01.000Z')
    registry.record(error('b'), '2030-01-01T00:00:02.000Z')
    registry.record(error('a'), '2030-01-01T00:00:03.000Z') // a is fresh again
    registry.record(error('c'), '2030-01-01T00:00:04.000Z') // evicts b
    expect(registry.list().map((e) => [e.fingerprint[0], e.count])).toEqual([
      ['c', 1],
      ['a', 2]
    ])
    expect(registry.list(1)).toHaveLength(1)
  })
})
