import type { MonitorRecord } from '../../../container/src/protocol'

/** A timeline row as the ingest writes it (history_events), before it has an id. */
export interface TimelineRow {
  kind: 'state' | 'ready' | 'crash' | 'restart' | 'health' | 'port' | 'spec' | 'gap' | 'idle-stop'
  state: string | null
  fromState: string | null
  run: number | null
  exitCode: number | null
  signal: string | null
  delayMs: number | null
  attempt: number | null
  missed: number | null
  summary: string
  /** The rest of the record, kept as JSON. */
  detail: Record<string, unknown> | null
}

const EMPTY: Omit<TimelineRow, 'kind' | 'summary'> = {
  state: null,
  fromState: null,
  run: null,
  exitCode: null,
  signal: null,
  delayMs: null,
  attempt: null,
  missed: null,
  detail: null
}

/** The timeline entry of a record that belongs on the timeline; undefined for `log` and `error` records. */
export function timelineRow(record: MonitorRecord): TimelineRow | undefined {
  switch (record.type) {
    case 'state':
      return {
        ...EMPTY,
        kind: 'state',
        state: record.to,
        fromState: record.from,
        run: record.run ?? null,
        summary: stateSummary(record.from, record.to, record.reason),
        detail: { reason: record.reason, ...(record.pid === undefined ? {} : { pid: record.pid }) }
      }
    case 'ready':
      return {
        ...EMPTY,
        kind: 'ready',
        run: record.run,
        summary: `ready after ${seconds(record.elapsedMs)} (${record.via === 'port' ? `port ${record.port ?? '?'} answered` : 'its output said so'})`,
        detail: { via: record.via, elapsedMs: record.elapsedMs, ...(record.port === undefined ? {} : { port: record.port }), ...(record.line === undefined ? {} : { line: record.line }) }
      }
    case 'crash': {
      const how = record.signal !== null ? `killed by ${record.signal}` : `exited with code ${record.exitCode ?? '?'}`
      const cause = record.lastError ? `: ${firstLine(record.lastError.message)}` : ''
      return {
        ...EMPTY,
        kind: 'crash',
        run: record.run,
        exitCode: record.exitCode,
        signal: record.signal,
        summary: `crashed, ${how} after ${seconds(record.uptimeMs)}${cause}`,
        detail: { uptimeMs: record.uptimeMs, ...(record.lastError ? { lastError: record.lastError } : {}) }
      }
    }
    case 'restart':
      return {
        ...EMPTY,
        kind: 'restart',
        delayMs: record.delayMs,
        attempt: record.attempt,
        summary: `restart ${record.attempt} in ${seconds(record.delayMs)} (${record.reason})`,
        detail: { reason: record.reason }
      }
    case 'health':
      return {
        ...EMPTY,
        kind: 'health',
        run: record.run,
        summary: record.ok
          ? `port ${record.port} answers again`
          : `port ${record.port} does not answer (${record.consecutiveFailures} ${record.consecutiveFailures === 1 ? 'check' : 'checks'} in a row)`,
        detail: { ok: record.ok, port: record.port, consecutiveFailures: record.consecutiveFailures }
      }
    case 'port':
      return {
        ...EMPTY,
        kind: 'port',
        run: record.run,
        summary: `found the app listening on port ${record.port} (the spec names none); the preview forwards to it`,
        detail: { port: record.port }
      }
    case 'spec':
      return {
        ...EMPTY,
        kind: 'spec',
        summary: `${record.source === 'resume' ? 'resumed' : 'runs'}: ${record.spec.command}${record.spec.port === undefined ? '' : ` (port ${record.spec.port})`}`,
        detail: { source: record.source, spec: record.spec }
      }
    case 'log':
    case 'error':
      return undefined
  }
}

/** The host's own entry when it stopped a workspace nobody used for `idleMs` (the monitor only sees its shutdown). */
export function idleStopRow(idleMs: number): TimelineRow {
  const minutes = Math.round(idleMs / 6_000) / 10
  return {
    ...EMPTY,
    kind: 'idle-stop',
    summary: `stopped after ${minutes} min idle (no terminal attached, no preview request, no exec); the next start resumes it`,
    detail: { idleMs }
  }
}

/** The timeline entry for records that never reached the host: `missed` of them, from `fromSeq` on. */
export function gapRow(missed: number): TimelineRow {
  return {
    ...EMPTY,
    kind: 'gap',
    missed,
    summary: `${missed} ${missed === 1 ? 'record' : 'records'} lost before they reached the host (dropped by Docker's log rotation, or unreadable)`
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? ''
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/** Docker's RFC 3339 nano time with exactly nine fraction digits (Docker trims trailing zeros), so text order is time order. */
export function normalizeDockerTime(time: string): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(time)
  if (match) return `${match[1]}.${(match[2] ?? '').padEnd(9, '0').slice(0, 9)}Z`
  // Another offset: through Date (milliseconds) into UTC.
  const ms = Date.parse(time)
  if (Number.isNaN(ms)) throw new Error(`not an RFC 3339 time: ${time}`)
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')
}

/** A boot's first state record says itself that the monitor started (`monitor started (pid 7)`): not twice. */
function stateSummary(from: string | null, to: string, reason: string): string {
  if (from !== null) return `${from} → ${to}: ${reason}`
  return reason.startsWith('monitor started') ? reason : `monitor started: ${reason}`
}
