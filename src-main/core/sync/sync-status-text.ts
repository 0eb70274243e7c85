import type { SyncStatus } from '../contract'

/** The sync status in words, for `sandlot sync status` and the Settings view alike (plain code: safe for the renderer). */
export interface SyncStatusText {
  /** "Off", "Up to date", "12 records waiting", "Failing". */
  headline: string
  tone: 'off' | 'ok' | 'busy' | 'failing'
  rows: Array<[string, string]>
}

/** How to turn sync on, in the CLI's words; the Settings view says it in its own (its fields are right there). */
const TURN_ON_CLI = 'set sync.url and sync.token (`sandlot config set sync.url https://…`)'

/**
 * The CLI's words by default: the ISO instant with its age, and the config command to turn sync on. The window
 * passes its own time format and says to fill in the fields.
 */
export function describeSyncStatus(
  status: SyncStatus,
  now: number,
  { time = isoAndAge, turnOn = TURN_ON_CLI }: { time?: (iso: string, now: number) => string; turnOn?: string } = {}
): SyncStatusText {
  const rows: Array<[string, string]> = []
  if (status.url) rows.push(['orchestrator', status.url])
  if (!status.enabled) {
    return {
      headline: 'Off',
      tone: status.lastError ? 'failing' : 'off',
      rows: [...rows, ...(status.lastError ? [] : [['to turn on', turnOn] as [string, string]])]
    }
  }
  rows.push(['last acknowledged', status.lastAckAt ? time(status.lastAckAt, now) : 'never'])
  rows.push(['waiting', `${status.waiting} ${status.waiting === 1 ? 'record' : 'records'}`])
  rows.push(['lag', status.waiting === 0 ? 'none' : describeDuration(status.lagMs)])
  rows.push(['lines dropped', String(status.droppedLines)])
  // Only retention (or `rm --purge`) drops these, before they were sent: rare enough to say only when it happened.
  if (status.droppedEvents > 0 || status.droppedErrors > 0) {
    rows.push(['also dropped', `${count(status.droppedEvents, 'event')}, ${count(status.droppedErrors, 'error')} (deleted by retention before they were sent; reported as gaps)`])
  }
  const headline = status.lastError ? 'Failing' : status.waiting === 0 ? 'Up to date' : `${status.waiting} ${status.waiting === 1 ? 'record' : 'records'} waiting`
  return { headline, tone: status.lastError ? 'failing' : status.waiting === 0 ? 'ok' : 'busy', rows }
}

function isoAndAge(iso: string, now: number): string {
  return `${iso} (${describeAge(now - Date.parse(iso))})`
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

/** "just now", "4.2 s ago" … "3 d ago". */
export function describeAge(ms: number): string {
  return ms < 5000 ? 'just now' : `${describeDuration(ms)} ago`
}

/** "800 ms", "4.2 s", "3 min", "2 h 5 min", "3 d". */
export function describeDuration(ms: number): string {
  const value = Math.max(0, ms)
  if (value < 1000) return `${Math.round(value)} ms`
  if (value < 60_000) return `${(value / 1000).toFixed(1)} s`
  const minutes = Math.floor(value / 60_000)
  if (minutes < 60) return `${minutes} min`
  if (minutes < 1440) return `${Math.floor(minutes / 60)} h${minutes % 60 === 0 ? '' : ` ${minutes % 60} min`}`
  return `${Math.floor(minutes / 1440)} d`
}
