import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ControlRequest } from './control-protocol'
import { fastLogRecord, MonitorRecord, MonitorRecordError, parseMonitorRecord, ProcessSpec, toPublicSpec, type RecordType } from './protocol'

const documented = readFileSync(join(import.meta.dirname, '../PROTOCOL.md'), 'utf8')
const jsonExamples = [...documented.matchAll(/```json\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.trim().split('\n'))

const valid = { v: 1, boot: '3f9c2a7d1e5b4c60', seq: 0, ts: '2030-01-01T10:00:00.000Z', type: 'log', stream: 'stdout', line: 'hi', run: 1 }

describe('parseMonitorRecord', () => {
  it('accepts every record example in PROTOCOL.md, covering every record type', () => {
    const records = jsonExamples.filter((line) => line.includes('"v":')).map(parseMonitorRecord)
    const types: RecordType[] = ['log', 'state', 'error', 'crash', 'restart', 'ready', 'health', 'port', 'spec']
    expect(new Set(records.map((r) => r.type))).toEqual(new Set(types))
  })

  it('accepts every control request example in PROTOCOL.md', () => {
    const requests = jsonExamples.filter((line) => line.includes('"op":'))
    expect(requests).toHaveLength(7)
    for (const line of requests) expect(ControlRequest.safeParse(JSON.parse(line)).success, line).toBe(true)
  })

  it('rejects an unknown protocol version with a message that says what to do', () => {
    const attempt = () => parseMonitorRecord(JSON.stringify({ ...valid, v: 2 }))
    expect(attempt).toThrow(MonitorRecordError)
    expect(attempt).toThrow(/unsupported monitor record version 2: this build reads version 1.*rebuild the image or upgrade Sandlot/)
    expect(() => parseMonitorRecord(JSON.stringify({ ...valid, v: undefined }))).toThrow(/unsupported monitor record version null/)
  })

  it('rejects what is not a JSON object', () => {
    for (const line of ['not json', '[1,2]', '42', 'null']) {
      expect(() => parseMonitorRecord(line), line).toThrow(expect.objectContaining({ reason: 'json' }))
    }
  })

  it('validates every field of a version 1 record', () => {
    const broken = [
      { ...valid, seq: -1 },
      { ...valid, seq: 1.5 },
      { ...valid, boot: 'short' },
      { ...valid, ts: 'yesterday' },
      { ...valid, type: 'gossip' },
      { ...valid, stream: 'stdin' },
      { ...valid, line: 42 },
      { ...valid, run: 0 },
      { ...valid, type: 'state', from: 'idle', to: 'sleeping', reason: 'x' },
      { ...valid, type: 'crash', exitCode: 1, signal: null, run: 1 }, // uptimeMs missing
      { ...valid, type: 'error', category: 'runtime', severity: 'catastrophic', message: 'x', stream: 'stderr', fingerprint: '0123456789abcdef', count: 1, firstSeen: valid.ts, lastSeen: valid.ts, run: 1 }
    ]
    for (const record of broken) {
      expect(() => parseMonitorRecord(JSON.stringify(record)), JSON.stringify(record)).toThrow(expect.objectContaining({ reason: 'schema' }))
    }
    expect(parseMonitorRecord(JSON.stringify(valid))).toEqual(valid)
  })
})

describe('fastLogRecord', () => {
  const good = { v: 1, boot: '3f9c2a7d1e5b4c60', seq: 3, ts: '2030-01-01T10:00:00.410Z', type: 'log', stream: 'stdout', line: 'hello', run: 1 }

  it('gives what the zod schema gives for valid log records, unknown fields dropped', () => {
    for (const value of [good, { ...good, truncated: true }, { ...good, extra: 'x' }, { ...good, ts: '2030-01-01T12:00:00+02:00' }]) {
      expect(fastLogRecord(value)).toEqual(MonitorRecord.parse(value))
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

describe('ProcessSpec', () => {
  it('fills in defaults, nested ones included', () => {
    const spec = ProcessSpec.parse({ command: 'npm run dev' })
    expect(spec).toEqual({
      command: 'npm run dev',
      env: {},
      restart: { policy: 'on-failure', initialDelayMs: 1000, factor: 2, maxDelayMs: 30_000, jitter: 0.2, maxRestarts: 5, windowMs: 60_000, stableAfterMs: 30_000 },
      readiness: { startupGraceMs: 60_000, pollIntervalMs: 500 },
      health: { intervalMs: 5000, timeoutMs: 2000, failureThreshold: 2, restartAfterFailures: null },
      stopTimeoutMs: 5000,
      previewHosts: []
    })
    expect(ProcessSpec.parse({ command: 'x', restart: { maxRestarts: 9 } }).restart).toMatchObject({ maxRestarts: 9, factor: 2 })
  })

  it('refuses bad values', () => {
    for (const input of [
      { command: '' },
      { command: 'x', cwd: 'relative/dir' },
      { command: 'x', port: 70000 },
      { command: 'x', readyPattern: '(unclosed' },
      { command: 'x', env: { 'BAD-NAME': 'v' } },
      { command: 'x', restart: { policy: 'sometimes' } },
      { command: 'x', restart: { jitter: 2 } }
    ]) {
      expect(ProcessSpec.safeParse(input).success, JSON.stringify(input)).toBe(false)
    }
  })

  it('shows environment keys, never values, in public form', () => {
    const pub = toPublicSpec(ProcessSpec.parse({ command: 'x', env: { B: 'secret-b', A: 'secret-a' } }))
    expect(pub.envKeys).toEqual(['A', 'B'])
    expect(JSON.stringify(pub)).not.toContain('secret')
  })
})
