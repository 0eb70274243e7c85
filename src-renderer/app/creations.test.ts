import { describe, expect, it } from 'vitest'
import type { Workspace } from '../../src-main/core/contract'
import { CreationStore, creationsNotListed, latestCreation } from './creations'

const template = { id: 'shell', name: 'Shell', icon: '🐚' }
const workspace = { name: 'one', status: 'ready' } as Workspace

describe('creation store', () => {
  it('feeds each running creation its own progress events, and tells listeners', () => {
    const store = new CreationStore()
    let changes = 0
    store.subscribe(() => changes++)
    const one = store.begin('one', template)
    store.begin('two', template)
    store.progress({ workspace: 'one', phase: 'inject', message: 'Copying the template into /app', fraction: 0.2 })
    store.progress({ workspace: 'someone-else', phase: 'inject', message: 'not ours', fraction: 0.2 })
    const [first, second] = store.snapshot()
    expect(first).toMatchObject({ id: one, name: 'one', outcome: { state: 'running' }, progress: { phase: 'inject', fraction: 0.2 } })
    expect(second?.progress.log).toEqual([])
    expect(changes).toBe(3)
  })

  it('gives image progress to the creations still waiting for a container', () => {
    const store = new CreationStore()
    store.begin('waiting', template)
    store.begin('further', template)
    store.progress({ workspace: 'further', phase: 'inject', message: 'Copying', fraction: 0.2 })
    store.image({ task: 'image.build', fraction: 0.5, message: 'Step 6/12' })
    const [waiting, further] = store.snapshot()
    expect(waiting?.progress.image?.message).toBe('Step 6/12')
    expect(further?.progress.image).toBeUndefined()
  })

  it('stops feeding a settled creation, and keeps snapshots immutable', () => {
    const store = new CreationStore()
    const id = store.begin('one', template)
    const before = store.snapshot()
    store.settle(id, { state: 'failed', error: { code: 'CONFLICT', message: 'A workspace named "one" already exists.' } })
    store.progress({ workspace: 'one', phase: 'inject', message: 'late', fraction: 0.2 })
    expect(store.snapshot()[0]).toMatchObject({ outcome: { state: 'failed' }, progress: { phase: 'claim' } })
    expect(before[0]?.outcome.state).toBe('running')
    // Ignored events change nothing, so views do not re-render for them.
    const settled = store.snapshot()
    store.progress({ workspace: 'nobody', phase: 'claim', message: 'x' })
    expect(store.snapshot()).toBe(settled)
  })

  it('dismisses creations from the view, and keeps only the last finished ones', () => {
    const store = new CreationStore()
    const running = store.begin('running', template)
    for (let i = 0; i < 25; i++) store.settle(store.begin(`done-${i}`, template), { state: 'ready', workspace })
    store.dismiss(running)
    const all = store.snapshot()
    expect(all).toHaveLength(21)
    expect(all[0]).toMatchObject({ name: 'running', dismissed: true })
    expect(all[1]?.name).toBe('done-5')
  })

  it('finds the newest creation of a name, and the running ones the list does not have yet', () => {
    const store = new CreationStore()
    const first = store.begin('web', template)
    store.settle(first, { state: 'failed', error: { code: 'INSTALL_FAILED', message: 'npm ci exited with code 1.' } })
    const second = store.begin('web', template)
    store.begin('api', template)
    expect(latestCreation(store.snapshot(), 'web')?.id).toBe(second)
    expect(creationsNotListed(store.snapshot(), [{ name: 'web' }]).map((c) => c.name)).toEqual(['api'])
  })
})
