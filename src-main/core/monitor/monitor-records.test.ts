import { describe, expect, it } from 'vitest'
import { readMonitorLine } from './monitor-records'

const time = '2026-11-23T16:30:00.123456789Z'
const record = { v: 1, boot: '3f9c2a7d1e5b4c60', seq: 0, ts: '2026-11-23T16:30:00.120Z', type: 'state', from: null, to: 'idle', reason: 'monitor started' }

describe('reading monitor records from a container log', () => {
  it('parses a record and keeps docker\'s timestamp as the resume point', () => {
    const result = readMonitorLine('stdout', `${time} ${JSON.stringify(record)}`)
    expect(result).toMatchObject({ dockerTime: time, record: { type: 'state', to: 'idle', seq: 0 } })
  })

  it('refuses a record with an unknown protocol version, saying what to do', () => {
    const result = readMonitorLine('stdout', `${time} ${JSON.stringify({ ...record, v: 2 })}`)
    expect(result).toMatchObject({ reason: 'version' })
    expect('message' in result && result.message).toMatch(/unsupported monitor record version 2.*rebuild the image or upgrade Sandlot/)
  })

  it('reports junk and schema violations without throwing', () => {
    expect(readMonitorLine('stdout', `${time} plain text`)).toMatchObject({ reason: 'json' })
    expect(readMonitorLine('stdout', `${time} ${JSON.stringify({ ...record, seq: -1 })}`)).toMatchObject({ reason: 'schema' })
  })

  it('treats stderr as the monitor\'s diagnostics, never as records', () => {
    expect(readMonitorLine('stderr', `${time} ${JSON.stringify(record)}`)).toMatchObject({ reason: 'diagnostic', dockerTime: time })
  })
})
