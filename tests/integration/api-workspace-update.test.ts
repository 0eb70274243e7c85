import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventPayload, Workspace } from '../../src-main/core/contract'
import { Sandlot } from '../../src-main/sdk'
import { startApiServer, type ApiServer } from '../support/api-server'
import { tempSandlotHome } from '../support/run-cli'
import { waitFor } from '../support/wait'

// PATCH /api/workspaces/{name} and the SDK's sandbox.update() over real HTTP, against the real engine.
const home = tempSandlotHome()
const name = `patch-${Math.random().toString(16).slice(2, 8)}`
let api: ApiServer

beforeAll(async () => {
  api = await startApiServer(home)
  await api.core.api.call('workspaces.create', { template: 'shell', name })
}, 600_000)

afterAll(async () => {
  await api?.close()
})

const patch = (path: string, body: unknown, token?: string | null) => api.call('PATCH', path, { body: JSON.stringify(body), ...(token === undefined ? {} : { token }) })

describe('changing a workspace through the REST API', () => {
  it('sets its idle stop and back to the setting, answering the workspace; subscribers hear of it', async () => {
    const changes: Array<EventPayload<'workspaces.changed'>> = []
    const unsubscribe = api.core.api.subscribe('workspaces.changed', (change) => change.name === name && changes.push(change))
    try {
      const set = await patch(`/api/workspaces/${name}`, { idleStopMinutes: 25 })
      expect(set.status).toBe(200)
      expect((await set.json()) as Workspace).toMatchObject({ name, container: 'running', idleStopMinutes: 25 })
      expect(((await (await api.call('GET', `/api/workspaces/${name}`)).json()) as Workspace).idleStopMinutes).toBe(25)
      await waitFor('the change event', () => changes.find((c) => c.workspace?.idleStopMinutes === 25))

      const back = await patch(`/api/workspaces/${name}`, { idleStopMinutes: null })
      expect(back.status).toBe(200)
      expect(await back.json()).not.toHaveProperty('idleStopMinutes')
    } finally {
      unsubscribe()
    }
  })

  it('refuses a bad value with 422 in the contract’s words, an unknown workspace with 404, no token with 401, changing nothing', async () => {
    await patch(`/api/workspaces/${name}`, { idleStopMinutes: 15 })
    for (const bad of [{ idleStopMinutes: 10_081 }, { idleStopMinutes: 2.5 }, {}, { idleStopMinutes: 5, memory: '1g' }]) {
      const refused = await patch(`/api/workspaces/${name}`, bad)
      expect(refused.status, JSON.stringify(bad)).toBe(422)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST')
    }
    const range = await patch(`/api/workspaces/${name}`, { idleStopMinutes: 10_081 })
    expect(((await range.json()) as { error: { message: string } }).error.message).toMatch(/give a whole number of minutes from 0 \(never\) to 10080 \(a week\)/)
    const unknown = await patch(`/api/workspaces/${name}x`, { idleStopMinutes: 5 })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND', hint: 'See them with `sandlot ls`.' } })
    expect((await patch(`/api/workspaces/${name}`, { idleStopMinutes: 5 }, null)).status).toBe(401)
    expect((await api.core.api.call('workspaces.get', { name })).idleStopMinutes).toBe(15)
  })

  it('is sandbox.update() in the SDK, with the API’s refusals as SandlotApiError', async () => {
    const sandlot = await Sandlot.connect({ url: api.server.url, token: api.token })
    const sandbox = await sandlot.workspaces.get(name)
    expect(await sandbox.update({ idleStopMinutes: 0 })).toMatchObject({ name, idleStopMinutes: 0 })
    expect(sandbox.info.idleStopMinutes).toBe(0)
    await expect(sandbox.update({ idleStopMinutes: 10_081 })).rejects.toMatchObject({ name: 'SandlotApiError', status: 422, code: 'BAD_REQUEST' })
    expect((await sandbox.refresh()).idleStopMinutes).toBe(0)
    expect(await sandbox.update({ idleStopMinutes: null })).not.toHaveProperty('idleStopMinutes')
  })
})
