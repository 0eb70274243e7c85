import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type Dockerode from 'dockerode'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, type Database } from '../store/database'
import { poolContainers } from '../store/schema'
import { PENDING_TTL_MS, POOL_SPEC_LABEL, POOL_SPEC_VERSION, RefillSchedule, WorkspacePool, type PoolDeps } from './workspace-pool'

const opened: Database[] = []
afterEach(() => opened.splice(0).forEach((d) => d.close()))

function database(file: string): Database {
  const d = openDatabase({ file, backupsDir: join(file, '..') })
  opened.push(d)
  return d
}

function pool(db: Database): WorkspacePool {
  const noEngine = () => Promise.reject(new Error('no engine in this test'))
  return new WorkspacePool({ db: db.db, instanceId: 'i', engine: noEngine, settings: () => ({ size: 2, maxConcurrentCreates: 1 }) })
}

function tempDbFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'sandlot-pool-')), 'sandlot.db')
}

interface FakeContainer {
  Id: string
  Names: string[]
  Labels: Record<string, string>
  State: string
}

/**
 * Just enough of an engine for the pool's books: containers kept in a map, created after a short wait so
 * concurrent fills interleave as they do against a real engine.
 */
function fakeEngine() {
  const containers = new Map<string, FakeContainer>()
  const notFound = () => Object.assign(new Error('no such container'), { statusCode: 404 })
  const handle = (id: string) => ({
    remove: async () => {
      if (!containers.delete(id)) throw notFound()
    },
    inspect: async () => {
      const c = containers.get(id)
      if (!c) throw notFound()
      return { Id: c.Id, State: { Running: c.State === 'running' }, Config: { Labels: c.Labels }, NetworkSettings: { Ports: {} } }
    },
    start: async () => {
      containers.get(id)!.State = 'running'
    }
  })
  let created = 0
  const docker = {
    listNetworks: async () => [{ Name: 'sandlot-net-i' }],
    createVolume: async () => ({}),
    listContainers: async () => [...containers.values()].map((c) => ({ ...c })),
    createContainer: async (spec: Dockerode.ContainerCreateOptions) => {
      await new Promise((r) => setTimeout(r, 5))
      const Id = `id${String(++created).padStart(3, '0')}`
      containers.set(Id, { Id, Names: [`/${spec.name}`], Labels: { ...spec.Labels }, State: 'created' })
      return { id: Id, ...handle(Id) }
    },
    getContainer: handle
  }
  return {
    containers,
    docker,
    engine: (async (work) => work(docker as unknown as Dockerode)) as PoolDeps['engine'],
    /** A container already on the engine: a running, current pool one unless told otherwise. */
    add(c: Partial<FakeContainer> & { Id: string }): void {
      containers.set(c.Id, { Names: [`/sandlot-pool-${c.Id}`], State: 'running', Labels: { 'dev.sandlot.role': 'pool', [POOL_SPEC_LABEL]: POOL_SPEC_VERSION }, ...c })
    }
  }
}

function poolOn(db: Database, engine: PoolDeps['engine'], settings: { size: number }, now?: () => Date): WorkspacePool {
  return new WorkspacePool({ db: db.db, instanceId: 'i', engine, settings: () => ({ maxConcurrentCreates: 2, ...settings }), ...(now ? { now } : {}) })
}

const TAG = 'sandlot/core:aaaaaaaaaaaa'

function rows(db: Database) {
  return db.db.select().from(poolContainers).all()
}

function seed(db: Database, count: number, imageTag = 'sandlot/core:aaaaaaaaaaaa'): void {
  for (let i = 0; i < count; i++) {
    db.db.insert(poolContainers).values({ containerId: imageTag.endsWith('a') ? `c${i}` : `other${i}`, imageTag, previewPort: 40000 + i, createdAt: `2026-01-01T00:00:0${i}Z` }).run()
  }
}

describe('pool claims', () => {
  it('hands out the oldest warm container of the right image, each once', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-pool-')), 'sandlot.db')
    const db = database(file)
    seed(db, 2)
    seed(db, 1, 'sandlot/core:bbbbbbbbbbbb')
    const p = pool(db)
    expect(p.claim('w1', 'sandlot/core:aaaaaaaaaaaa')).toEqual({ containerId: 'c0', previewPort: 40000 })
    expect(p.claim('w2', 'sandlot/core:aaaaaaaaaaaa')).toEqual({ containerId: 'c1', previewPort: 40001 })
    expect(p.claim('w3', 'sandlot/core:aaaaaaaaaaaa')).toBeUndefined()
    p.unclaimFor('w2')
    expect(p.claim('w4', 'sandlot/core:aaaaaaaaaaaa')?.containerId).toBe('c1')
  })

  it('never gives one container to two processes claiming at the same moment', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-pool-')), 'sandlot.db')
    seed(database(file), 8)
    const here = (name: string) => new URL(name, import.meta.url).pathname
    // Each process spins until one shared instant, then claims as fast as it can until the pool is empty.
    // (The database is already migrated above; each process opens its own connection, as separate processes do.)
    const script = `import BetterSqlite3 from 'better-sqlite3'
      import { drizzle } from 'drizzle-orm/better-sqlite3'
      import * as schema from ${JSON.stringify(here('../store/schema.ts'))}
      import { WorkspacePool } from ${JSON.stringify(here('./workspace-pool.ts'))}
      const db = drizzle(new BetterSqlite3(process.argv[1], { timeout: 10000 }), { schema })
      const pool = new WorkspacePool({ db, instanceId: 'i', engine: async () => { throw new Error('none') }, settings: () => ({ size: 0, maxConcurrentCreates: 1 }) })
      while (Date.now() < Number(process.argv[2])) {}
      const got = []
      for (;;) { const c = pool.claim('p' + process.pid, 'sandlot/core:aaaaaaaaaaaa'); if (!c) break; got.push(c.containerId) }
      console.log(JSON.stringify(got))`
    const startAt = String(Date.now() + 3_000)
    const runs = Array.from({ length: 4 }, () => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file, startAt]))
    const claimed = (await Promise.all(runs)).flatMap(({ stdout }) => JSON.parse(stdout) as string[])
    expect(claimed.sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'])
  }, 60_000)
})

describe('pool fills', () => {
  it('holds the target when several fills run at once on separate connections', async () => {
    const file = tempDbFile()
    const fake = fakeEngine()
    const pools = [0, 1, 2].map(() => poolOn(database(file), fake.engine, { size: 3 }))
    await Promise.all(pools.map((p) => p.fill(TAG)))
    expect(fake.containers.size).toBe(3)
    expect(rows(database(file)).map((r) => r.containerId).sort()).toEqual([...fake.containers.keys()].sort())
    expect(await pools[0]!.status(TAG)).toEqual({ target: 3, ready: 3, stale: 0, orphans: [] })
  })

  it('never claims, counts or reports as orphan a slot whose container is still being created', async () => {
    const db = database(tempDbFile())
    const fake = fakeEngine()
    db.db.insert(poolContainers).values({ containerId: 'pending:abcd1234', imageTag: TAG, createdAt: new Date().toISOString() }).run()
    fake.add({ Id: 'half-made', Names: ['/sandlot-pool-abcd1234'], State: 'created' })
    const p = poolOn(db, fake.engine, { size: 1 })
    expect(p.claim('w', TAG)).toBeUndefined()
    expect(await p.status(TAG)).toEqual({ target: 1, ready: 0, stale: 0, orphans: [] })
    // It holds the one slot: a fill creates nothing more and leaves it alone.
    await p.fill(TAG)
    expect([...fake.containers.keys()]).toEqual(['half-made'])
    expect(rows(db).map((r) => r.containerId)).toEqual(['pending:abcd1234'])
  })

  it('drops a slot left by a process that died mid-create, with its container, after a few minutes', async () => {
    const db = database(tempDbFile())
    const fake = fakeEngine()
    const now = new Date('2026-01-01T12:00:00Z')
    const ago = (ms: number) => new Date(now.getTime() - ms).toISOString()
    db.db.insert(poolContainers).values({ containerId: 'pending:dead0000', imageTag: TAG, createdAt: ago(PENDING_TTL_MS + 1000) }).run()
    db.db.insert(poolContainers).values({ containerId: 'pending:busy0000', imageTag: TAG, createdAt: ago(10_000) }).run()
    fake.add({ Id: 'left', Names: ['/sandlot-pool-dead0000'] })
    const p = poolOn(db, fake.engine, { size: 2 }, () => now)
    expect(await p.reconcile()).toEqual([])
    expect(rows(db).map((r) => r.containerId)).toEqual(['pending:busy0000'])
    expect(fake.containers.has('left')).toBe(false)
  })

  it('removes its new container when its slot was given up meanwhile, and takes a new slot', async () => {
    const db = database(tempDbFile())
    const fake = fakeEngine()
    const create = fake.docker.createContainer
    // Once: another process's reconcile takes the slot for abandoned while its container is being created.
    fake.docker.createContainer = async (spec) => {
      fake.docker.createContainer = create
      db.db.delete(poolContainers).run()
      return create(spec)
    }
    expect(await poolOn(db, fake.engine, { size: 1 }).fill(TAG)).toMatchObject({ ready: 1, orphans: [] })
    expect([...fake.containers.keys()]).toEqual(['id002'])
    expect(rows(db).map((r) => r.containerId)).toEqual(['id002'])
  })

  it('trims surplus waiting containers, newest first, down to a lowered target, never claimed ones', async () => {
    const db = database(tempDbFile())
    const fake = fakeEngine()
    const settings = { size: 4 }
    let tick = 0
    const p = poolOn(db, fake.engine, settings, () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)))
    await p.fill(TAG)
    const byAge = rows(db).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((r) => r.containerId)
    expect(byAge).toHaveLength(4)
    const claimed = p.claim('w', TAG)!.containerId
    expect(claimed).toBe(byAge[0])
    settings.size = 1
    expect(await p.fill(TAG)).toMatchObject({ target: 1, ready: 1 })
    expect(rows(db).map((r) => [r.containerId, r.claimedBy])).toEqual(
      expect.arrayContaining([
        [claimed, 'w'],
        [byAge[1], null]
      ])
    )
    expect(rows(db)).toHaveLength(2)
    expect([...fake.containers.keys()].sort()).toEqual([claimed, byAge[1]].sort())
    settings.size = 0
    await p.fill(TAG)
    expect(rows(db).map((r) => r.containerId)).toEqual([claimed])
    expect([...fake.containers.keys()]).toEqual([claimed])
  })

  it('replaces waiting containers made with an older spec: claims skip and remove them, fills remove them', async () => {
    const db = database(tempDbFile())
    const fake = fakeEngine()
    const old = (id: string, createdAt: string, labels: Record<string, string>) => {
      fake.add({ Id: id, Labels: { 'dev.sandlot.role': 'pool', ...labels } })
      db.db.insert(poolContainers).values({ containerId: id, imageTag: TAG, createdAt }).run()
    }
    old('unlabelled', '2026-01-01T00:00:00Z', {})
    old('older-spec', '2026-01-01T00:00:01Z', { [POOL_SPEC_LABEL]: `${POOL_SPEC_VERSION}-old` })
    old('current', '2026-01-01T00:00:02Z', { [POOL_SPEC_LABEL]: POOL_SPEC_VERSION })
    const p = poolOn(db, fake.engine, { size: 2 })
    expect(await p.status(TAG)).toMatchObject({ ready: 1, stale: 2 })
    expect(await p.claimRunning('w', TAG)).toMatchObject({ containerId: 'current' })
    expect(fake.containers.has('unlabelled') || fake.containers.has('older-spec')).toBe(false)

    old('older-again', '2026-01-01T00:00:03Z', {})
    await p.fill(TAG)
    expect(fake.containers.has('older-again')).toBe(false)
    const made = [...fake.containers.values()].filter((c) => c.Id !== 'current')
    expect(made).toHaveLength(2)
    expect(made.every((c) => c.Labels[POOL_SPEC_LABEL] === POOL_SPEC_VERSION && c.State === 'running')).toBe(true)
    expect(await p.status(TAG)).toMatchObject({ ready: 2, stale: 0, orphans: [] })
  })
})

describe('refill schedule', () => {
  afterEach(() => vi.useRealTimers())

  it('runs on request and at each interval, never two at once, queueing one more for requests meanwhile', async () => {
    vi.useFakeTimers()
    let running = 0
    let most = 0
    let runs = 0
    const schedule = new RefillSchedule(async () => {
      runs++
      most = Math.max(most, ++running)
      await new Promise((r) => setTimeout(r, 1_000))
      running--
    }, 20_000)
    schedule.start()
    schedule.request()
    schedule.request()
    schedule.request()
    await vi.advanceTimersByTimeAsync(999)
    expect(runs).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    // The three requests made during the first run are one more run, right after it.
    expect(runs).toBe(2)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(runs).toBe(2)
    await vi.advanceTimersByTimeAsync(15_000)
    expect(runs).toBe(3)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(runs).toBe(6)
    expect(most).toBe(1)
    schedule.stop()
    schedule.request()
    await vi.advanceTimersByTimeAsync(100_000)
    expect(runs).toBe(6)
  })

  it('keeps going after a failed run', async () => {
    vi.useFakeTimers()
    let runs = 0
    const schedule = new RefillSchedule(async () => {
      runs++
      throw new Error('engine went away')
    }, 1_000)
    schedule.start()
    await vi.advanceTimersByTimeAsync(3_000)
    expect(runs).toBe(3)
    schedule.stop()
  })
})
