import { describe, expect, it } from 'vitest'
import { parseMonitorRecord } from '../../../container/src/protocol'
import { fastLogRecord } from './fast-log-record'

const good = { v: 1, boot: '3f9c2a7d1e5b4c60', seq: 3, ts: '2030-01-01T10:00:00.410Z', type: 'log', stream: 'stdout', line: 'hello', run: 1 }

describe('fastLogRecord', () => {
  it('gives what the zod schema gives for valid log records, unknown fields dropped', () => {
    for (const value of [good, { ...good, truncated: true }, { ...good, extra: 'x' }, { ...good, ts: '2030-01-01T12:00:00+02:00' }]) {
      expect(fastLogRecord(value)).toEqual(parseMonitorRecord(JSON.stringify(value)))
    }
  })

  it('leaves every record the schema refuses, and other types, to the schema', () => {
    const refused = [
      { ...good, v: 2 },
      { ...good, boot: 'short' },
      { ...good, seq: -1 },
      { ...good, seq: 1.5 },
      { ...good, ts: 'yesterday' },
      { ...good, ts: '2030-13-45T10:00:00Z' },
      { ...good, stream: 'stdin' },
      { ...good, line: 3 },
      { ...good, truncated: false },
      { ...good, run: 0 },
      { ...good, type: 'state' },
      null,
      'log'
    ]
    for (const value of refused) expect(fastLogRecord(value)).toBeUndefined()
  })
})
