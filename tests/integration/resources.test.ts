import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { pack } from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WorkspaceUsage } from '../../src-main/core/contract'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { ResourceMonitor } from '../../src-main/core/resources/resource-monitor'
import { testBaseImage } from '../support/core-image'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { runSandlot, tempSandlotHome } from '../support/run-cli'
import { waitFor } from '../support/wait'

// Engine-wide names: a suffix keeps this run clear of other data folders.
const run = randomBytes(3).toString('hex')
let home: string
let core: SandlotCore
let docker: Dockerode
let base: string
let currentTag: string
const oldTag = `sandlot/core:h8old${run}`

/** A container labelled as this data folder's warm pool container. */
async function pooled(name: string, cmd: string[], start: boolean): Promise<Dockerode.Container> {
  const container = await docker.createContainer({
    name: `sandlot-${name}`,
    Image: base,
    Entrypoint: cmd,
    Labels: { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': core.instanceId, 'dev.sandlot.role': 'pool' },
    HostConfig: { NetworkMode: 'none' }
  })
  if (start) await container.start()
  return container
}

beforeAll(async () => {
  home = tempSandlotHome()
  base = testBaseImage()
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base } }))
  core = openSandlotCore({ home })
  docker = core.engine.connection.docker
  currentTag = (await core.api.call('image.build', { base })).tag
  // An older core image tag that nothing uses: its own image (a label on the base), so no container holds it.
  const context = pack()
  context.entry({ name: 'Dockerfile' }, `FROM ${base}\nLABEL dev.sandlot.test-old-core=${run}\n`)
  context.finalize()
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: oldTag })
  await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve(undefined))))
}, 600_000)

afterAll(async () => {
  if (docker !== undefined) {
    await removeInstanceObjects(docker, core.instanceId)
    await docker.getImage(oldTag).remove().catch(() => undefined)
  }
  core?.close()
})

describe('resource usage on the real engine', () => {
  it('shows a busy workspace taken from the warm pool near one core and a stopped one not at all, live and as one sample', async () => {
    // Both from the pool, as every template workspace is: their containers keep role=pool and no workspace label.
    // Three warm containers: two become the workspaces, the third stays a running spare that is no workspace.
    await core.api.call('settings.update', { pool: { size: 3 } })
    await core.api.call('pool.fill', {})
    const busyName = `busy-${run}`
    const stoppedName = `stopped-${run}`
    for (const name of [busyName, stoppedName]) await core.api.call('workspaces.create', { template: 'shell', name })
    const busyWs = await core.api.call('workspaces.get', { name: busyName })
    const labels = (await docker.getContainer(busyWs.containerId).inspect()).Config.Labels
    expect(labels['dev.sandlot.role']).toBe('pool')
    expect(labels['dev.sandlot.workspace']).toBeUndefined()
    await core.api.call('workspaces.stop', { name: stoppedName })
    const spares = await docker.listContainers({ filters: { label: [`dev.sandlot.instance=${core.instanceId}`, 'dev.sandlot.role=pool'], status: ['running'] } })
    expect(spares.filter((c) => c.Id !== busyWs.containerId)).toHaveLength(1)
    // `yes` in its own session, so it outlives the exec that started it.
    const started = await core.api.call('workspaces.exec', { name: busyName, command: 'sh', args: ['-c', 'setsid sh -c "yes > /dev/null" < /dev/null > /dev/null 2>&1 &'] })
    expect(started.exitCode, started.stderr).toBe(0)

    let last: WorkspaceUsage[] = []
    const stop = core.api.subscribe('resources.usage', ({ workspaces }) => (last = workspaces))
    try {
      const busy = await waitFor('a CPU sample of the busy workspace', () => {
        const sample = last.find((u) => u.workspace === busyName)
        return sample !== undefined && sample.cpuPercent > 40 ? sample : undefined
      }, 60_000)
      // `yes` keeps one core busy; the machine is shared, so "near" is generous, but never two cores or idle.
      expect(busy.cpuPercent).toBeGreaterThan(40)
      expect(busy.cpuPercent).toBeLessThan(150)
      expect(busy.memoryBytes).toBeGreaterThan(0)
      // Only workspaces: neither the stopped one nor a warm pool container still waiting to be claimed.
      expect(last.map((u) => u.workspace)).toEqual([busyName])
    } finally {
      stop()
    }
    // The method: one fresh sample each, for the CLI and a first paint.
    const sampled = await core.api.call('resources.usage', {})
    expect(sampled.map((u) => u.workspace)).toEqual([busyName])
    expect(sampled[0]!.cpuPercent).toBeGreaterThan(40)
  }, 300_000)

  it('opens streams for the first listener and closes them all after the last', async () => {
    const monitor = new ResourceMonitor({ instanceId: core.instanceId, workspaceContainers: () => core.workspaces.byContainer(), engine: (work) => core.engine.use(work), intervalMs: 500 })
    const a = monitor.subscribe(() => undefined)
    const b = monitor.subscribe(() => undefined)
    await waitFor('a sample', () => (monitor.latest().length > 0 ? true : undefined), 60_000)
    a()
    expect(monitor.active).toBe(true)
    b()
    expect(monitor.active).toBe(false)
    expect(monitor.latest()).toEqual([])
  }, 60_000)
})

describe('system df and prune on the real engine', () => {
  it('lists Sandlot’s objects, prunes exactly what it listed of them, and never a workspace', async () => {
    const stoppedContainer = (await core.api.call('workspaces.get', { name: `stopped-${run}` })).containerId
    await pooled(`pool-${run}`, ['sleep', '600'], false)
    const usage = await core.api.call('system.df', {})
    const byName = new Map(usage.objects.map((o) => [o.name, o]))
    expect(byName.get(oldTag)?.prunable).toMatch(/older core image/)
    expect(byName.get(currentTag)).toMatchObject({ kind: 'image', role: 'current core image' })
    expect(byName.get(currentTag)?.prunable).toBeUndefined()
    expect(byName.get(`sandlot-pool-${run}`)).toMatchObject({ kind: 'container', role: 'pool', prunable: expect.stringMatching(/stopped pool/) })
    // A stopped workspace taken from the pool (pool labels) is a workspace, never a stopped spare.
    const stopped = usage.objects.find((o) => o.id === stoppedContainer)
    expect(stopped).toMatchObject({ kind: 'container', role: 'workspace' })
    expect(stopped?.prunable).toBeUndefined()
    // The total is what the prunable objects take (a size the engine does not know counts as nothing).
    const prunableBytes = usage.objects.filter((o) => o.prunable !== undefined).reduce((total, o) => total + Math.max(0, o.bytes), 0)
    expect(usage.totals.prunable).toBe(prunableBytes)

    // Only this run's candidates: other tags on this shared engine belong to other test runs.
    const mine = usage.objects.filter((o) => o.prunable !== undefined && (o.name === oldTag || o.name === `sandlot-pool-${run}`))
    expect(mine).toHaveLength(2)
    const before = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${core.instanceId}`] } })
    const result = await core.api.call('system.prune', { only: mine.map((o) => o.id) })
    expect(result.failed).toEqual([])
    expect(result.removed.map((o) => o.name).sort()).toEqual([oldTag, `sandlot-pool-${run}`].sort())
    const after = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${core.instanceId}`] } })
    expect(after.map((c) => c.Names[0]).sort()).toEqual(before.map((c) => c.Names[0]).filter((n) => n !== `/sandlot-pool-${run}`).sort())
    await expect(docker.getImage(oldTag).inspect()).rejects.toThrow()
    await expect(docker.getImage(currentTag).inspect()).resolves.toBeDefined()
  }, 120_000)

  it('CLI: system df --json is one document; prune without --yes and no terminal removes nothing and says how', async () => {
    const env = { SANDLOT_HOME: home }
    const df = await runSandlot(['system', 'df', '--json'], env)
    expect(df.code, df.stderr).toBe(0)
    const stoppedContainer = (await core.api.call('workspaces.get', { name: `stopped-${run}` })).containerId
    expect(JSON.parse(df.stdout).objects.find((o: { id: string }) => o.id === stoppedContainer)?.role).toBe('workspace')
    await pooled(`pool2-${run}`, ['sleep', '600'], false)
    const prune = await runSandlot(['system', 'prune'], env)
    expect(prune.code).toBe(2)
    expect(prune.stdout).toContain(`sandlot-pool2-${run}`)
    expect(prune.stderr).toMatch(/--yes/)
    await expect(docker.getContainer(`sandlot-pool2-${run}`).inspect()).resolves.toBeDefined()
  }, 120_000)
})
