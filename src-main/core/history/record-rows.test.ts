import { describe, expect, it } from 'vitest'
import { idleStopRow, normalizeDockerTime, timelineRow } from './record-rows'

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

describe('timeline rows of a found port and an idle stop', () => {
  it('say which port was found, and how long the workspace was idle', () => {
    const port = timelineRow({ v: 1, boot: '3f9c2a7d1e5b4c60', seq: 7, ts: '2030-01-01T10:00:01.020Z', type: 'port', port: 3000, run: 2 })
    expect(port).toMatchObject({ kind: 'port', run: 2, summary: 'found the app listening on port 3000 (the spec names none); the preview forwards to it', detail: { port: 3000 } })
    expect(idleStopRow(30 * 60_000)).toMatchObject({ kind: 'idle-stop', summary: 'stopped after 30 min idle (no terminal attached, no preview request, no exec); the next start resumes it' })
  })
})
