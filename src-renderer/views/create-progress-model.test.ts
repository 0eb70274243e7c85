import { describe, expect, it } from 'vitest'
import type { CreateProgress } from '../../src-main/core/contract'
import { INITIAL_PROGRESS, LOG_LINES, progressView, rowProgress, withCreateProgress, withImageProgress, type CreateProgressState } from './create-progress-model'

const event = (phase: CreateProgress['phase'], message: string, fraction?: number): CreateProgress => ({
  workspace: 'web',
  phase,
  message,
  ...(fraction === undefined ? {} : { fraction })
})

const replay = (events: CreateProgress[], from: CreateProgressState = INITIAL_PROGRESS): CreateProgressState => events.reduce(withCreateProgress, from)

describe('a creating workspace in the list', () => {
  it('shows the live progress of this window’s creation, the image build first, else the phase only', () => {
    const state = replay([event('install', 'added 12 packages', 0.3)])
    expect(rowProgress(state, 'inject')).toMatchObject({ percent: 30, headline: 'Installing dependencies', message: 'added 12 packages' })
    const building = withImageProgress(INITIAL_PROGRESS, { task: 'image.build', fraction: 0.5, message: 'Step 6/12' })
    expect(rowProgress(building, 'claim')).toEqual({ headline: 'Building the core image (first time only)', message: 'Step 6/12', percent: 50 })
    expect(rowProgress(undefined, 'install')).toEqual({ headline: 'Installing dependencies' })
  })
})

describe('create progress', () => {
  it('follows the phases with their fractions and keeps every message', () => {
    const state = replay([event('claim', 'Preparing the core image', 0), event('claim', 'Took a warm container from the pool', 0.1), event('inject', 'Copying the template into /app', 0.2)])
    expect(state).toMatchObject({ phase: 'inject', fraction: 0.2, message: 'Copying the template into /app' })
    expect(state.log).toEqual(['Preparing the core image', 'Took a warm container from the pool', 'Copying the template into /app'])
    const view = progressView(state, 'running', ['claim', 'inject', 'ready'])
    expect(view).toMatchObject({ percent: 20, headline: 'Copying the template files', message: 'Copying the template into /app' })
    expect(view.steps.map((s) => `${s.phase}:${s.state}`)).toEqual(['claim:done', 'inject:current', 'ready:pending'])
  })

  it('moves the bar along with install output lines, never into the next phase, never back', () => {
    let state = replay([event('install', 'Installing dependencies: npm ci', 0.3)])
    expect(state.fraction).toBe(0.3)
    const seen: number[] = []
    for (let line = 0; line < 500; line++) {
      state = withCreateProgress(state, event('install', `added ${line} packages`, 0.3))
      seen.push(state.fraction)
    }
    expect(seen[0]).toBeGreaterThan(0.3)
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1]!)).toBe(true)
    expect(seen.at(-1)).toBeLessThan(0.8)
    expect(seen.at(-1)).toBeGreaterThan(0.7)
    // The next phase's own fraction takes over; the bar does not jump back when it is lower than the creep.
    expect(withCreateProgress(state, event('start', 'Starting: npm run dev', 0.8)).fraction).toBe(0.8)
    expect(withCreateProgress({ ...state, fraction: 0.5 }, event('install', 'late line', 0.2)).fraction).toBe(0.5)
  })

  it('keeps the output box bounded and drops repeated lines', () => {
    let state = INITIAL_PROGRESS
    for (let line = 0; line < LOG_LINES + 50; line++) state = withCreateProgress(state, event('install', `line ${line}`, 0.3))
    state = withCreateProgress(state, event('install', `line ${LOG_LINES + 49}`, 0.3))
    expect(state.log).toHaveLength(LOG_LINES)
    expect(state.log.at(-1)).toBe(`line ${LOG_LINES + 49}`)
    expect(state.log[0]).toBe('line 50')
    // Lines keep their numbers as older ones are dropped.
    expect(state.logStart).toBe(50)
  })

  it('never goes back to an earlier phase: a late event of one changes nothing', () => {
    const state = replay([event('claim', 'Took a warm container from the pool', 0.1), event('install', 'Installing dependencies: npm ci', 0.3)])
    expect(withCreateProgress(state, event('inject', 'Copying the template into /app', 0.2))).toBe(state)
    expect(withCreateProgress(state, event('install', 'added 1 package', 0.3)).log).toHaveLength(3)
  })

  it('shows the core image build a first create waits for, until the container phases begin', () => {
    let state = replay([event('claim', 'Preparing the core image', 0)])
    state = withImageProgress(state, { task: 'image.build', fraction: 0.25, message: 'Step 3/12 : RUN apt-get install' })
    expect(progressView(state, 'running').image).toEqual({
      headline: 'Building the core image (first time only)',
      message: 'Step 3/12 : RUN apt-get install',
      percent: 25
    })
    state = withImageProgress(state, { task: 'image.pull', message: 'Pulling node:22' })
    expect(progressView(state, 'running').image).toEqual({ headline: 'Downloading the base image (first time only)', message: 'Pulling node:22' })
    expect(state.log).toContain('Step 3/12 : RUN apt-get install')
    const built = withImageProgress(state, { task: 'image.build', fraction: 1, message: 'Built sandlot/core:abc' })
    expect(progressView(built, 'running').image).toBeUndefined()
    const claimed = withCreateProgress(state, event('inject', 'Copying the template into /app', 0.2))
    expect(claimed.image).toBeUndefined()
  })

  it('shows the outcome: all steps done when ready, the current one failed otherwise', () => {
    const state = replay([event('install', 'Installing dependencies: npm ci', 0.3)])
    const ready = progressView(state, 'ready', ['claim', 'inject', 'install', 'ready'])
    expect(ready).toMatchObject({ percent: 100, headline: 'Ready' })
    expect(ready.steps.every((s) => s.state === 'done')).toBe(true)
    const failed = progressView(state, 'failed')
    expect(failed.headline).toBe('Failed')
    expect(failed.steps.map((s) => s.state)).toEqual(['done', 'done', 'failed', 'pending', 'pending'])
    expect(progressView(INITIAL_PROGRESS, 'running')).toMatchObject({ percent: 0, headline: 'Preparing a container' })
  })
})
