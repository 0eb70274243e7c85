import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackgroundStatus } from '../../src-main/core/contract'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { tempSandlotHome } from '../support/run-cli'
import { waitFor } from '../support/wait'

const MISSING_BASE = 'sandlot/does-not-exist:1'

let base: string
let core: SandlotCore
const problems: string[] = []
const seen: BackgroundStatus[] = []
/** How many times background work has looked at the image: its ticks. */
let looks = 0

beforeAll(async () => {
  base = testBaseImage()
  const home = tempSandlotHome()
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: MISSING_BASE }, pool: { size: 1 } }))
  // As `sandlot serve` opens it, with a short refill period so that many ticks pass.
  core = openSandlotCore({ home, poolRefillIntervalMs: 200, onBackgroundProblem: (m) => problems.push(m) })
  // The core image for the good base, built beforehand (what `sandlot image build` does), so only the setting is wrong.
  await core.api.call('image.build', { base })
  const status = core.image.status.bind(core.image)
  core.image.status = (override?: string) => {
    looks++
    return status(override)
  }
  core.api.subscribe('system.background', (s) => seen.push(s))
})

afterAll(async () => {
  await removeInstanceObjects(core.engine.connection.docker, core.instanceId)
  core.close()
})

describe('background work reports what stands in its way', () => {
  it('reports a pool that cannot warm for want of its base image once, then recovers when image.base is fixed', async () => {
    core.startBackgroundWork()
    const background = (): Promise<BackgroundStatus> => core.api.call('system.background', {})
    await waitFor('the pool reported failing', async () => (await background()).pool.state === 'failing', 60_000)
    const failing = await background()
    expect(failing.image).toMatchObject({ state: 'missing', base: MISSING_BASE })
    expect(failing.pool).toMatchObject({ state: 'failing', target: 1, warm: 0 })
    expect(failing.pool.problem?.message).toContain(`its base image ${MISSING_BASE} is not on the engine`)
    expect(failing.pool.problem?.hint).toContain('sandlot image build --base IMAGE')

    // Many more ticks: the same cause is not said again, and its first-seen time stays.
    const after = looks
    await waitFor('five more ticks', () => looks >= after + 5, 60_000)
    expect((await background()).pool.problem?.since).toBe(failing.pool.problem?.since)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(MISSING_BASE)

    await core.api.call('settings.update', { image: { base } })
    await waitFor('the pool warm again', async () => (await background()).pool.state === 'ready', 60_000)
    const recovered = await background()
    expect(recovered.image).toMatchObject({ state: 'built', base })
    expect(recovered.image.problem).toBeUndefined()
    expect(recovered.pool).toEqual({ state: 'ready', target: 1, warm: 1 })
    expect(problems).toEqual([problems[0], 'The workspace pool recovered: 1 of 1 warm.'])
    // Windows hear of both states as they happen.
    expect(seen.some((s) => s.pool.state === 'failing')).toBe(true)
    expect(seen.at(-1)).toEqual(recovered)
  })
})
