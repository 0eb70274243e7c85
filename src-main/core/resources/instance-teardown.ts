import { hostname } from 'node:os'
import type Dockerode from 'dockerode'
import { inArray } from 'drizzle-orm'
import type { DiskObject } from '../contract/resources'
import { readServeFile } from '../data/serve-file'
import { SandlotError } from '../sandlot-error'
import type { SandlotDb } from '../store/database'
import { dependencySnapshots, poolContainers, workspaces } from '../store/schema'
import { dependencySnapshotVolumeName, npmContentVolumeName, workspaceNetworkName } from '../workspaces/container-spec'
import { creatorAlive } from '../workspaces/creator'

/**
 * `system prune --all`: besides what prune removes, everything else this data folder has on the engine (warm
 * pool containers, running ones too; its volumes: the npm download cache, the dependency snapshots, leftovers;
 * its workspace network), once it has no workspace. The core image stays: every data folder on the engine
 * builds from the same tags, and plain prune removes the old ones.
 */
export interface InstanceTeardown {
  /** Refuses while a workspace exists or a Sandlot process would make the pool again at once. */
  assertAllowed(): void
  /** After the removal: the database forgets the pool containers and snapshots that are gone (only those). */
  forget(removed: readonly DiskObject[], instanceId: string): void
}

export function instanceTeardown(deps: { db: SandlotDb; root: string; keepsPoolFilled: () => boolean }): InstanceTeardown {
  return {
    assertAllowed() {
      const names = deps.db.select({ name: workspaces.name }).from(workspaces).all().map((row) => row.name).sort()
      if (names.length > 0) {
        throw new SandlotError(
          'CONFLICT',
          `This data folder still has ${names.length === 1 ? 'a workspace' : `${names.length} workspaces`}: ${names.join(', ')}. Its pool, volumes and network go only once none is left.`,
          `Remove ${names.length === 1 ? 'it' : 'them'} first (${names.map((n) => `\`sandlot rm --force ${n}\``).join(', ')}; \`sandlot save NAME\` keeps one as a file), then run \`sandlot system prune --all\` again. Nothing was removed.`
        )
      }
      if (deps.keepsPoolFilled()) {
        throw new SandlotError(
          'CONFLICT',
          'This Sandlot process keeps the warm pool filled (the app or `sandlot serve`): it would make the pool and its network again at once.',
          'Quit the app and stop `sandlot serve`, then run `sandlot system prune --all` from a terminal. Nothing was removed.'
        )
      }
      const serve = readServeFile(deps.root)
      if (serve && creatorAlive(`${hostname()}:${serve.pid}`)) {
        throw new SandlotError(
          'CONFLICT',
          `\`sandlot serve\` (pid ${serve.pid}, ${serve.url}) uses this data folder and keeps its warm pool filled: it would make the pool and its network again at once.`,
          'Stop it (Ctrl+C in its terminal), then run `sandlot system prune --all` again. Nothing was removed.'
        )
      }
    },
    forget(removed, instanceId) {
      const containers = removed.filter((o) => o.kind === 'container').map((o) => o.id)
      const snapshotsGone = removed.some((o) => o.kind === 'volume' && o.name === dependencySnapshotVolumeName(instanceId))
      deps.db.transaction(
        (tx) => {
          if (containers.length > 0) tx.delete(poolContainers).where(inArray(poolContainers.containerId, containers)).run()
          if (snapshotsGone) tx.delete(dependencySnapshots).run()
        },
        { behavior: 'immediate' }
      )
    }
  }
}

/** Why `--all` removes one of this data folder's objects that plain prune keeps. */
export function teardownReason(object: Pick<DiskObject, 'kind' | 'name' | 'role'>, instanceId: string): string {
  if (object.kind === 'network') return "this data folder's workspace network"
  if (object.kind === 'volume') {
    if (object.name === npmContentVolumeName(instanceId)) return "this data folder's npm download cache"
    if (object.name === dependencySnapshotVolumeName(instanceId)) return "this data folder's dependency snapshots"
    return 'a volume of this data folder'
  }
  if (object.role === 'pool') return 'a warm pool container of this data folder'
  if (object.role === 'workspace') return 'a workspace container no workspace of this data folder owns'
  return 'a container of this data folder'
}

/** The data folder's workspace network, as prune lists objects (a network's disk use is nothing of its own). */
export async function instanceNetworks(docker: Dockerode, instanceId: string): Promise<DiskObject[]> {
  const name = workspaceNetworkName(instanceId)
  const networks = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name)
  return networks.map((n) => ({ kind: 'network', id: n.Id, name: n.Name, bytes: 0, prunable: teardownReason({ kind: 'network', name: n.Name }, instanceId) }))
}
