import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { dockerRecords, expectedKeys, monitoredWorkspace, printer, startApp, storedKeys } from '../support/history-fixtures'
import { tempSandlotHome } from '../support/run-cli'
import { SecondEngine } from '../support/second-engine'
import { waitFor } from '../support/wait'

// Prints 6000 numbered lines over about 3 s, then exits: the engine stops in the middle.

let engine: SecondEngine
let core: SandlotCore
let tag: string

beforeAll(async () => {
  // The core image is built on the main engine and moved into the disposable one.
  const builder = openSandlotCore({ home: tempSandlotHome() })
  try {
    tag = (await builder.api.call('image.build', { base: testBaseImage() })).tag
  } finally {
    builder.close()
  }
  engine = await SecondEngine.create()
  execFileSync('bash', ['-c', `docker save ${tag} | DOCKER_HOST=unix://${engine.socketPath} docker load -q`], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 })
  const home = tempSandlotHome()
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ engine: { host: engine.endpoint.url } }))
  core = openSandlotCore({ home })
})

afterAll(async () => {
  core?.close()
  // The engine's folder holds its containers and images: removing it cleans up everything this test made.
  await engine?.dispose()
})

describe('history across an engine restart', () => {
  it('stores exactly what the container logged before the engine stopped and after it came back', async () => {
    const name = 'engine-restart'
    const docker = core.engine.connection.docker
    const container = await monitoredWorkspace(core, tag, name, printer(6000, { perBurst: 100, everyMs: 50 }))
    core.history.startLive()
    await startApp(container, '--restart', 'never')
    await waitFor('some lines stored', () => storedKeys(core, container.id).logs.length >= 1000 || undefined)
    await engine.stop()
    await engine.start()
    // The engine stopped the container with it; started again, the monitor resumes the app in a new boot.
    await container.start()
    const records = await waitFor('the second boot done', async () => {
      const all = await dockerRecords(docker, container)
      const boots = [...new Set(all.map((r) => r.boot))]
      return boots.length === 2 && all.some((r) => r.boot === boots[1] && r.type === 'state' && r.to === 'stopped') ? all : undefined
    }, 180_000)
    const expected = expectedKeys(records)
    await waitFor('everything stored', () => {
      const stored = storedKeys(core, container.id)
      return stored.logs.length >= expected.logs.length && stored.events.length >= expected.events.length ? stored : undefined
    })
    const stored = storedKeys(core, container.id)
    expect(stored.logs).toEqual(expected.logs)
    expect(stored.events).toEqual(expected.events)
    expect(stored.gaps).toEqual([])
  })
})
