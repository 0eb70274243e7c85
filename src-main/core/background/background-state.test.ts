import { describe, expect, it } from 'vitest'
import type { BackgroundStatus, ImageStatus } from '../contract'
import { SandlotError } from '../sandlot-error'
import { BackgroundState } from './background-state'

function setup() {
  const reports: string[] = []
  const changes: BackgroundStatus[] = []
  let clock = Date.parse('2026-01-01T00:00:00Z')
  const state = new BackgroundState({ onChange: (s) => changes.push(s), report: (m) => reports.push(m), now: () => new Date(clock) })
  return { state, reports, changes, tick: (ms: number) => (clock += ms) }
}

const missingBase: ImageStatus = { tag: 'sandlot/core:aaa', present: false, base: 'sandlot/does-not-exist:1', stale: [] }
const builtImage: ImageStatus = { tag: 'sandlot/core:bbb', present: true, base: 'node:22', baseId: 'sha256:1', stale: [] }

describe('BackgroundState', () => {
  it('reports a pool that cannot warm for want of a base image once, with its first-seen time, while ticks repeat it', () => {
    const { state, reports, changes, tick } = setup()
    state.imageChecked(missingBase)
    state.poolWithoutImage(2, missingBase)
    const first = state.status.pool
    tick(60_000)
    state.imageChecked(missingBase)
    state.poolWithoutImage(2, missingBase)
    expect(state.status.image.state).toBe('missing')
    expect(state.status.pool).toEqual(first)
    expect(first.state).toBe('failing')
    expect(first.problem?.message).toContain('sandlot/does-not-exist:1 is not on the engine')
    expect(first.problem?.hint).toContain('sandlot image build --base IMAGE')
    expect(first.problem?.since).toBe('2026-01-01T00:00:00.000Z')
    expect(reports).toHaveLength(1)
    // Two changes (image, pool), none from the repeated tick.
    expect(changes).toHaveLength(2)
  })

  it('says when the cause is gone, once', () => {
    const { state, reports } = setup()
    state.poolWithoutImage(2, missingBase)
    state.imageChecked(builtImage)
    state.poolFilled(2, 2)
    state.poolFilled(2, 2)
    expect(state.status).toEqual({ image: { state: 'built', base: 'node:22', tag: 'sandlot/core:bbb' }, pool: { state: 'ready', target: 2, warm: 2 } })
    expect(reports).toEqual([expect.stringContaining('cannot warm'), 'The workspace pool recovered: 2 of 2 warm.'])
  })

  it('reports a new cause when the message changes, and keeps the time while it does not', () => {
    const { state, reports, tick } = setup()
    state.poolFailed(1, 0, new Error('no space'))
    tick(1000)
    state.poolFailed(1, 0, new Error('no space'))
    expect(state.status.pool.problem?.since).toBe('2026-01-01T00:00:00.000Z')
    state.poolFailed(1, 0, new Error('port in use'))
    expect(state.status.pool.problem?.since).toBe('2026-01-01T00:00:01.000Z')
    expect(reports).toEqual(['Filling the workspace pool failed: no space', 'Filling the workspace pool failed: port in use'])
  })

  it('follows a build: progress, then a failure with its hint that a later look at the same base does not hide', () => {
    const { state, reports } = setup()
    state.buildStarted('node:22')
    state.buildProgress({ task: 'image.build', fraction: 0.5, message: 'Step 3/6' })
    expect(state.status.image).toEqual({ state: 'building', base: 'node:22', progress: { task: 'image.build', fraction: 0.5, message: 'Step 3/6' } })
    state.buildEnded('node:22', { error: new SandlotError('IMAGE_BUILD_FAILED', 'Building the core image failed: boom', 'free some disk') })
    state.imageChecked({ ...builtImage, present: false })
    expect(state.status.image.state).toBe('failed')
    expect(state.status.image.problem).toMatchObject({ message: 'Building the core image failed: boom', hint: 'free some disk' })
    // Another base: the old failure no longer says anything about it.
    state.imageChecked({ ...builtImage, base: 'node:20', present: false })
    expect(state.status.image.state).toBe('missing')
    expect(reports).toEqual(['Building the core image failed: boom\n  free some disk', "The core image's last failure no longer applies: its base is now node:20."])
  })

  it('has nothing to report for a pool that waits for a build its base allows, or is off', () => {
    const { state, reports } = setup()
    state.poolWithoutImage(2, { ...builtImage, present: false })
    expect(state.status.pool).toMatchObject({ state: 'waiting', target: 2, warm: 0 })
    state.poolWithoutImage(0, missingBase)
    expect(state.status.pool).toEqual({ state: 'off', target: 0, warm: 0 })
    expect(reports).toEqual([])
  })
})
