import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type Dockerode from 'dockerode'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { PoolStatus } from '../../src-main/core/contract'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { openDatabase, type Database } from '../../src-main/core/store/database'
import { poolContainers } from '../../src-main/core/store/schema'
import { workspaceContainerSpec, workspaceNetworkName } from '../../src-main/core/workspaces/container-spec'
import { ensureWorkspaceNetwork } from '../../src-main/core/workspaces/workspace-network'
import { POOL_SPEC_LABEL, POOL_SPEC_VERSION, WorkspacePool } from '../../src-main/core/workspaces/workspace-pool'
import { testBaseImage } from '../support/core-image'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { tempSandlotHome } from '../support/run-cli'

const root = join(import.meta.dirname, '..', '..')

let base: string
let core: SandlotCore
let docker: Dockerode
let imageTag: string
/** Data folders besides the main one, cleaned up at the end. */
const instances: string[] = []
const connections: Database[] = []

/** A data folder whose settings build from the test base image and keep `size` warm containers. */
function home(size: number): string {
  const dir = tempSandlotHome()
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ image: { base }, pool: { size } }))
  return dir
}

/** A pool on its own SQLite connection to the core's database, as another process has. */
function poolOf(settings: { size: number }, on: SandlotCore = core): WorkspacePool {
  const db = openDatabase({ file: on.paths.database, backupsDir: on.paths.backups })
  connections.push(db)
  const engine = <T>(work: (d: Dockerode) => Promise<T>) => on.engine.use(work)
  return new WorkspacePool({ db: db.db, instanceId: on.instanceId, engine, settings: () => ({ maxConcurrentCreates: 2, ...settings }) })
}

async function poolContainersOnEngine(instanceId = core.instanceId): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${instanceId}`, 'dev.sandlot.role=pool'] } })
}

async function removeContainersOf(instanceId: string): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${instanceId}`] } })
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)))
}

/** A warm container as a Sandlot from before the pool spec label made it, booked in the pool. */
async function olderSpecContainer(): Promise<string> {
  const spec = workspaceContainerSpec({
    imageTag,
    instanceId: core.instanceId,
    // Container names are engine-wide: a random suffix.
    name: `sandlot-pool-old${randomBytes(3).toString('hex')}`,
    role: 'pool',
    network: workspaceNetworkName(core.instanceId),
    previewHostPort: 0
  })
  expect(spec.Labels?.[POOL_SPEC_LABEL]).toBeUndefined()
  await ensureWorkspaceNetwork(docker, core.instanceId)
  const container = await docker.createContainer(spec)
  await container.start()
  core.database.db.insert(poolContainers).values({ containerId: container.id, imageTag, createdAt: new Date().toISOString() }).run()
  return container.id
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

beforeAll(async () => {
  base = testBaseImage()
  core = openSandlotCore({ home: home(2) })
  docker = core.engine.connection.docker
  imageTag = (await core.api.call('image.build', { base })).tag
  // As after a first create: the network's own creation race between processes (workspace-network.ts) is
  // not what these tests are about.
  await ensureWorkspaceNetwork(docker, core.instanceId)
})

afterEach(async () => {
  connections.splice(0).forEach((c) => c.close())
  await removeContainersOf(core.instanceId)
  core.database.db.delete(poolContainers).run()
})

afterAll(async () => {
  for (const id of [core.instanceId, ...instances]) {
    await removeInstanceObjects(docker, id)
  }
  core.close()
})

describe('the warm pool on a real engine', () => {
  it('holds its target when three fills run at once, each on its own database connection', async () => {
    const statuses = await Promise.all([0, 1, 2].map(() => poolOf({ size: 2 }).fill(imageTag)))
    const warm = await poolContainersOnEngine()
    expect(warm).toHaveLength(2)
    expect(warm.every((c) => c.State === 'running' && c.Labels[POOL_SPEC_LABEL] === POOL_SPEC_VERSION)).toBe(true)
    expect(core.database.db.select().from(poolContainers).all().map((r) => r.containerId).sort()).toEqual(warm.map((c) => c.Id).sort())
    // A fill that found every slot taken returns at once, while the others still create: never an orphan.
    for (const status of statuses) expect(status.orphans).toEqual([])
    expect(await core.pool.status(imageTag)).toEqual({ target: 2, ready: 2, stale: 0, orphans: [] })
  })

  it('holds its target when fills run in three processes at once', async () => {
    // Each process opens the database and the engine as the core does (the core itself needs Vite's build).
    const here = (path: string) => JSON.stringify(join(root, 'src-main', 'core', path))
    const script = `import BetterSqlite3 from 'better-sqlite3'
      import { drizzle } from 'drizzle-orm/better-sqlite3'
      import os from 'node:os'
      import * as schema from ${here('store/schema.ts')}
      import { EngineConnection, resolveEngineEndpoint } from ${here('engine/index.ts')}
      import { WorkspacePool } from ${here('workspaces/workspace-pool.ts')}
      const [file, instanceId, imageTag, startAt] = process.argv.slice(1)
      const db = drizzle(new BetterSqlite3(file, { timeout: 10000 }), { schema })
      const engine = new EngineConnection(resolveEngineEndpoint({ env: process.env, platform: process.platform, homedir: os.homedir() }))
      const pool = new WorkspacePool({ db, instanceId, engine: (work) => work(engine.docker), settings: () => ({ size: 2, maxConcurrentCreates: 2 }) })
      await new Promise((r) => setTimeout(r, Number(startAt) - Date.now()))
      try { console.log(JSON.stringify(await pool.fill(imageTag))) } finally { engine.close() }`
    const startAt = String(Date.now() + 6_000)
    const args = [core.paths.database, core.instanceId, imageTag, startAt]
    const runs = [0, 1, 2].map(() => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], { cwd: root }))
    const statuses = (await Promise.all(runs)).map(({ stdout }) => JSON.parse(stdout) as PoolStatus)
    expect(await poolContainersOnEngine()).toHaveLength(2)
    expect(await core.api.call('pool.status', {})).toMatchObject({ target: 2, ready: 2, orphans: [] })
    for (const status of statuses) expect(status.orphans).toEqual([])
  }, 120_000)

  it('trims waiting containers down to a lowered target, never a claimed one', async () => {
    const settings = { size: 3 }
    const pool = poolOf(settings)
    await pool.fill(imageTag)
    const claimed = pool.claim('busy', imageTag)!
    settings.size = 1
    expect(await pool.fill(imageTag)).toMatchObject({ target: 1, ready: 1, stale: 0 })
    const left = await poolContainersOnEngine()
    expect(left).toHaveLength(2)
    expect(left.find((c) => c.Id === claimed.containerId)?.State).toBe('running')
    settings.size = 0
    expect(await pool.fill(imageTag)).toMatchObject({ target: 0, ready: 0 })
    expect((await poolContainersOnEngine()).map((c) => c.Id)).toEqual([claimed.containerId])
  })

  it('replaces warm containers made with an older container spec, at claim and at fill', async () => {
    const pool = poolOf({ size: 1 })
    const old = await olderSpecContainer()
    expect(await pool.status(imageTag)).toMatchObject({ ready: 0, stale: 1 })
    expect(await pool.claimRunning('w', imageTag)).toBeUndefined()
    await expect(docker.getContainer(old).inspect()).rejects.toMatchObject({ statusCode: 404 })

    const older = await olderSpecContainer()
    expect(await pool.fill(imageTag)).toMatchObject({ ready: 1, stale: 0, orphans: [] })
    await expect(docker.getContainer(older).inspect()).rejects.toMatchObject({ statusCode: 404 })
    const [fresh] = await poolContainersOnEngine()
    expect(fresh?.Labels[POOL_SPEC_LABEL]).toBe(POOL_SPEC_VERSION)
    expect((await pool.claimRunning('w2', imageTag))?.containerId).toBe(fresh?.Id)
  })

  it('makes up in the background for a container another process claimed', async () => {
    const dir = home(1)
    const problems: string[] = []
    const longLived = openSandlotCore({ home: dir, poolRefillIntervalMs: 500, onBackgroundProblem: (m) => problems.push(m) })
    instances.push(longLived.instanceId)
    try {
      longLived.startBackgroundWork()
      const ready = async () => (await longLived.api.call('pool.status', {})).ready === 1
      await until('the first refill', ready)

      // A CLI `create` elsewhere takes the warm container; the long-lived process never hears of it.
      const cli = openSandlotCore({ home: dir })
      const claimed = await cli.pool.claimRunning('elsewhere', imageTag)
      cli.pool.release(claimed!.containerId)
      cli.close()

      await until('the periodic refill', ready)
      const warm = (await poolContainersOnEngine(longLived.instanceId)).map((c) => c.Id)
      expect(warm).toHaveLength(2)
      expect(warm).toContain(claimed!.containerId)
      expect(problems).toEqual([])
    } finally {
      longLived.close()
    }
  })
})
