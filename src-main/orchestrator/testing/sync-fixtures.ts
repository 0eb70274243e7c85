import type { SyncBatch, SyncRecord } from '../../core/contract/sync'

/** Batches as a desktop's outbox sends them, for the orchestrator's tests and benchmarks. */

export const CONTAINER_A = 'a'.repeat(12) + '0123456789ab'
export const CONTAINER_B = 'b'.repeat(12) + '0123456789ab'

const BASE = Date.UTC(2026, 11, 1, 12, 0, 0)

export function tsAt(seq: number): string {
  return new Date(BASE + seq * 10).toISOString()
}

export function logRecord(seq: number, line = `line ${seq} of the app`, over: Partial<Extract<SyncRecord, { kind: 'log' }>> = {}): SyncRecord {
  return { kind: 'log', workspace: 'web', container: CONTAINER_A, boot: 'boot-1', seq, ts: tsAt(seq), stream: 'stdout', line, run: 1, truncated: false, ...over }
}

export function eventRecord(seq: number, over: Partial<Extract<SyncRecord, { kind: 'event' }>> = {}): SyncRecord {
  return {
    kind: 'event',
    workspace: 'web',
    container: CONTAINER_A,
    boot: 'boot-1',
    seq,
    ts: tsAt(seq),
    event: 'crash',
    summary: 'the app exited with code 1',
    state: 'crashed',
    fromState: 'running',
    run: 1,
    exitCode: 1,
    signal: null,
    delayMs: null,
    attempt: null,
    missed: null,
    detail: null,
    ...over
  }
}

export function errorRecord(seq: number, fingerprint: string, over: Partial<Extract<SyncRecord, { kind: 'error' }>> = {}): SyncRecord {
  return {
    kind: 'error',
    workspace: 'web',
    container: CONTAINER_A,
    boot: 'boot-1',
    seq,
    ts: tsAt(seq),
    fingerprint,
    category: 'TypeError',
    severity: 'error',
    message: `TypeError: cannot read properties of undefined (${fingerprint})`,
    file: 'src/App.tsx',
    line: 12,
    column: 3,
    stack: null,
    ...over
  }
}

export function batchOf(records: SyncRecord[], over: Partial<SyncBatch> = {}): SyncBatch {
  return { batch: `b-${records[0]?.seq ?? 'empty'}-${records.length}`, agent: { hostname: 'laptop', version: '0.1.0' }, records, ...over }
}

/** `n` log lines from `from` on, with a searchable word in every tenth. */
export function logBatch(from: number, n: number, container = CONTAINER_A): SyncBatch {
  return batchOf(Array.from({ length: n }, (_, i) => logRecord(from + i, (from + i) % 10 === 0 ? `GET /api/orders ${from + i} failed: ECONNREFUSED` : `GET /api/items ${from + i} 200`, { container })))
}
