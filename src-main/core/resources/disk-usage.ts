import type Dockerode from 'dockerode'
import type { DiskObject, DiskUsage, PruneResult } from '../contract/resources'
import { CORE_IMAGE_REPOSITORY } from '../images/build-context'
import { creatorAlive } from '../workspaces/creator'
import { removeWorkspaceNetwork } from '../workspaces/workspace-network'
import { instanceNetworks, teardownReason } from './instance-teardown'

interface DfImage {
  Id: string
  RepoTags?: string[] | null
  Size: number
  SharedSize?: number
  Containers?: number
}
interface DfContainer {
  Id: string
  Names?: string[]
  Image?: string
  ImageID?: string
  State?: string
  SizeRw?: number
  Labels?: Record<string, string>
}
interface DfVolume {
  Name: string
  Labels?: Record<string, string> | null
  UsageData?: { Size: number; RefCount: number } | null
}

/**
 * Sandlot's share of the engine's disk (one `GET /system/df`): the core image's tags, the containers and
 * volumes of this data folder. Prunable: core image tags other than the current one that no container on the
 * engine uses (any data folder's), stopped pool containers, dependency build leftovers of ended processes.
 * Workspaces and their volumes never are. With `all` (the caller has checked that no workspace is left; see
 * instance-teardown.ts), every other container, volume and network of this data folder is too.
 * `workspaceContainers` (container id → workspace, from the database) says which containers are workspaces':
 * one claimed from the warm pool still carries role=pool, and a stopped one must never look like a spare.
 */
export async function diskUsage(
  docker: Dockerode,
  instanceId: string,
  workspaceContainers: ReadonlyMap<string, string>,
  currentTag: string,
  all = false
): Promise<DiskUsage> {
  const df = (await docker.df()) as { Images?: DfImage[] | null; Containers?: DfContainer[] | null; Volumes?: DfVolume[] | null }
  const allContainers = df.Containers ?? []
  const usedImages = new Set(allContainers.flatMap((c) => [c.ImageID ?? '', c.Image ?? '']))
  const objects: DiskObject[] = []

  for (const image of df.Images ?? []) {
    const tags = (image.RepoTags ?? []).filter((tag) => tag.startsWith(`${CORE_IMAGE_REPOSITORY}:`))
    for (const [index, tag] of tags.entries()) {
      const inUse = usedImages.has(image.Id) || usedImages.has(tag)
      // An image's size counts once, on its first tag: its other names free nothing of their own.
      const prunable = tag !== currentTag && !inUse ? 'an older core image that no container uses' : undefined
      objects.push({ kind: 'image', id: tag, name: tag, bytes: index === 0 ? Math.max(0, image.Size - Math.max(0, image.SharedSize ?? 0)) : 0, role: tag === currentTag ? 'current core image' : 'core image', ...(prunable ? { prunable } : {}) })
    }
  }
  for (const container of allContainers) {
    const labels = container.Labels ?? {}
    if (labels['dev.sandlot.instance'] !== instanceId) continue
    const role = workspaceContainers.has(container.Id) ? 'workspace' : labels['dev.sandlot.role']
    const stopped = container.State !== 'running' && container.State !== 'restarting'
    const name = (container.Names?.[0] ?? container.Id).replace(/^\//, '')
    const prunable =
      role === 'pool' && stopped
        ? 'a stopped pool container (the pool starts fresh ones)'
        : role === 'deps' && !creatorAlive(labels['dev.sandlot.creator'])
          ? 'left by a dependency snapshot build that ended'
          : all
            ? teardownReason({ kind: 'container', name, role }, instanceId)
            : undefined
    objects.push({ kind: 'container', id: container.Id, name, bytes: container.SizeRw ?? -1, ...(role ? { role } : {}), ...(prunable ? { prunable } : {}) })
  }
  for (const volume of df.Volumes ?? []) {
    const labels = volume.Labels ?? {}
    if (labels['dev.sandlot.instance'] !== instanceId) continue
    const role = labels['dev.sandlot.role']
    const prunable =
      role === 'deps' && !creatorAlive(labels['dev.sandlot.creator']) && (volume.UsageData?.RefCount ?? 0) === 0
        ? 'left by a dependency snapshot build that ended'
        : all
          ? teardownReason({ kind: 'volume', name: volume.Name, role }, instanceId)
          : undefined
    objects.push({ kind: 'volume', id: volume.Name, name: volume.Name, bytes: volume.UsageData?.Size ?? -1, ...(role ? { role } : {}), ...(prunable ? { prunable } : {}) })
  }

  if (all) objects.push(...(await instanceNetworks(docker, instanceId)))

  const sum = (filter: (o: DiskObject) => boolean): number => objects.filter(filter).reduce((total, o) => total + Math.max(0, o.bytes), 0)
  return {
    objects,
    totals: {
      images: sum((o) => o.kind === 'image'),
      containers: sum((o) => o.kind === 'container'),
      volumes: sum((o) => o.kind === 'volume'),
      prunable: sum((o) => o.prunable !== undefined)
    }
  }
}

/**
 * Removes what is prunable now, or only those of `only` that still are: the list a user agreed to is checked
 * again, so what became used meanwhile (a pool container claimed, an image a new container runs) is kept.
 * With `all`, what diskUsage's `all` adds too.
 */
export async function prune(
  docker: Dockerode,
  instanceId: string,
  workspaceContainers: ReadonlyMap<string, string>,
  currentTag: string,
  only?: readonly string[],
  all = false
): Promise<PruneResult> {
  const wanted = only === undefined ? undefined : new Set(only)
  const candidates = (await diskUsage(docker, instanceId, workspaceContainers, currentTag, all)).objects.filter((o) => o.prunable !== undefined && (wanted === undefined || wanted.has(o.id)))
  const result: PruneResult = { removed: [], failed: [], bytes: 0 }
  // Containers first: an image a stopped pool container was made from is then free to go, and the network
  // before the volumes: lifting its host guard rule reads the marker volume.
  const order = { container: 0, network: 1, volume: 2, image: 3 } as const
  for (const object of candidates.sort((a, b) => order[a.kind] - order[b.kind])) {
    try {
      // Only --all removes running ones (warm pool containers): stopped first, as any container is.
      if (object.kind === 'container') await docker.getContainer(object.id).remove({ v: false, force: all })
      else if (object.kind === 'network') await removeWorkspaceNetwork(docker, instanceId)
      else if (object.kind === 'volume') await docker.getVolume(object.id).remove()
      // By tag: removes that name only; the image's data goes with its last tag, never while a container uses it.
      else await docker.getImage(object.id).remove({ noprune: false })
      result.removed.push(object)
      result.bytes += Math.max(0, object.bytes)
    } catch (err) {
      result.failed.push({ object, message: (err as Error).message })
    }
  }
  return result
}
