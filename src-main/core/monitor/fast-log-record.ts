import type { LogRecord, MonitorRecord } from '../../../container/src/protocol'

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/

/**
 * `log` records are nearly every record a container sends, and the zod schema costs more than the rest of the
 * ingest's parsing: this checks a parsed `log` record by hand against the same rules (protocol.ts's LogRecord)
 * and builds it with only its known fields, as zod would. Anything else, or anything that does not pass,
 * returns undefined and goes through `parseMonitorRecord`, which gives the exact reason.
 */
export function fastLogRecord(value: unknown): MonitorRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const r = value as Record<string, unknown>
  if (r.type !== 'log' || r.v !== 1) return undefined
  const { boot, seq, ts, stream, line, truncated, run } = r
  if (typeof boot !== 'string' || boot.length < 8 || boot.length > 64) return undefined
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) return undefined
  if (typeof ts !== 'string' || !TIME.test(ts) || Number.isNaN(Date.parse(ts))) return undefined
  if (stream !== 'stdout' && stream !== 'stderr') return undefined
  if (typeof line !== 'string') return undefined
  if (truncated !== undefined && truncated !== true) return undefined
  if (!Number.isSafeInteger(run) || (run as number) < 1) return undefined
  const record: LogRecord = { v: 1, boot, seq: seq as number, ts, type: 'log', stream, line, run: run as number }
  if (truncated === true) record.truncated = true
  return record
}
