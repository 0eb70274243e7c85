import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EventPayload } from '../contract'
import { openSandlotCore, type SandlotCore } from '../sandlot-core'
import { workspaces } from '../store/schema'
import { PENDING } from './workspace-records'

let core: SandlotCore | undefined
afterEach(() => core?.close())

/** A core with no engine behind it and one made workspace whose container is not recorded (nothing asks the engine about it). */
function coreWithWorkspace(idleStopMinutes: number | null): SandlotCore {
  core = openSandlotCore({ home: mkdtempSync(join(tmpdir(), 'sandlot-update-')), env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } })
  const at = new Date().toISOString()
  core.database.db
    .insert(workspaces)
    .values({ name: 'web', templateId: 'shell', containerId: `${PENDING}web`, status: 'ready', phase: 'ready', idleStopMinutes, createdAt: at, updatedAt: at })
    .run()
  return core
}

describe('workspaces.update', () => {
  it('changes a workspace’s own idle stop, and back to the setting, telling open windows', async () => {
    const c = coreWithWorkspace(null)
    // Change events go out in long-lived processes (the app, `serve`), where windows subscribe.
    c.startBackgroundWork()
    const seen: Array<EventPayload<'workspaces.changed'>> = []
    c.api.subscribe('workspaces.changed', (change) => seen.push(change))
    expect(await c.api.call('workspaces.update', { name: 'web', idleStopMinutes: 30 })).toMatchObject({ name: 'web', idleStopMinutes: 30 })
    // What the idle stop reads at its next check.
    expect(c.workspaces.madeContainers()).toEqual([{ name: 'web', containerId: `${PENDING}web`, idleStopMinutes: 30 }])
    expect((await c.api.call('workspaces.get', { name: 'web' })).idleStopMinutes).toBe(30)
    expect((await c.api.call('workspaces.update', { name: 'web', idleStopMinutes: 0 })).idleStopMinutes).toBe(0)
    const following = await c.api.call('workspaces.update', { name: 'web', idleStopMinutes: null })
    expect(following).not.toHaveProperty('idleStopMinutes')
    await expect.poll(() => seen.map((change) => change.workspace?.idleStopMinutes ?? 'setting')).toEqual([30, 0, 'setting'])
    expect(seen.every((change) => change.name === 'web')).toBe(true)
  })

  it('refuses an unknown workspace with NOT_FOUND and a hint, and a bad value with the contract’s words, changing nothing', async () => {
    const c = coreWithWorkspace(15)
    await expect(c.api.call('workspaces.update', { name: 'wbe', idleStopMinutes: 5 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('No workspace named "wbe"'),
      hint: 'See them with `sandlot ls`.'
    })
    for (const bad of [10_081, -1, 1.5, '30', undefined]) {
      await expect(c.api.call('workspaces.update', { name: 'web', idleStopMinutes: bad })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('give a whole number of minutes from 0 (never) to 10080 (a week)')
      })
    }
    await expect(c.api.call('workspaces.update', { name: 'web', idleStopMinutes: 5, memory: 1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    expect((await c.api.call('workspaces.get', { name: 'web' })).idleStopMinutes).toBe(15)
  })
})
