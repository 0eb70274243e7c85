import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { runSandlot, tempSandlotHome } from '../support/run-cli'

// `workspaces.maxRunning` at 1 while creates and starts race, in one core, in two cores on one database, and in
// two CLI processes on one data folder: exactly one wins each race, and the loser leaves nothing behind.
const home = tempSandlotHome()
const env = { SANDLOT_HOME: home }
let core: SandlotCore
let docker: Dockerode
// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const id = Math.random().toString(16).slice(2, 8)

beforeAll(async () => {
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 0 }, workspaces: { maxRunning: 1 } }))
  core = openSandlotCore({ home })
  docker = core.engine.connection.docker
  await core.api.call('image.build', { base: testBaseImage() })
})

afterAll(async () => {
  await removeInstanceObjects(docker, core.instanceId)
  core.close()
})

const refusal = (winner: string): { code: string; message: string } => ({
  code: 'CONFLICT',
  message: `1 workspace runs already, the most workspaces.maxRunning allows (1): ${winner}.`
})

/** Of a race's outcomes, the one that won and the refusals of the others. */
function settle<T>(names: string[], outcomes: Array<PromiseSettledResult<T>>): { winner: string; losers: string[]; refusals: unknown[] } {
  const won = names.filter((_, i) => outcomes[i]!.status === 'fulfilled')
  expect(won).toHaveLength(1)
  const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []))
  return { winner: won[0]!, losers: names.filter((n) => n !== won[0]), refusals }
}

/** Nothing of a refused create: no row, no container, no slot held. */
async function expectNothingOf(name: string): Promise<void> {
  expect((await core.workspaces.list()).map((w) => w.name)).not.toContain(name)
  expect(await docker.getContainer(`sandlot-${name}`).inspect().then(() => 'made', () => 'none')).toBe('none')
}

async function removeAll(): Promise<void> {
  for (const w of await core.workspaces.list()) await core.workspaces.remove(w.name, { force: true })
}

describe('the running cap under races, on the real engine', () => {
  it('lets exactly one of two creates at once in one core run, refusing the other with nothing left', async () => {
    const names = [`race-a-${id}`, `race-b-${id}`]
    const outcomes = await Promise.allSettled(names.map((name) => core.workspaces.create({ template: 'shell', name })))
    const { winner, losers, refusals } = settle(names, outcomes)
    expect(refusals).toEqual([expect.objectContaining(refusal(winner))])
    for (const loser of losers) await expectNothingOf(loser)
    expect((await core.workspaces.get(winner)).container).toBe('running')
    await removeAll()
  })

  it('lets exactly one of two creates at once from two cores on the same database run', async () => {
    const other = openSandlotCore({ home })
    try {
      const names = [`two-a-${id}`, `two-b-${id}`]
      const outcomes = await Promise.allSettled([core.workspaces.create({ template: 'shell', name: names[0]! }), other.workspaces.create({ template: 'shell', name: names[1]! })])
      const { winner, losers, refusals } = settle(names, outcomes)
      expect(refusals).toEqual([expect.objectContaining(refusal(winner))])
      for (const loser of losers) await expectNothingOf(loser)
    } finally {
      other.close()
    }
    await removeAll()
  })

  it('lets exactly one of two `sandlot create` processes at once on one data folder run', async () => {
    const names = [`cli-a-${id}`, `cli-b-${id}`]
    const runs = await Promise.all(names.map((name) => runSandlot(['create', '--template', 'shell', '--name', name, '--json'], env)))
    expect(runs.map((r) => r.code).sort()).toEqual([0, 1])
    const winner = names[runs.findIndex((r) => r.code === 0)]!
    const loser = runs.find((r) => r.code === 1)!
    expect(JSON.parse(loser.stdout).error).toMatchObject(refusal(winner))
    await expectNothingOf(names.find((n) => n !== winner)!)
    await removeAll()
  })

  it('refuses a start of a stopped workspace at the cap, and lets exactly one of two starts at once run', async () => {
    const [first, second] = [`start-a-${id}`, `start-b-${id}`]
    await core.workspaces.create({ template: 'shell', name: first })
    await core.workspaces.stop(first)
    await core.workspaces.create({ template: 'shell', name: second })
    await expect(core.workspaces.start(first)).rejects.toMatchObject(refusal(second))
    expect((await core.workspaces.get(first)).container).toBe('exited')
    // A restart starts a stopped one: refused the same way.
    await expect(core.workspaces.restart(first)).rejects.toMatchObject(refusal(second))
    expect((await core.workspaces.get(first)).container).toBe('exited')

    await core.workspaces.stop(second)
    const other = openSandlotCore({ home })
    try {
      const outcomes = await Promise.allSettled([core.workspaces.start(first), other.workspaces.start(second)])
      const { winner, losers, refusals } = settle([first, second], outcomes)
      expect(refusals).toEqual([expect.objectContaining(refusal(winner))])
      expect((await core.workspaces.get(losers[0]!)).container).toBe('exited')
      expect((await core.workspaces.get(winner)).container).toBe('running')
    } finally {
      other.close()
    }
    await removeAll()
  })
})
