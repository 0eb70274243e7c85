import { describe, expect, it } from 'vitest'
import { appStatusText } from './app-status'

const at = '2030-01-01T10:00:00.000Z'

describe('appStatusText (the CLI and the window)', () => {
  it('says the state, the restarts when there were any, and the last exit only while the app is down', () => {
    expect(appStatusText({ state: 'idle', restarts: 0 })).toBe('no app')
    expect(appStatusText({ state: 'ready', restarts: 0, lastExit: { code: 1, signal: null, at } })).toBe('ready')
    expect(appStatusText({ state: 'ready', restarts: 5 })).toBe('ready (5 restarts)')
    expect(appStatusText({ state: 'backing-off', restarts: 1, lastExit: { code: 1, signal: null, at } })).toBe('restarting (1 restart, exit 1)')
    expect(appStatusText({ state: 'failed', restarts: 5, lastExit: { code: null, signal: 'SIGKILL', at } })).toBe('gave up (5 restarts, exit SIGKILL)')
    expect(appStatusText({ state: 'crashed', restarts: 0 })).toBe('crashed')
  })
})
