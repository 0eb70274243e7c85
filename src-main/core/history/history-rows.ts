import type { TimelineEvent } from '../contract'

/** The history tables' rows as SQLite returns them (snake_case, booleans as 0 or 1): read by the queries and by sync. */
/** What every record row has: its id, where it came from and its key (container, boot, seq). */
export interface RecordRow {
  id: number
  workspace: string
  container: string
  boot: string
  seq: number
  ts: number
}

export interface LogRow extends RecordRow {
  stream: 'stdout' | 'stderr'
  line: string
  run: number
  truncated: number
}

export interface EventRow extends RecordRow {
  kind: TimelineEvent['kind']
  state: string | null
  from_state: string | null
  run: number | null
  exit_code: number | null
  signal: string | null
  delay_ms: number | null
  attempt: number | null
  missed: number | null
  summary: string
  detail: string | null
}
