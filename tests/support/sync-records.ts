import { createHash } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { SyncRecord } from '../../src-main/core/contract'
import type { SandlotCore } from '../../src-main/core/sandlot-core'
import type { OrchestratorDb } from '../../src-main/orchestrator/store/database'
import { errorOccurrences, events, hosts, logLines } from '../../src-main/orchestrator/store/schema'

/**
 * Sync's exactly-once checks: every record as one text per `container/boot/seq` key, read from the desktop's
 * database, from what a receiver got, or from what an orchestrator stored, so the three compare by checksum.
 */

/** Every record the desktop's database holds. */
export function desktopRecords(sandlot: SandlotCore): Map<string, string> {
  const rows = sandlot.database.sqlite
    .prepare(
      `SELECT 'log' AS kind, container, boot, seq, ts, line AS text FROM log_lines
       UNION ALL SELECT 'event', container, boot, seq, ts, kind || ':' || summary FROM history_events
       UNION ALL SELECT 'error', container, boot, seq, ts, fingerprint FROM error_occurrences`
    )
    .all() as Array<{ kind: string; container: string; boot: string; seq: number; ts: number; text: string }>
  return new Map(rows.map((r) => [`${r.container}/${r.boot}/${r.seq}`, recordText(r.kind, new Date(r.ts), r.text)]))
}

export function receivedText(record: SyncRecord): string {
  const text = record.kind === 'log' ? record.line : record.kind === 'event' ? `${record.event}:${record.summary}` : record.fingerprint
  return recordText(record.kind, new Date(record.ts), text)
}

/** What an orchestrator stored under one host, and how many rows it holds in all (a duplicate would show there). */
export async function orchestratorRecords(db: OrchestratorDb, host: string): Promise<{ records: Map<string, string>; rows: number }> {
  const [holder] = await db.select({ id: hosts.id }).from(hosts).where(eq(hosts.name, host))
  if (holder === undefined) return { records: new Map(), rows: 0 }
  const key = (r: { container: string; boot: string; seq: number }): string => `${r.container}/${r.boot}/${r.seq}`
  const lines = await db.select().from(logLines).where(eq(logLines.hostId, holder.id))
  const timeline = await db.select().from(events).where(eq(events.hostId, holder.id))
  const errors = await db.select().from(errorOccurrences).where(eq(errorOccurrences.hostId, holder.id))
  const entries: Array<[string, string]> = [
    ...lines.map((r): [string, string] => [key(r), recordText('log', new Date(r.ts), r.line)]),
    ...timeline.map((r): [string, string] => [key(r), recordText('event', new Date(r.ts), `${r.event}:${r.summary}`)]),
    ...errors.map((r): [string, string] => [key(r), recordText('error', new Date(r.ts), r.fingerprint)])
  ]
  return { records: new Map(entries), rows: entries.length }
}

export function checksum(texts: Iterable<[string, string]>): string {
  const hash = createHash('sha256')
  for (const [key, text] of [...texts].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${key}\n${text}\n`)
  return hash.digest('hex')
}

function recordText(kind: string, ts: Date, text: string): string {
  return `${kind}|${ts.toISOString()}|${text}`
}
