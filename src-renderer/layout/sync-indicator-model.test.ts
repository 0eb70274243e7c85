import { describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../src-main/core/contract'
import { FAR_BEHIND_MS, syncIndicator } from './sync-indicator-model'

const status = (over: Partial<SyncStatus>): SyncStatus => ({
  enabled: true,
  url: 'https://orchestrator.example',
  lastAckAt: null,
  waiting: 0,
  lagMs: 0,
  droppedLines: 0,
  droppedEvents: 0,
  droppedErrors: 0,
  lastError: null,
  ...over
})
const failure = { at: '2030-01-01T10:00:00.000Z', message: 'The orchestrator refused the token.', hint: 'Set sync.token.' }

describe('sync indicator', () => {
  it('says nothing while sync is off (even with an old error) or keeping up', () => {
    expect(syncIndicator(undefined)).toBeUndefined()
    expect(syncIndicator(status({ enabled: false, lastError: failure }))).toBeUndefined()
    expect(syncIndicator(status({}))).toBeUndefined()
    expect(syncIndicator(status({ waiting: 40, lagMs: FAR_BEHIND_MS - 1 }))).toBeUndefined()
  })

  it('says failing, or how far behind, when it is on', () => {
    expect(syncIndicator(status({ lastError: failure, waiting: 3 }))).toEqual({ tone: 'error', text: 'Sync failing', title: 'The orchestrator refused the token. 3 records waiting. Open Settings for what to do.' })
    expect(syncIndicator(status({ waiting: 1, lagMs: 2 * 3_600_000 }))).toMatchObject({ tone: 'warn', text: 'Sync 2 h behind' })
  })
})
