import { describe, expect, it } from 'vitest'
import { HistoryWriter } from './history-writer'
import { HistoryRetention, type RetentionSettings } from './retention'
import { errorBody, RecordStream, testDatabases } from './testing/records'

const fresh = testDatabases()

const START = Date.parse('2030-01-01T10:00:00.000Z')
const DAY = 86_400_000

function setup(settings: RetentionSettings, now: number) {
  const { database, count } = fresh()
  return { writer: new HistoryWriter(database.sqlite), retention: new HistoryRetention(database.sqlite, () => settings, () => now), count }
}

describe('HistoryRetention', () => {
  it('keeps the newest lines of each workspace up to the limit, the full-text index in step', async () => {
    const { writer, retention, count } = setup({ logLinesPerWorkspace: 1000, logDays: 14, eventDays: 90 }, START)
    writer.write('web', 'c1', new RecordStream('aaaaaaaaaaaaaaaa').logs(3500, 'web'))
    writer.write('api', 'c2', new RecordStream('bbbbbbbbbbbbbbbb').logs(10, 'api'))
    expect(await retention.prune()).toBe(2500)
    expect(count("SELECT count(*) AS n FROM log_lines WHERE workspace = 'web'")).toBe(1000)
    expect(count("SELECT min(seq) AS n FROM log_lines WHERE workspace = 'web'")).toBe(2500)
    expect(count("SELECT count(*) AS n FROM log_lines WHERE workspace = 'api'")).toBe(10)
    expect(count("SELECT count(*) AS n FROM log_lines_fts WHERE log_lines_fts MATCH 'web'")).toBe(1000)
  })

  it('drops lines, timeline entries and errors past their age', async () => {
    const { writer, retention, count } = setup({ logLinesPerWorkspace: 1000, logDays: 1, eventDays: 2 }, START + 1.5 * DAY)
    const stream = new RecordStream('aaaaaaaaaaaaaaaa')
    writer.write('web', 'c1', [...stream.logs(5), stream.next(errorBody('boom')), stream.next({ type: 'restart', attempt: 1, delayMs: 10, reason: 'x' })])
    await retention.prune()
    expect(count('SELECT count(*) AS n FROM log_lines')).toBe(0)
    expect(count('SELECT count(*) AS n FROM history_events')).toBe(1)
    expect(count('SELECT count(*) AS n FROM error_groups')).toBe(1)
  })

  it('purges everything of one workspace and nothing of another', async () => {
    const { writer, retention, count } = setup({ logLinesPerWorkspace: 1000, logDays: 14, eventDays: 90 }, START)
    const web = new RecordStream('aaaaaaaaaaaaaaaa')
    writer.write('web', 'c1', [...web.logs(2500), web.next(errorBody('boom')), web.next({ type: 'restart', attempt: 1, delayMs: 10, reason: 'x' })])
    writer.write('api', 'c2', new RecordStream('bbbbbbbbbbbbbbbb').logs(3, 'api'))
    await retention.purge('web')
    for (const table of ['log_lines', 'history_events', 'error_groups', 'error_occurrences', 'history_cursors']) {
      expect(count(`SELECT count(*) AS n FROM ${table} WHERE workspace = 'web'`)).toBe(0)
    }
    expect(count("SELECT count(*) AS n FROM log_lines_fts WHERE log_lines_fts MATCH 'line'")).toBe(0)
    expect(count("SELECT count(*) AS n FROM log_lines WHERE workspace = 'api'")).toBe(3)
  })
})
