import { and, eq, notInArray, sql } from 'drizzle-orm'
import type { SyncAck, SyncBatch, SyncRecord } from '../../core/contract/sync'
import type { OrchestratorDb } from './database'
import { drops, errorOccurrences, events, hosts, logLines, workspaces } from './schema'
import { epochMsOf } from './time-columns'

export interface BatchSender {
  id: number
  name: string
}

type Of<K extends SyncRecord['kind']> = Extract<SyncRecord, { kind: K }>

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table (18 columns). */
const ROWS_PER_INSERT = 1000

/**
 * Stores one batch from one host, all or nothing, in one transaction. Records already there (same host, container,
 * boot and seq) are skipped by the unique keys and counted as duplicates, so a batch sent twice is stored once.
 * `sender` is the host the token names: the body has no say in it.
 */
export async function storeBatch(db: OrchestratorDb, sender: BatchSender, batch: SyncBatch, now: Date = new Date()): Promise<SyncAck> {
  const hostId = sender.id
  const key = (r: SyncRecord) => ({ hostId, workspace: r.workspace, container: r.container, boot: r.boot, seq: r.seq, ts: r.ts })
  const logs = batch.records.filter((r): r is Of<'log'> => r.kind === 'log').map(withoutNul)
  const evts = batch.records.filter((r): r is Of<'event'> => r.kind === 'event').map(withoutNul)
  const errs = batch.records.filter((r): r is Of<'error'> => r.kind === 'error').map(withoutNul)
  return db.transaction(async (tx) => {
    // The time (epoch ms) of each record newly stored: duplicates arrived before, with an earlier batch.
    const storedTimes: number[] = []
    // Log lines are nearly every record: one statement per batch with a parameter per column (arrays unnested by
    // PostgreSQL), not one per value, which costs a multi-row VALUES list most of its time in building and parsing.
    if (logs.length > 0) storedTimes.push(...(await insertLogLines(tx, hostId, logs)))
    for (const part of chunks(evts)) {
      const rows = part.map((r) => ({
        ...key(r),
        event: r.event,
        summary: r.summary,
        state: r.state,
        fromState: r.fromState,
        run: r.run,
        exitCode: r.exitCode,
        signal: r.signal,
        delayMs: r.delayMs,
        attempt: r.attempt,
        missed: r.missed,
        detail: r.detail
      }))
      storedTimes.push(...epochMs(await tx.insert(events).values(rows).onConflictDoNothing().returning({ ms: epochMsOf(events.ts) })))
    }
    for (const part of chunks(errs)) {
      const rows = part.map((r) => ({
        ...key(r),
        fingerprint: r.fingerprint,
        category: r.category,
        severity: r.severity,
        message: r.message,
        file: r.file,
        line: r.line,
        column: r.column,
        stack: r.stack
      }))
      storedTimes.push(...epochMs(await tx.insert(errorOccurrences).values(rows).onConflictDoNothing().returning({ ms: epochMsOf(errorOccurrences.ts) })))
    }
    if (batch.dropped !== undefined && batch.dropped.length > 0) {
      const rows = batch.dropped.map((d) => ({ hostId, workspace: d.workspace, lines: d.lines, events: d.events ?? 0, errors: d.errors ?? 0, fromTs: d.from, toTs: d.to }))
      await tx.insert(drops).values(rows).onConflictDoNothing()
    }
    if (batch.workspaces !== undefined) await replaceWorkspaces(tx, hostId, batch.workspaces)
    await tx.update(hosts).set(contactUpdate(batch, storedTimes, now)).where(eq(hosts.id, hostId))
    return { stored: storedTimes.length, duplicates: batch.records.length - storedTimes.length, host: sender.name }
  })
}

/** Inserts what is not there yet; returns the time (epoch ms) of each line newly stored. */
async function insertLogLines(tx: OrchestratorDb, hostId: number, logs: Array<Of<'log'>>): Promise<number[]> {
  const column = <T>(pick: (r: Of<'log'>) => T) => sql.param(logs.map(pick))
  const result = (await tx.execute(sql`
    WITH inserted AS (
      INSERT INTO ${logLines} (host_id, workspace, container, boot, seq, ts, stream, line, run, truncated)
      SELECT ${hostId}::int, * FROM unnest(${column((r) => r.workspace)}::text[], ${column((r) => r.container)}::text[], ${column((r) => r.boot)}::text[],
        ${column((r) => r.seq)}::int[], ${column((r) => r.ts)}::timestamptz[], ${column((r) => r.stream)}::text[], ${column((r) => r.line)}::text[],
        ${column((r) => r.run)}::int[], ${column((r) => r.truncated)}::bool[])
      ON CONFLICT DO NOTHING
      RETURNING ts
    )
    SELECT coalesce(array_agg(${epochMsOf(sql.raw('ts'))}), '{}') AS ms FROM inserted`)) as unknown as { rows: Array<{ ms: unknown }> }
  // One row holding an array, not a row per line: building 2,000 row objects per batch cost pg about 15 % of the
  // throughput. Both drivers answer raw queries with `rows` and parse a float8[]; text is read in case one does not.
  return epochArray(result.rows[0]?.ms)
}

function epochArray(value: unknown): number[] {
  const items = typeof value === 'string' ? value.replace(/^\{|\}$/g, '').split(',').filter((v) => v !== '') : Array.isArray(value) ? value : []
  return items.map((ms) => Math.round(Number(ms)))
}

function epochMs(rows: Array<{ ms: number | string }>): number[] {
  return rows.map((r) => Math.round(Number(r.ms)))
}

/** The list is the host's whole set now: rows it no longer has go, the rest are upserted. */
async function replaceWorkspaces(tx: OrchestratorDb, hostId: number, list: NonNullable<SyncBatch['workspaces']>): Promise<void> {
  // A list naming one workspace twice keeps the last: one row per (host, name).
  const byName = new Map(list.map((w) => [w.name, w]))
  const names = [...byName.keys()]
  await tx.delete(workspaces).where(names.length === 0 ? eq(workspaces.hostId, hostId) : and(eq(workspaces.hostId, hostId), notInArray(workspaces.name, names)))
  if (names.length === 0) return
  const rows = [...byName.values()].map((w) => ({ hostId, name: w.name, template: w.template, state: w.state, container: w.container, createdAt: w.createdAt }))
  await tx
    .insert(workspaces)
    .values(rows)
    .onConflictDoUpdate({
      target: [workspaces.hostId, workspaces.name],
      set: { template: sql`excluded.template`, state: sql`excluded.state`, container: sql`excluded.container`, createdAt: sql`excluded.created_at`, updatedAt: sql`now()` }
    })
}

function contactUpdate(batch: SyncBatch, storedTimes: number[], now: Date): Partial<typeof hosts.$inferInsert> {
  const times = batch.records.map((r) => Date.parse(r.ts))
  const update: Partial<typeof hosts.$inferInsert> = {
    lastContactAt: now.toISOString(),
    agent: `${batch.agent.hostname} ${batch.agent.version}`.trim()
  }
  // A batch without new records (a retry, only drops or workspaces) leaves the delay of the last one that had some.
  const delay = syncDelay(now.getTime(), storedTimes)
  if (delay !== undefined) Object.assign(update, { delayP50Ms: delay.p50Ms, delayMaxMs: delay.maxMs, delayRecords: delay.records, delayAt: now.toISOString() })
  if (times.length > 0) {
    const newest = new Date(Math.max(...times)).toISOString()
    update.lastRecordTs = sql`greatest(${hosts.lastRecordTs}, ${newest}::timestamptz)` as unknown as string
  }
  return update
}

/**
 * PostgreSQL text cannot hold U+0000, which an app's output may: it becomes U+FFFD, as a terminal would show it,
 * rather than a batch refused for ever.
 */
function withoutNul<T extends SyncRecord>(record: T): T {
  if (!Object.values(record).some((v) => typeof v === 'string' && v.includes('\0'))) return record
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, typeof v === 'string' ? v.replaceAll('\0', '\uFFFD') : v])) as T
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += ROWS_PER_INSERT) out.push(items.slice(i, i + ROWS_PER_INSERT))
  return out
}

/**
 * How long records took from their own timestamp (the desktop's clock, when the monitor wrote them) to arriving
 * here: the sending delay a team cares about, unlike the newest record's age, which grows whenever a desktop's
 * workspaces are quiet. p50 is the lower median. A record stamped after its arrival (clocks apart) counts as 0.
 */
export function syncDelay(receivedMs: number, recordMs: number[]): { p50Ms: number; maxMs: number; records: number } | undefined {
  if (recordMs.length === 0) return undefined
  const delays = recordMs.map((ms) => Math.max(0, receivedMs - ms)).sort((a, b) => a - b)
  return { p50Ms: delays[Math.floor((delays.length - 1) / 2)] ?? 0, maxMs: delays.at(-1) ?? 0, records: delays.length }
}
