import { APP_STATE_TEXT, appStatusText, type AppStatus, type ErrorGroup, type EventPayload, type TimelineEvent } from '../../../src-main/core/contract'
import type { IconName } from '../../components/Icon'
import type { StatusTone } from '../workspace-model'
import { isAppFile } from '../../app/route'
import { visibleText } from './log-text'

/** How the app's state reads in lists and on the workspace page. */
export interface AppStateModel {
  label: string
  tone: StatusTone
  /** One sentence for tooltips and screen readers. */
  description: string
}

/** The CLI's words for each state (one source in the contract), capitalised. */
const STATE_LABEL = Object.fromEntries(Object.entries(APP_STATE_TEXT).map(([state, text]) => [state, text.charAt(0).toUpperCase() + text.slice(1)])) as Record<AppStatus['state'], string>

const STATE_TONE: Record<AppStatus['state'], StatusTone> = {
  idle: 'idle',
  starting: 'pending',
  running: 'ok',
  ready: 'ok',
  unhealthy: 'warn',
  stopping: 'pending',
  stopped: 'idle',
  crashed: 'error',
  'backing-off': 'warn',
  failed: 'error'
}

/** `label` is the CLI's app text (state, restarts, last exit while down), capitalised: `Ready (5 restarts)`. */
export function appStateModel(app: AppStatus): AppStateModel {
  const text = appStatusText(app)
  const label = text.charAt(0).toUpperCase() + text.slice(1)
  const state = STATE_LABEL[app.state]
  const exit = app.lastExit === undefined ? '' : `, last exit ${exitLabel(app.lastExit)}`
  const restarts = app.restarts === 0 ? '' : `, ${app.restarts} restart${app.restarts === 1 ? '' : 's'}`
  const head = app.state === 'idle' ? state : `App ${state.toLowerCase()}`
  return { label, tone: STATE_TONE[app.state], description: `${head}${restarts}${exit}` }
}

/** `code 1`, `SIGKILL`, or `unknown` when the monitor could say neither. */
export function exitLabel({ code, signal }: { code?: number | null; signal?: string | null }): string {
  if (signal) return signal
  if (code !== null && code !== undefined) return `code ${code}`
  return 'unknown'
}

/** The first line of an error message, escapes removed, for toasts and lists. */
export function firstLine(message: string): string {
  const text = visibleText(message.replace(/\r?\n[\s\S]*$/, '')).trim()
  return text === '' ? '(no message)' : text
}

/** `src/app.js:12:5`, with `/app/` dropped: every workspace's files live there. */
export function errorLocation(error: Pick<ErrorGroup, 'file' | 'line' | 'column'>): string | undefined {
  if (error.file === undefined) return undefined
  const file = error.file.replace(/^\/app\//, '')
  return [file, error.line, error.line === undefined ? undefined : error.column].filter((part) => part !== undefined).join(':')
}

/** The workspace file an error names (`/app/…`, or a `file://` URL of one), for the Files tab; undefined for Node's own or another place. */
export function errorFile(error: Pick<ErrorGroup, 'file'>): string | undefined {
  const file = error.file?.replace(/^file:\/\//, '')
  return file !== undefined && isAppFile(file) ? file : undefined
}

/** An error group's key: a fingerprint is per workspace. */
export const errorKey = (error: Pick<ErrorGroup, 'workspace' | 'fingerprint'>): string => `${error.workspace}/${error.fingerprint}`

/** A new or counted-up group put in its place: most recently seen first. */
export function upsertError(errors: readonly ErrorGroup[], error: ErrorGroup): ErrorGroup[] {
  const key = errorKey(error)
  return sortErrors([error, ...errors.filter((e) => errorKey(e) !== key)])
}

export function sortErrors(errors: readonly ErrorGroup[]): ErrorGroup[] {
  return [...errors].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || a.fingerprint.localeCompare(b.fingerprint))
}

/** One row of the timeline. */
export interface TimelineEntryModel {
  icon: IconName
  tone: StatusTone
  title: string
  /** Facts beside the title: exit code, delay, attempt… */
  details: string[]
}

export function timelineEntryModel(event: TimelineEvent): TimelineEntryModel {
  switch (event.kind) {
    case 'crash':
      return { icon: 'alert', tone: 'error', title: 'Crashed', details: [`exit ${exitLabel({ code: event.exitCode, signal: event.signal })}`] }
    case 'restart':
      return {
        icon: 'retry',
        tone: 'warn',
        title: 'Restart scheduled',
        details: [...(event.delayMs === undefined ? [] : [`after ${describeDelay(event.delayMs)}`]), ...(event.attempt === undefined ? [] : [`attempt ${event.attempt}`])]
      }
    case 'ready':
      return { icon: 'check', tone: 'ok', title: 'Ready', details: [] }
    case 'health':
      // The entry says a failed check or a recovery only in its summary (the core writes "… answers again").
      return /answers again/.test(event.summary)
        ? { icon: 'check', tone: 'ok', title: 'Answers again', details: [] }
        : { icon: 'alert', tone: 'warn', title: 'Health check failed', details: [] }
    case 'gap':
      return {
        icon: 'alert',
        tone: 'warn',
        title: 'Records missing',
        details: event.missed === undefined ? [] : [`${event.missed} record${event.missed === 1 ? '' : 's'} never reached the host`]
      }
    case 'port':
      return { icon: 'check', tone: 'ok', title: 'Port found', details: [] }
    case 'idle-stop':
      return { icon: 'stop', tone: 'idle', title: 'Stopped while idle', details: [] }
    case 'spec':
      return { icon: 'settings', tone: 'idle', title: 'App settings', details: [] }
    case 'state': {
      const state = event.state
      if (state === undefined) return { icon: 'pending', tone: 'idle', title: 'State changed', details: [] }
      // A boot's first record enters `idle`: the monitor (the container) started, no app runs yet.
      const title = state === 'starting' ? 'Started' : state === 'failed' ? 'Gave up restarting' : state === 'idle' ? 'Monitor started' : STATE_LABEL[state]
      const exit = event.exitCode !== undefined || event.signal ? [`exit ${exitLabel({ code: event.exitCode, signal: event.signal })}`] : []
      const icon: IconName = state === 'starting' ? 'play' : state === 'stopped' ? 'stop' : state === 'failed' || state === 'crashed' ? 'alert' : state === 'ready' ? 'check' : 'pending'
      return { icon, tone: STATE_TONE[state], title, details: exit }
    }
  }
}

/** A state change the monitor also wrote as its own record (ready, crash, restart), which says more. */
const SAID_BY_RECORD: Partial<Record<NonNullable<TimelineEvent['state']>, TimelineEvent['kind']>> = { ready: 'ready', crashed: 'crash', 'backing-off': 'restart' }

/**
 * The timeline as shown: a state change that a record of the same moment repeats (ready, crashed, backing off)
 * is left out, so each thing that happened reads once.
 */
export function collapseTimeline(events: readonly TimelineEvent[], withinMs = 2_000): TimelineEvent[] {
  return events.filter((event) => {
    const kind = event.kind === 'state' && event.state !== undefined ? SAID_BY_RECORD[event.state] : undefined
    if (kind === undefined) return true
    const at = Date.parse(event.ts)
    return !events.some((other) => other.kind === kind && other.boot === event.boot && other.container === event.container && Math.abs(Date.parse(other.ts) - at) <= withinMs)
  })
}

export function describeDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

/** A crash or a given-up app, worth interrupting the user for. */
export interface AppAlert {
  workspace: string
  kind: 'crashed' | 'failed'
  /** The timeline entry that raised it. */
  eventId: number
  ts: string
  /** What the toast says before it knows the error. */
  headline: string
  detail: string
}

export function alertOf({ workspace, event }: EventPayload<'history.events'>): AppAlert | undefined {
  if (event.kind === 'crash') {
    return { workspace, kind: 'crashed', eventId: event.id, ts: event.ts, headline: `${workspace} crashed`, detail: `The app exited (${exitLabel({ code: event.exitCode, signal: event.signal })}).` }
  }
  if (event.kind === 'state' && event.state === 'failed') {
    return { workspace, kind: 'failed', eventId: event.id, ts: event.ts, headline: `${workspace} gave up`, detail: event.summary }
  }
  return undefined
}

/**
 * The error to name in an alert: the group of that workspace seen last, if it was seen around the crash (a
 * crash's cause prints just before it; an old warning is not the cause).
 */
export function errorForAlert(alert: Pick<AppAlert, 'workspace' | 'ts'>, errors: readonly ErrorGroup[], withinMs = 60_000): ErrorGroup | undefined {
  const at = Date.parse(alert.ts)
  return sortErrors(errors.filter((e) => e.workspace === alert.workspace)).find((e) => Math.abs(Date.parse(e.lastSeen) - at) <= withinMs)
}

/**
 * The Logs and Errors views' workspace choices, sorted: those that exist, and those removed whose history is kept
 * (`removed`); the one in the address is kept even when neither knows it (yet).
 */
export function filterOptions(existing: readonly string[], withHistory: readonly string[], chosen: string | undefined): { name: string; removed: boolean }[] {
  const live = new Set(existing)
  const names = new Set([...existing, ...withHistory, ...(chosen === undefined ? [] : [chosen])])
  return [...names].sort().map((name) => ({ name, removed: !live.has(name) && withHistory.includes(name) }))
}
