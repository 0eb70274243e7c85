import { z } from 'zod'
import { Timestamp } from '../../../container/src/protocol'

/**
 * What Sandlot's workspaces cost the machine: CPU and memory of each running one (from the engine's stats
 * streams), and the disk its images, containers and volumes take, with what can be pruned.
 */
const Bytes = z.number().int().min(0)

export const WorkspaceUsage = z.object({
  workspace: z.string(),
  /** 100 is one core fully busy (as `docker stats` counts). */
  cpuPercent: z.number().min(0),
  memoryBytes: Bytes,
  /** The container's memory limit, when it has one. */
  memoryLimitBytes: Bytes.optional(),
  at: Timestamp
})
export type WorkspaceUsage = z.infer<typeof WorkspaceUsage>

export const DiskObjectKind = z.enum(['image', 'container', 'volume', 'network'])

/** One thing on the engine's disk that Sandlot made. */
export const DiskObject = z.object({
  kind: DiskObjectKind,
  /** The engine's id (images, containers) or the volume's name. */
  id: z.string(),
  /** An image's tag, a container's or volume's name. */
  name: z.string(),
  /** What it takes on its own: an image's size, a container's writable layer, a volume's data, nothing for a network (-1 when the engine does not say). */
  bytes: z.number().int().min(-1),
  /** The role label (pool, workspace, deps) or what it is for. */
  role: z.string().optional(),
  /** Why it may be pruned; absent when it is kept. */
  prunable: z.string().optional()
})
export type DiskObject = z.infer<typeof DiskObject>

export const DiskUsage = z.object({
  objects: z.array(DiskObject),
  totals: z.object({ images: Bytes, containers: Bytes, volumes: Bytes, prunable: Bytes })
})
export type DiskUsage = z.infer<typeof DiskUsage>

export const PruneResult = z.object({
  removed: z.array(DiskObject),
  failed: z.array(z.object({ object: DiskObject, message: z.string() })),
  bytes: Bytes
})
export type PruneResult = z.infer<typeof PruneResult>

const PruneAll = z
  .boolean()
  .optional()
  .describe("Also every other object of this data folder on the engine: warm pool containers (running too), its volumes (npm cache, dependency snapshots) and its workspace network; only once it has no workspace")

export const resourceMethods = {
  /** CPU and memory of every running workspace now (a fresh sample each, or the live streams' latest). */
  'resources.usage': { params: z.object({}).strict(), result: z.array(WorkspaceUsage) },
  /**
   * Sandlot's images, containers and volumes with their sizes, and which of them prune would remove. `all`: what
   * `system.prune` with `all` would remove (refused with CONFLICT while the data folder has a workspace).
   */
  'system.df': { params: z.object({ all: PruneAll }).strict(), result: DiskUsage },
  /**
   * Removes what `system.df` lists as prunable (old core image tags nothing uses, stopped pool containers,
   * dependency build leftovers), never a workspace. `only`: just these ids, the ones the user was shown and
   * agreed to; each is checked again, so something that became used since is kept. `all`: the data folder's
   * teardown, refused with CONFLICT (naming what blocks it) while it has a workspace or a `sandlot serve` runs.
   */
  'system.prune': { params: z.object({ only: z.array(z.string().min(1).max(256)).max(10_000).optional(), all: PruneAll }).strict(), result: PruneResult }
} as const

export const resourceEvents = {
  /** Every running workspace's usage, about every two seconds while someone subscribes (the streams stop when nobody does). */
  'resources.usage': z.object({ workspaces: z.array(WorkspaceUsage) })
} as const
