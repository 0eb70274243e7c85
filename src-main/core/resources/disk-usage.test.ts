import { hostname } from 'node:os'
import type Dockerode from 'dockerode'
import { describe, expect, it } from 'vitest'
import { diskUsage, prune } from './disk-usage'

const me = 'inst1'
/** The database's workspaces: the claimed pool container is one. */
const owned = new Map([['c-claimed', 'api']])
const alive = `${hostname()}:${process.pid}`
const ended = `${hostname()}:999999999`

/** The engine faked at its API: one `GET /system/df` answer, and the removals asked for. */
function fakeDocker() {
  const removed: string[] = []
  const df = {
    Images: [
      { Id: 'sha256:cur', RepoTags: ['sandlot/core:current00000'], Size: 900, SharedSize: 800 },
      { Id: 'sha256:old', RepoTags: ['sandlot/core:old000000000', 'sandlot/core:older0000000'], Size: 700, SharedSize: 600 },
      { Id: 'sha256:used', RepoTags: ['sandlot/core:used0000000'], Size: 500, SharedSize: 0 },
      { Id: 'sha256:node', RepoTags: ['node:22'], Size: 300, SharedSize: 0 }
    ],
    Containers: [
      { Id: 'c-ws', Names: ['/sandlot-web'], ImageID: 'sha256:used', State: 'exited', SizeRw: 10, Labels: { 'dev.sandlot.instance': me, 'dev.sandlot.role': 'workspace' } },
      { Id: 'c-pool-stopped', Names: ['/sandlot-pool-a'], ImageID: 'sha256:cur', State: 'exited', SizeRw: 20, Labels: { 'dev.sandlot.instance': me, 'dev.sandlot.role': 'pool' } },
      // A workspace claimed from the warm pool: it keeps the pool's labels; the database knows it is a workspace's.
      { Id: 'c-claimed', Names: ['/sandlot-pool-c'], ImageID: 'sha256:cur', State: 'exited', SizeRw: 5, Labels: { 'dev.sandlot.instance': me, 'dev.sandlot.role': 'pool' } },
      { Id: 'c-pool-running', Names: ['/sandlot-pool-b'], ImageID: 'sha256:cur', State: 'running', SizeRw: 30, Labels: { 'dev.sandlot.instance': me, 'dev.sandlot.role': 'pool' } },
      { Id: 'c-deps-ended', Names: ['/sandlot-deps-x'], ImageID: 'sha256:cur', State: 'exited', SizeRw: 40, Labels: { 'dev.sandlot.instance': me, 'dev.sandlot.role': 'deps', 'dev.sandlot.creator': ended } },
      { Id: 'c-deps-alive', Names: ['/sandlot-deps-y'], ImageID: 'sha256:cur', State: 'running', SizeRw: 50, Labels: { 'dev.sandlot.instance': me, 'dev.sandlot.role': 'deps', 'dev.sandlot.creator': alive } },
      { Id: 'c-other', Names: ['/sandlot-pool-z'], ImageID: 'sha256:cur', State: 'exited', SizeRw: 60, Labels: { 'dev.sandlot.instance': 'someone-else', 'dev.sandlot.role': 'pool' } }
    ],
    Volumes: [
      { Name: `sandlot-deps-${me}`, Labels: { 'dev.sandlot.instance': me }, UsageData: { Size: 5000, RefCount: 0 } },
      { Name: `sandlot-deps-build-${me}-1`, Labels: { 'dev.sandlot.instance': me, 'dev.sandlot.role': 'deps', 'dev.sandlot.creator': ended }, UsageData: { Size: 70, RefCount: 0 } },
      { Name: 'not-ours', Labels: null, UsageData: { Size: 1, RefCount: 0 } }
    ]
  }
  const docker = {
    df: async () => df,
    getContainer: (id: string) => ({ remove: async (options: { force?: boolean }) => void removed.push(`container ${id}${options.force ? ' (forced)' : ''}`) }),
    listNetworks: async () => [
      { Id: 'n-ours', Name: `sandlot-net-${me}` },
      { Id: 'n-prefix', Name: `sandlot-net-${me}-more` }
    ],
    getNetwork: (id: string) => ({ remove: async () => void removed.push(`network ${id}`) }),
    getVolume: (name: string) => ({
      remove: async () => void removed.push(`volume ${name}`),
      // No host guard marker: the network has no rule to lift.
      inspect: async () => Promise.reject(Object.assign(new Error('no such volume'), { statusCode: 404 }))
    }),
    getImage: (tag: string) => ({
      remove: async () => {
        if (tag === 'sandlot/core:older0000000') throw new Error('conflict: image is being used')
        removed.push(`image ${tag}`)
      }
    })
  } as unknown as Dockerode
  return { docker, removed }
}

describe('disk usage', () => {
  it('lists this data folder’s objects and the core images, and marks only what is safe to prune', async () => {
    const { docker } = fakeDocker()
    const usage = await diskUsage(docker, me, owned, 'sandlot/core:current00000')
    const prunable = Object.fromEntries(usage.objects.map((o) => [o.name, o.prunable ?? null]))
    expect(prunable).toEqual({
      'sandlot/core:current00000': null,
      'sandlot/core:old000000000': expect.stringMatching(/older core image/),
      'sandlot/core:older0000000': expect.stringMatching(/older core image/),
      // An old tag a workspace still runs on is kept.
      'sandlot/core:used0000000': null,
      'sandlot-web': null,
      'sandlot-pool-a': expect.stringMatching(/stopped pool/),
      // A stopped workspace that came from the pool is never taken for a spare pool container.
      'sandlot-pool-c': null,
      'sandlot-pool-b': null,
      'sandlot-deps-x': expect.stringMatching(/ended/),
      'sandlot-deps-y': null,
      [`sandlot-deps-${me}`]: null,
      [`sandlot-deps-build-${me}-1`]: expect.stringMatching(/ended/)
    })
    expect(usage.objects.find((o) => o.id === 'c-claimed')?.role).toBe('workspace')
    expect(usage.totals).toEqual({ images: 100 + 100 + 0 + 500, containers: 10 + 20 + 5 + 30 + 40 + 50, volumes: 5070, prunable: 100 + 0 + 20 + 40 + 70 })
  })

  it('prunes containers first, only the ids given, and reports what the engine refused', async () => {
    const { docker, removed } = fakeDocker()
    const result = await prune(docker, me, owned, 'sandlot/core:current00000', ['sandlot/core:old000000000', 'sandlot/core:older0000000', 'c-pool-stopped', 'c-ws', 'c-claimed', 'c-pool-running'])
    // The workspaces and the running pool container were asked for, but are not prunable: untouched.
    expect(removed).toEqual(['container c-pool-stopped', 'image sandlot/core:old000000000'])
    expect(result.removed.map((o) => o.id)).toEqual(['c-pool-stopped', 'sandlot/core:old000000000'])
    expect(result.failed).toEqual([{ object: expect.objectContaining({ id: 'sandlot/core:older0000000' }), message: 'conflict: image is being used' }])
    expect(result.bytes).toBe(120)
  })

  it('with all, marks every other object of this data folder, running pool containers and its network too, and removes the network before the volumes', async () => {
    const { docker, removed } = fakeDocker()
    const usage = await diskUsage(docker, me, owned, 'sandlot/core:current00000', true)
    const prunable = Object.fromEntries(usage.objects.map((o) => [o.name, o.prunable ?? null]))
    expect(prunable).toMatchObject({
      // The current core image stays (every data folder on the engine builds from it); others' objects are not listed.
      'sandlot/core:current00000': null,
      'sandlot-pool-b': 'a warm pool container of this data folder',
      'sandlot-web': 'a workspace container no workspace of this data folder owns',
      [`sandlot-deps-${me}`]: "this data folder's dependency snapshots",
      [`sandlot-net-${me}`]: "this data folder's workspace network"
    })
    expect(Object.keys(prunable)).not.toContain(`sandlot-net-${me}-more`)
    await prune(docker, me, owned, 'sandlot/core:current00000', ['c-pool-running', `sandlot-deps-${me}`, 'n-ours'], true)
    expect(removed).toEqual(['container c-pool-running (forced)', 'network n-ours', `volume sandlot-deps-${me}`])
  })
})
