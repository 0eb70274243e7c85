import { describe, expect, it } from 'vitest'
import { describeDuration, describeSyncStatus } from './sync-status-text'

const on = { enabled: true, url: 'https://o.example', lastAckAt: '2030-01-01T10:00:00.000Z', waiting: 0, lagMs: 0, droppedLines: 0, droppedEvents: 0, droppedErrors: 0, lastError: null }
const at = Date.parse('2030-01-01T10:00:00.000Z')

describe('the sync status in words', () => {
  it('says up to date, waiting or failing, with the facts', () => {
    expect(describeSyncStatus(on, at + 2000)).toEqual({
      headline: 'Up to date',
      tone: 'ok',
      rows: [
        ['orchestrator', 'https://o.example'],
        ['last acknowledged', '2030-01-01T10:00:00.000Z (just now)'],
        ['waiting', '0 records'],
        ['lag', 'none'],
        ['lines dropped', '0']
      ]
    })
    const busy = describeSyncStatus({ ...on, waiting: 1, lagMs: 1500 }, at + 3 * 60_000)
    expect(busy).toMatchObject({ headline: '1 record waiting', tone: 'busy' })
    expect(busy.rows).toContainEqual(['last acknowledged', '2030-01-01T10:00:00.000Z (3 min ago)'])
    expect(busy.rows).toContainEqual(['lag', '1.5 s'])
    expect(describeSyncStatus({ ...on, lastError: { at: on.lastAckAt, message: 'down', hint: 'wait' } }, at)).toMatchObject({ headline: 'Failing', tone: 'failing' })
    expect(describeSyncStatus({ ...on, droppedLines: 7, droppedEvents: 1, droppedErrors: 3 }, at).rows.slice(-2)).toEqual([
      ['lines dropped', '7'],
      ['also dropped', '1 event, 3 errors (deleted by retention before they were sent; reported as gaps)']
    ])
  })

  it('says how to turn it on when off', () => {
    expect(describeSyncStatus({ ...on, enabled: false, url: null, lastAckAt: null }, at)).toEqual({ headline: 'Off', tone: 'off', rows: [['to turn on', expect.stringContaining('sync.url and sync.token')]] })
    expect(describeSyncStatus({ ...on, enabled: false, url: null, lastAckAt: null }, at, { turnOn: 'fill in the fields above.' }).rows).toEqual([['to turn on', 'fill in the fields above.']])
  })

  it('gives durations in the unit that reads best', () => {
    expect([800, 4200, 185_000, 7_500_000, 7_200_000, 3 * 86_400_000].map(describeDuration)).toEqual(['800 ms', '4.2 s', '3 min', '2 h 5 min', '2 h', '3 d'])
  })
})
