import { describe, expect, it } from 'vitest'
import type { CreateProgress, Workspace } from '../../src-main/core/contract'
import { CreationStore, creationNotices, creationsNotListed, followedCreation, lastEnded, LOST_PATIENCE_MS, type CreationStoreOptions } from './creations'
import { immediately } from './store'

const template = { id: 'shell', name: 'Shell', icon: '🐚' }
const workspace = (name: string, status: Workspace['status'] = 'ready'): Workspace => ({
  name,
  templateId: 'shell',
  containerId: 'c1',
  status,
  phase: status === 'creating' ? 'inject' : 'ready',
  container: 'running',
  createdAt: '2025-01-01T12:00:00.000Z'
})

/** A store whose request ids are req-00000001, req-00000002…, on a clock the test moves. */
function setup(options: CreationStoreOptions = {}) {
  let ids = 0
  const clock = { now: 1_000_000 }
  const store = new CreationStore({ newRequestId: () => `req-${String(++ids).padStart(8, '0')}`, now: () => clock.now, schedule: immediately, ...options })
  return { store, clock }
}

const event = (requestId: string | undefined, phase: CreateProgress['phase'], message: string, fraction?: number): CreateProgress => ({
  workspace: 'web',
  ...(requestId === undefined ? {} : { requestId }),
  phase,
  message,
  ...(fraction === undefined ? {} : { fraction })
})

describe('creation store', () => {
  it('feeds a creation only the progress events of its own call, whatever the workspace name', () => {
    const { store } = setup()
    let changes = 0
    store.subscribe(() => changes++)
    const mine = store.begin('web', template)
    expect(mine.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    store.progress(event(mine.requestId, 'inject', 'Copying the template into /app', 0.2))
    // Another client creating "web" too, and a client that sent no requestId: neither is ours.
    store.progress(event('req-someone-else', 'install', 'not ours', 0.3))
    store.progress(event(undefined, 'start', 'not ours either', 0.8))
    const [web] = store.snapshot()
    expect(web).toMatchObject({ outcome: { state: 'running' }, progress: { phase: 'inject', fraction: 0.2, log: ['Copying the template into /app'] } })
    expect(changes).toBe(2)
  })

  it('ignores an event of an earlier phase than the one reached', () => {
    const { store } = setup()
    const { requestId } = store.begin('web', template)
    store.progress(event(requestId, 'install', 'Installing dependencies: npm ci', 0.3))
    const before = store.snapshot()
    store.progress(event(requestId, 'claim', 'late', 0.1))
    expect(store.snapshot()).toBe(before)
    expect(store.snapshot()[0]?.progress).toMatchObject({ phase: 'install', message: 'Installing dependencies: npm ci' })
  })

  it('gives image progress to the creations still waiting for a container', () => {
    const { store } = setup()
    store.begin('waiting', template)
    const further = store.begin('further', template)
    store.progress(event(further.requestId, 'inject', 'Copying', 0.2))
    store.image({ task: 'image.build', fraction: 0.5, message: 'Step 6/12' })
    const [waiting, going] = store.snapshot()
    expect(waiting?.progress.image?.message).toBe('Step 6/12')
    expect(going?.progress.image).toBeUndefined()
  })

  it('stops feeding an ended creation, settles it once, and keeps snapshots immutable', () => {
    const { store } = setup()
    const { id, requestId } = store.begin('one', template)
    const before = store.snapshot()
    store.settle(id, { state: 'failed', error: { code: 'CONFLICT', message: 'A workspace named "one" already exists.' } })
    store.settle(id, { state: 'ready', workspace: workspace('one') })
    store.progress(event(requestId, 'inject', 'late', 0.2))
    expect(store.snapshot()[0]).toMatchObject({ outcome: { state: 'failed' }, progress: { phase: 'claim' } })
    expect(before[0]?.outcome.state).toBe('running')
    // Ignored events change nothing, so views do not re-render for them.
    const settled = store.snapshot()
    store.progress(event('req-nobody00', 'claim', 'x'))
    expect(store.snapshot()).toBe(settled)
  })

  it('keeps only the last finished creations, and says which one ended last even past that cap', () => {
    const { store } = setup()
    const running = store.begin('running', template)
    const older = store.begin('older', template)
    let last: number | undefined
    for (let i = 0; i < 25; i++) {
      const { id } = store.begin(`done-${i}`, template)
      store.settle(id, { state: 'ready', workspace: workspace(`done-${i}`) })
      expect(lastEnded(store.snapshot())).toBe(id)
      last = id
    }
    expect(lastEnded(store.snapshot())).toBe(last)
    // One started earlier but ending now is the newest ending.
    store.settle(older.id, { state: 'failed', error: { code: 'INTERNAL', message: 'x' } })
    expect(lastEnded(store.snapshot())).toBe(older.id)
    store.dismiss(running.id)
    const all = store.snapshot()
    expect(all).toHaveLength(21)
    expect(all[0]).toMatchObject({ name: 'running', dismissed: true })
    expect(all.map((c) => c.name)).toContain('older')
    expect(all.map((c) => c.name)).not.toContain('done-5')
  })

  it('follows only creations under way, and lists those the core does not have yet', () => {
    const { store } = setup()
    const first = store.begin('web', template)
    store.settle(first.id, { state: 'failed', error: { code: 'INSTALL_FAILED', message: 'npm ci exited with code 1.' } })
    // An old failure has no live progress to show for a "web" being created now (by the CLI, say).
    expect(followedCreation(store.snapshot(), 'web')).toBeUndefined()
    const second = store.begin('web', template)
    const api = store.begin('api', template)
    store.lose(api.id)
    expect(followedCreation(store.snapshot(), 'web')?.id).toBe(second.id)
    expect(creationsNotListed(store.snapshot(), [{ name: 'web' }]).map((c) => c.name)).toEqual(['api'])
  })

  it('tells listeners once per flush, however many changes came in between', () => {
    const queue: Array<() => void> = []
    const { store } = setup({ schedule: (flush) => queue.push(flush) })
    let changes = 0
    store.subscribe(() => changes++)
    const { requestId } = store.begin('web', template)
    for (let line = 0; line < 50; line++) store.progress(event(requestId, 'install', `line ${line}`, 0.3))
    expect(store.snapshot()).toEqual([])
    expect(queue).toHaveLength(1)
    queue.shift()!()
    expect(changes).toBe(1)
    expect(store.snapshot()[0]?.progress.message).toBe('line 49')
  })
})

describe('a creation whose answer was lost with the link', () => {
  it('keeps its progress coming and ends the way the core says', () => {
    const { store } = setup()
    const { id, requestId } = store.begin('web', template)
    store.lose(id)
    store.progress(event(requestId, 'inject', 'Copying the template into /app', 0.2))
    expect(store.snapshot()[0]).toMatchObject({ outcome: { state: 'lost', listed: false }, progress: { phase: 'inject' } })
    store.found(id, workspace('web', 'creating'))
    expect(store.snapshot()[0]?.outcome).toEqual({ state: 'lost', listed: true })
    store.found(id, workspace('web', 'ready'))
    expect(store.snapshot()[0]?.outcome).toMatchObject({ state: 'ready', workspace: { name: 'web' } })
    expect(lastEnded(store.snapshot())).toBe(id)
  })

  it('takes a failed workspace’s own error', () => {
    const { store } = setup()
    const { id } = store.begin('web', template)
    store.lose(id)
    const error = { code: 'INSTALL_FAILED', message: 'npm ci exited with code 1.' }
    store.found(id, { ...workspace('web', 'failed'), error })
    expect(store.snapshot()[0]?.outcome).toEqual({ state: 'failed', error })
  })

  it('fails at once when it vanished after it had a container: it was removed', () => {
    const { store } = setup()
    const { id } = store.begin('web', template)
    store.lose(id)
    store.found(id, workspace('web', 'creating'))
    store.found(id, undefined)
    expect(store.snapshot()[0]?.outcome).toMatchObject({ state: 'failed', error: { code: 'NOT_FOUND', hint: 'It was removed while it was being created.' } })
  })

  it('waits for one not listed yet while there is news of it (a first image build), then gives up', () => {
    const { store, clock } = setup()
    const { id } = store.begin('web', template)
    store.lose(id)
    clock.now += LOST_PATIENCE_MS - 1
    store.found(id, undefined)
    expect(store.snapshot()[0]?.outcome.state).toBe('lost')
    store.image({ task: 'image.build', fraction: 0.5, message: 'Step 6/12' })
    clock.now += LOST_PATIENCE_MS - 1
    store.found(id, undefined)
    expect(store.snapshot()[0]?.outcome.state).toBe('lost')
    clock.now += 1
    store.found(id, undefined)
    expect(store.snapshot()[0]?.outcome).toMatchObject({ state: 'failed', error: { code: 'NOT_FOUND' } })
  })

  it('ends by its call when the answer does come, and a late lookup changes nothing', () => {
    const { store } = setup()
    const { id } = store.begin('web', template)
    store.settle(id, { state: 'ready', workspace: workspace('web') })
    store.lose(id)
    store.found(id, undefined)
    expect(store.snapshot()[0]?.outcome.state).toBe('ready')
  })
})

describe('what the New workspace page shows above its form', () => {
  it('follows one creation in full and lists the others newest first, leaving out dismissed ones', () => {
    const { store } = setup()
    const a = store.begin('a', template).id
    const b = store.begin('b', template).id
    const c = store.begin('c', template).id
    store.dismiss(a)
    const { panel, lines } = creationNotices(store.snapshot(), new Set(), b)
    expect(panel?.id).toBe(b)
    expect(lines.map((x) => x.id)).toEqual([c])
    // Nothing followed (the page was entered from its button): every one is a line, and the form is below them.
    expect(creationNotices(store.snapshot(), new Set(), undefined)).toEqual({ lines: [store.snapshot()[2], store.snapshot()[1]] })
  })

  it('marks only ended creations seen, so a later visit (its snapshot of seen ones) opens without them', () => {
    const { store } = setup()
    const done = store.begin('done', template).id
    const going = store.begin('going', template).id
    store.settle(done, { state: 'ready', workspace: workspace('done') })
    let changes = 0
    store.subscribe(() => changes++)
    store.markSeen([done, going])
    expect(store.snapshot().map((c) => [c.name, c.seen ?? false])).toEqual([
      ['done', true],
      ['going', false]
    ])
    // Asked again on every render: nothing new, no new snapshot.
    store.markSeen([done])
    expect(changes).toBe(1)
    const seenBefore = new Set(store.snapshot().flatMap((c) => (c.seen ? [c.id] : [])))
    expect(creationNotices(store.snapshot(), seenBefore, undefined).lines.map((c) => c.name)).toEqual(['going'])
  })
})
