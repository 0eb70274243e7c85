import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DiskObject } from '../../src-main/core/contract'
import { SERVE_FILE, writeServeFile } from '../../src-main/core/data/serve-file'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { runSandlot, tempSandlotHome } from '../support/run-cli'

// `sandlot system prune --all`: the teardown of one data folder's objects on the real engine (its warm pool, its
// volumes, its network), refused while a workspace or a `sandlot serve` would need them, asked for like prune.
const home = tempSandlotHome()
const env = { SANDLOT_HOME: home }
const id = Math.random().toString(16).slice(2, 8)
const workspace = `teardown-${id}`
let core: SandlotCore
let docker: Dockerode

beforeAll(async () => {
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 1 } }))
  core = openSandlotCore({ home })
  docker = core.engine.connection.docker
  await core.api.call('image.build', { base: testBaseImage() })
  // A workspace (from the warm container), then the pool warm again: pool, volumes and network all exist.
  await core.api.call('pool.fill', {})
  await core.workspaces.create({ template: 'shell', name: workspace })
  await core.api.call('pool.fill', {})
}, 600_000)

afterAll(async () => {
  await removeInstanceObjects(docker, core.instanceId)
  core.close()
})

/** This data folder's objects on the engine, by kind and name. */
async function instanceObjects(): Promise<string[]> {
  const label = { label: [`dev.sandlot.instance=${core.instanceId}`] }
  const containers = (await docker.listContainers({ all: true, filters: label })).map((c) => `container ${c.Names[0]!.slice(1)}`)
  const volumes = ((await docker.listVolumes({ filters: label })).Volumes ?? []).map((v) => `volume ${v.Name}`)
  const networks = (await docker.listNetworks({ filters: label })).map((n) => `network ${n.Name}`)
  return [...containers, ...volumes, ...networks].sort()
}

/** The CLI's prune --all; only ever refused here (it would also remove other test runs' old core image tags). */
async function pruneAll(...more: string[]): Promise<{ code: number | null; doc: { error?: { code: string; message: string; hint: string } } }> {
  const run = await runSandlot(['system', 'prune', '--all', '--json', ...more], env)
  return { code: run.code, doc: JSON.parse(run.stdout) }
}

describe('sandlot system prune --all', () => {
  it('refuses while the data folder has a workspace, naming it and how to remove it, and removes nothing', async () => {
    const before = await instanceObjects()
    expect(before).toEqual(expect.arrayContaining([`container sandlot-${workspace}`, `network sandlot-net-${core.instanceId}`, `volume sandlot-npm-content-${core.instanceId}`]))
    expect(before.filter((o) => o.startsWith('container sandlot-pool-'))).toHaveLength(1)
    const refused = await pruneAll('--yes')
    expect(refused.code).toBe(1)
    expect(refused.doc.error).toMatchObject({
      code: 'CONFLICT',
      message: `This data folder still has a workspace: ${workspace}. Its pool, volumes and network go only once none is left.`,
      hint: expect.stringContaining(`\`sandlot rm --force ${workspace}\``)
    })
    expect(await instanceObjects()).toEqual(before)
  })

  it('refuses while a `sandlot serve` of this data folder runs (it would fill the pool again)', async () => {
    await core.workspaces.remove(workspace, { force: true })
    const before = await instanceObjects()
    // This test's own process stands for the server: alive, with this data folder's serve.json.
    writeServeFile(home, { url: 'http://127.0.0.1:7373/', pid: process.pid })
    try {
      const refused = await pruneAll('--yes')
      expect(refused.code).toBe(1)
      expect(refused.doc.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`\`sandlot serve\` (pid ${process.pid}`) })
    } finally {
      rmSync(join(home, SERVE_FILE), { force: true })
    }
    expect(await instanceObjects()).toEqual(before)
  })

  it('asks first: with no terminal and no --yes it removes nothing and says what to run', async () => {
    const before = await instanceObjects()
    const asked = await pruneAll()
    expect(asked.code).toBe(2)
    expect(asked.doc.error).toMatchObject({ code: 'BAD_USAGE', hint: expect.stringContaining('`sandlot system prune --all --yes`') })
    expect(await instanceObjects()).toEqual(before)
  })

  it('removes the warm pool container, the volumes and the network, keeps the core image, and the data folder works after', async () => {
    const listed = await runSandlot(['system', 'df', '--all', '--json'], env)
    // Old core image tags are prunable too, but they belong to other test runs on this shared engine: only this
    // data folder's objects are compared, and removed (as the CLI does: exactly the ids listed, with all).
    const ours = (JSON.parse(listed.stdout) as { objects: DiskObject[] }).objects.filter((o) => o.kind !== 'image')
    expect(ours.filter((o) => o.prunable !== undefined).map((o) => `${o.kind} ${o.name}`).sort()).toEqual(await instanceObjects())

    const done = await core.api.call('system.prune', { all: true, only: ours.map((o) => o.id) })
    expect(done.failed).toEqual([])
    expect(done.removed.map((o) => `${o.kind} ${o.name}`).sort()).toEqual(ours.map((o) => `${o.kind} ${o.name}`).sort())
    expect(await instanceObjects()).toEqual([])
    const tag = (await core.api.call('image.status', {})).tag
    expect(await docker.getImage(tag).inspect().then(() => 'kept', () => 'gone')).toBe('kept')
    // The database forgot the warm container that is gone: nothing counted as warm, nothing orphaned.
    expect(await core.api.call('pool.status', {})).toMatchObject({ ready: 0, orphans: [] })

    // The next workspace makes what it needs again.
    const again = await core.workspaces.create({ template: 'shell', name: `${workspace}-2` })
    expect(again).toMatchObject({ status: 'ready', container: 'running' })
  })
})
