import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineEvent, EngineStatus } from '../../src-main/core/contract'
import {
  EngineConnection,
  followEngineEvents,
  resolveEngineEndpoint,
  toDockerodeOptions
} from '../../src-main/core/engine'
import { importEmptyImage, SecondEngine } from '../support/second-engine'

const instance = `test-${randomBytes(4).toString('hex')}`
const labels = { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': instance }
const image = `sandlot-test/empty:${instance}`

let engine: SecondEngine
let connection: EngineConnection | undefined

async function waitFor(what: string, condition: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

function createContainer(docker: Dockerode): Promise<Dockerode.Container> {
  // The image has no files: the container is only created, never started.
  return docker.createContainer({ Image: image, Cmd: ['/none'], Labels: labels, HostConfig: { NetworkMode: 'none' } })
}

beforeAll(async () => {
  engine = await SecondEngine.create()
  await importEmptyImage(new Dockerode(toDockerodeOptions(engine.endpoint)), image, labels)
})

afterAll(async () => {
  connection?.close()
  // The engine's folder holds all its containers and images: removing it cleans up everything this test made.
  await engine?.dispose()
})

describe('an engine that stops and starts again', () => {
  it('goes unreachable, reconnects, and its events stream carries on across the restart', async () => {
    connection = new EngineConnection(engine.endpoint, { backoff: { initialMs: 200, maxMs: 2000 } })
    const statuses: EngineStatus[] = []
    connection.onStatus((status) => statuses.push(status))
    connection.watch()
    await waitFor('connected', () => connection?.status.state === 'connected')

    const events: EngineEvent[] = []
    const filters = { label: [`dev.sandlot.instance=${instance}`] }
    const subscription = followEngineEvents(connection, { filters }, (event) => events.push(event))
    try {
      await subscription.opened
      const before = await createContainer(connection.docker)
      await waitFor('the event before the stop', () => events.some((event) => event.id === before.id))

      await engine.stop()
      await waitFor('unreachable', () => connection?.status.state === 'unreachable')
      expect(connection.status).toMatchObject({
        state: 'unreachable',
        message: expect.stringMatching(
          new RegExp(`^Docker engine not reachable at unix://${engine.socketPath} \\(connect (ENOENT|ECONNREFUSED)\\)$`)
        ),
        hint: expect.stringMatching(/^Docker engine not reachable: check the engine host in Sandlot settings/),
        attempt: expect.any(Number),
        nextAttemptAt: expect.any(String)
      })

      await engine.start()
      await waitFor('connected again', () => connection?.status.state === 'connected')
      const after = await createContainer(connection.docker)
      await waitFor('the event after the restart', () => events.some((event) => event.id === after.id))

      expect(events.map((event) => [event.id, event.action])).toEqual([
        [before.id, 'create'],
        [after.id, 'create']
      ])
      const states = statuses.map((status) => status.state)
      expect(states.slice(0, 2)).toEqual(['connected', 'unreachable'])
      expect(states.at(-1)).toBe('connected')
    } finally {
      subscription.close()
    }
  })

  it('leaves the main engine running', async () => {
    const main = new EngineConnection(
      resolveEngineEndpoint({ env: process.env, platform: process.platform, homedir: os.homedir() })
    )
    try {
      expect((await main.check()).state).toBe('connected')
    } finally {
      main.close()
    }
  })
})
