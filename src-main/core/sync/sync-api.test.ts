import { afterEach, describe, expect, it } from 'vitest'
import { SyncReceiver } from '../../../tests/support/sync-receiver'
import { waitFor } from '../../../tests/support/wait'
import type { Workspace } from '../contract'
import { HistoryWriter } from '../history/history-writer'
import { RecordStream, testDatabases } from '../history/testing/records'
import { createSync, syncWorkspace } from './sync-api'

const fresh = testDatabases()
const receivers: SyncReceiver[] = []
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.stop()
})

const base: Workspace = { name: 'web', templateId: 'node-api', containerId: 'f'.repeat(64), status: 'ready', phase: 'ready', container: 'running', createdAt: '2030-01-01T09:00:00.000Z' }

describe('sync in the core', () => {
  it('says each failure once per cause where the process logs, and the recovery, never the token', async () => {
    const { database } = fresh()
    const receiver = await new SyncReceiver().start()
    receivers.push(receiver)
    receiver.refuse(503, 4)
    const problems: string[] = []
    const sync = createSync({
      sqlite: database.sqlite,
      settings: () => ({ url: receiver.url, token: receiver.token }),
      workspaces: async () => [],
      onProblem: (message) => problems.push(message),
      timing: { sendAfterMs: 10, pollMs: 20, backoff: { initialMs: 10, maxMs: 40, factor: 2, jitter: 0.5 } }
    })
    new HistoryWriter(database.sqlite, () => 0).write('web', 'f'.repeat(64), new RecordStream().logs(3))
    sync.service.start()
    await waitFor('stored after the refusals', () => receiver.records.size === 3)
    await waitFor('the recovery said', () => problems.length === 2)
    await sync.service.stop()
    expect(problems).toEqual([expect.stringMatching(/^Sync: The orchestrator answered 503: .*retries with growing pauses/), 'Sync: the orchestrator acknowledges again.'])
    expect(problems.join('\n')).not.toContain(receiver.token)
  })

  it('shows a workspace by its create status, its container, then its app', () => {
    expect(syncWorkspace({ ...base, status: 'failed' }).state).toBe('failed')
    expect(syncWorkspace({ ...base, container: 'exited' }).state).toBe('exited')
    expect(syncWorkspace({ ...base, app: { state: 'crashed', restarts: 1, unreadErrors: 1 } } as Workspace)).toEqual({
      name: 'web',
      template: 'node-api',
      state: 'crashed',
      container: 'f'.repeat(64),
      createdAt: '2030-01-01T09:00:00.000Z'
    })
  })
})
