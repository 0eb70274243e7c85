import { describe, expect, it } from 'vitest'
import type { AppStatus, ErrorGroup, TimelineEvent } from '../../../src-main/core/contract'
import { alertOf, appStateModel, collapseTimeline, errorFile, errorForAlert, errorLocation, filterOptions, firstLine, timelineEntryModel, upsertError } from './history-model'

const app = (state: AppStatus['state'], extra: Partial<AppStatus> = {}): AppStatus => ({ state, since: '2030-01-01T10:00:00.000Z', restarts: 0, unreadErrors: 0, ...extra })
const event = (kind: TimelineEvent['kind'], extra: Partial<TimelineEvent> = {}): TimelineEvent => ({
  id: 7,
  workspace: 'web',
  container: 'c1',
  boot: 'b1',
  ts: '2030-01-01T10:00:05.000Z',
  kind,
  summary: 'something happened',
  ...extra
})
const error = (fingerprint: string, lastSeen: string, workspace = 'web'): ErrorGroup => ({
  workspace,
  fingerprint,
  category: 'runtime',
  severity: 'error',
  message: `TypeError: ${fingerprint}\n    at x`,
  count: 1,
  firstSeen: lastSeen,
  lastSeen,
  unread: true
})

describe('history model', () => {
  it('says the app state in words and tones, with restarts and the last exit', () => {
    expect(appStateModel(app('ready'))).toEqual({ label: 'Ready', tone: 'ok', description: 'App ready' })
    expect(appStateModel(app('backing-off', { restarts: 2, lastExit: { code: 1, signal: null, at: '2030-01-01T10:00:00.000Z' } }))).toEqual({
      label: 'Restarting (2 restarts, exit 1)',
      tone: 'warn',
      description: 'App restarting, 2 restarts, last exit code 1'
    })
    expect(appStateModel(app('crashed')).tone).toBe('error')
    expect(appStateModel(app('unhealthy')).label).toBe('Unhealthy')
    expect(appStateModel(app('failed')).label).toBe('Gave up')
    // The CLI's words (`sandlot ls`), restarts shown when there were any.
    expect(appStateModel(app('ready', { restarts: 5 })).label).toBe('Ready (5 restarts)')
    expect(appStateModel(app('idle'))).toMatchObject({ label: 'No app', description: 'No app' })
  })

  it('describes timeline entries with their facts', () => {
    expect(timelineEntryModel(event('crash', { exitCode: null, signal: 'SIGKILL' }))).toMatchObject({ title: 'Crashed', tone: 'error', details: ['exit SIGKILL'] })
    expect(timelineEntryModel(event('crash', { exitCode: 1, signal: null })).details).toEqual(['exit code 1'])
    expect(timelineEntryModel(event('restart', { delayMs: 1043, attempt: 2 })).details).toEqual(['after 1.0 s', 'attempt 2'])
    expect(timelineEntryModel(event('gap', { missed: 12 })).details).toEqual(['12 records never reached the host'])
    expect(timelineEntryModel(event('health', { summary: 'port 3000 does not answer (2 checks in a row)' }))).toMatchObject({ title: 'Health check failed', tone: 'warn' })
    expect(timelineEntryModel(event('health', { summary: 'port 3000 answers again' }))).toMatchObject({ title: 'Answers again', tone: 'ok' })
    expect(timelineEntryModel(event('state', { state: 'starting' })).title).toBe('Started')
    expect(timelineEntryModel(event('state', { state: 'failed' })).title).toBe('Gave up restarting')
    expect(timelineEntryModel(event('state', { state: 'idle', from: null })).title).toBe('Monitor started')
    expect(timelineEntryModel(event('port'))).toMatchObject({ title: 'Port found', tone: 'ok' })
    expect(timelineEntryModel(event('idle-stop'))).toMatchObject({ title: 'Stopped while idle', icon: 'stop' })
  })

  it('shows each happening once: a state change repeated by its own record is left out', () => {
    const events = [
      event('ready', { id: 6, ts: '2030-01-01T10:00:08.000Z' }),
      event('state', { id: 5, state: 'ready', ts: '2030-01-01T10:00:08.000Z' }),
      event('restart', { id: 4, ts: '2030-01-01T10:00:05.001Z' }),
      event('state', { id: 3, state: 'backing-off', ts: '2030-01-01T10:00:05.001Z' }),
      event('crash', { id: 2, ts: '2030-01-01T10:00:05.000Z' }),
      event('state', { id: 1, state: 'crashed', ts: '2030-01-01T10:00:05.000Z' }),
      // Another boot's crash does not hide this one's state change; a "starting" has no record of its own.
      event('state', { id: 0, state: 'starting', ts: '2030-01-01T10:00:04.000Z' })
    ]
    expect(collapseTimeline(events).map((e) => e.id)).toEqual([6, 4, 2, 0])
    expect(collapseTimeline([event('state', { state: 'crashed' }), event('crash', { boot: 'other' })]).map((e) => e.kind)).toEqual(['state', 'crash'])
  })

  it('turns crashes and given-up apps into alerts, nothing else', () => {
    expect(alertOf({ workspace: 'web', event: event('crash', { exitCode: 137, signal: null }), app: app('crashed') })).toMatchObject({
      kind: 'crashed',
      headline: 'web crashed',
      detail: 'The app exited (code 137).'
    })
    expect(alertOf({ workspace: 'web', event: event('state', { state: 'failed' }), app: app('failed') })).toMatchObject({ kind: 'failed' })
    expect(alertOf({ workspace: 'web', event: event('state', { state: 'ready' }), app: app('ready') })).toBeUndefined()
    expect(alertOf({ workspace: 'web', event: event('restart'), app: app('backing-off') })).toBeUndefined()
  })

  it('names the error seen around a crash, not an old one or another workspace’s', () => {
    const alert = { workspace: 'web', ts: '2030-01-01T10:00:05.000Z' }
    const errors = [error('old', '2030-01-01T09:00:00.000Z'), error('other', '2030-01-01T10:00:04.900Z', 'api'), error('cause', '2030-01-01T10:00:04.000Z')]
    expect(errorForAlert(alert, errors)?.fingerprint).toBe('cause')
    expect(errorForAlert(alert, [errors[0]!])).toBeUndefined()
  })

  it('keeps error groups once each, last seen first', () => {
    const list = [error('a', '2030-01-01T10:00:00.000Z'), error('b', '2030-01-01T10:00:01.000Z')]
    const updated = upsertError(list, { ...error('a', '2030-01-01T10:00:09.000Z'), count: 3 })
    expect(updated.map((e) => [e.fingerprint, e.count])).toEqual([
      ['a', 3],
      ['b', 1]
    ])
  })

  it('shows a message’s first line and a short location', () => {
    expect(firstLine('\x1b[31mTypeError: x\x1b[0m\n    at y')).toBe('TypeError: x')
    expect(errorLocation({ file: '/app/src/main.js', line: 1, column: 24 })).toBe('src/main.js:1:24')
    expect(errorLocation({ file: '/usr/lib/x.js' })).toBe('/usr/lib/x.js')
    expect(errorLocation({})).toBeUndefined()
  })
})

describe('errorFile', () => {
  it("names a workspace file for the Files tab, not Node's own or another folder", () => {
    expect(errorFile({ file: '/app/app.js' })).toBe('/app/app.js')
    expect(errorFile({ file: 'file:///app/src/crash.js' })).toBe('/app/src/crash.js')
    expect(errorFile({ file: 'node:internal/modules/esm/utils' })).toBeUndefined()
    expect(errorFile({ file: '/usr/lib/node_modules/x.js' })).toBeUndefined()
    expect(errorFile({})).toBeUndefined()
  })
})

describe('the Logs and Errors views’ workspace filter', () => {
  it('offers the workspaces that exist and the removed ones with history, once each, sorted', () => {
    expect(filterOptions(['web', 'api'], ['box', 'web'], undefined)).toEqual([
      { name: 'api', removed: false },
      { name: 'box', removed: true },
      { name: 'web', removed: false }
    ])
  })

  it('keeps the chosen name even before either list knows it', () => {
    expect(filterOptions([], [], 'gone')).toEqual([{ name: 'gone', removed: false }])
  })
})
