import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventPayload, TimelineEvent } from '../../src-main/core/contract'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { tempSandlotHome } from '../support/run-cli'
import { waitFor } from '../support/wait'

// The Node HTTP API template left broken: `node --watch` stays alive after the syntax error, its port does not
// answer, and the monitor checks it every 5 s (the template's default) for as long as it stays that way.
const home = tempSandlotHome()
const name = `sick-${Math.random().toString(16).slice(2, 8)}`
let core: SandlotCore
const live: Array<EventPayload<'history.events'>> = []

beforeAll(async () => {
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 0 } }))
  core = openSandlotCore({ home })
  await core.api.call('image.build', { base: testBaseImage() })
  core.startBackgroundWork()
  core.api.subscribe('history.events', (payload) => live.push(payload))
  await core.api.call('workspaces.create', { template: 'node-api', name })
}, 600_000)

afterAll(async () => {
  try {
    await removeInstanceObjects(core.engine.connection.docker, core.instanceId)
  } finally {
    core.close()
  }
})

async function processStatus(): Promise<{ state: string; health: { consecutiveFailures: number } }> {
  return (await core.api.call('workspaces.process', { name, action: 'status' })) as never
}

async function sh(script: string, stdin?: string): Promise<void> {
  const result = await core.api.call('workspaces.exec', { name, command: 'sh', args: ['-c', script], ...(stdin === undefined ? {} : { stdin }) })
  expect(result.exitCode, result.stderr).toBe(0)
}

const healthOf = (events: TimelineEvent[]): unknown[] => events.filter((e) => e.kind === 'health').map((e) => [e.ok, e.summary])

describe('an app unhealthy for a while', () => {
  it('is recorded as one turn to unhealthy and one recovery, not one entry per failed check', async () => {
    // Everything up to its readiness stored first, so only the broken period comes after.
    const before = await waitFor('the readiness stored', async () => {
      const events = await core.api.call('history.events', { workspace: name })
      return events.some((e) => e.kind === 'state' && e.state === 'ready') ? events : undefined
    })
    const since = Math.max(...before.map((e) => e.id))
    const liveBefore = live.length
    const original = (await core.api.call('workspaces.exec', { name, command: 'cat', args: ['app.js'] })).stdout
    await sh('printf "export function handle( {\\n" > app.js')
    // Six failed checks in a row (about 30 s): the old monitor wrote a record for each.
    await waitFor('six failed checks in a row', async () => {
      const status = await processStatus()
      return status.state === 'unhealthy' && status.health.consecutiveFailures >= 6
    }, 120_000)
    // node --watch stops watching a module whose import failed: the fix is seen through server.js.
    await sh('cat > app.js && touch server.js', original)
    await waitFor('ready again', async () => (await processStatus()).state === 'ready', 60_000)

    const after = (await core.api.call('history.events', { workspace: name })).filter((e) => e.id > since)
    expect(healthOf(after)).toEqual([
      [false, 'port 3000 does not answer (2 checks in a row)'],
      [true, 'port 3000 answers again']
    ])
    expect(after.filter((e) => e.kind === 'state').map((e) => `${e.from}→${e.state}`)).toEqual(['ready→unhealthy', 'unhealthy→ready'])
    // The live events (the window, notifications, sync's nudge) carried the same two, no more.
    await waitFor('the recovery sent live', () => live.slice(liveBefore).some((p) => p.event.kind === 'health' && p.event.ok === true))
    expect(healthOf(live.slice(liveBefore).map((p) => p.event))).toEqual(healthOf(after))
  }, 240_000)
})
