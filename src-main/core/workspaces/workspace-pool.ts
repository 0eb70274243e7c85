import { randomBytes } from 'node:crypto'
import { and, eq, isNull, sql } from 'drizzle-orm'
import type Dockerode from 'dockerode'
import type { PoolStatus } from '../contract'
import type { SandlotDb } from '../store/database'
import { poolContainers, workspaces } from '../store/schema'
import { npmCacheVolumeName, publishedPreviewPort, workspaceContainerSpec, workspaceNetworkName } from './container-spec'
import { ensureWorkspaceNetwork, freeLoopbackPort } from './workspace-network'

export interface PoolDeps {
  db: SandlotDb
  instanceId: string
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  settings: () => { size: number; maxConcurrentCreates: number }
  now?: () => Date
}

export interface ClaimedContainer {
  containerId: string
  previewPort: number | undefined
}

/**
 * Warm containers of the core image, started and waiting. Any process may fill or claim: a claim is one
 * conditional UPDATE, so two processes never get the same container.
 */
export class WorkspacePool {
  readonly #deps: PoolDeps

  constructor(deps: PoolDeps) {
    this.#deps = deps
  }

  /**
   * Takes a warm container that is really running (after an engine or host restart the pool's containers are
   * stopped, or pruned): dead ones met on the way are dropped. Nothing when the pool is empty.
   */
  async claimRunning(workspace: string, imageTag: string): Promise<ClaimedContainer | undefined> {
    for (;;) {
      const claimed = this.claim(workspace, imageTag)
      if (!claimed) return undefined
      const running = await this.#deps
        .engine((docker) => docker.getContainer(claimed.containerId).inspect())
        .then(
          (info) => info.State.Running,
          (err: { statusCode?: number }) => {
            if (err.statusCode === 404) return false
            throw err
          }
        )
      if (running) return claimed
      await this.#remove(claimed.containerId)
    }
  }

  /** Takes a warm container of this image for a workspace, or nothing when the pool is empty. */
  claim(workspace: string, imageTag: string): ClaimedContainer | undefined {
    const row = this.#deps.db
      .update(poolContainers)
      .set({ claimedBy: workspace, claimedAt: this.#now() })
      .where(
        sql`${poolContainers.containerId} = (SELECT ${poolContainers.containerId} FROM ${poolContainers} WHERE ${poolContainers.claimedBy} IS NULL AND ${poolContainers.imageTag} = ${imageTag} ORDER BY ${poolContainers.createdAt} LIMIT 1) AND ${poolContainers.claimedBy} IS NULL`
      )
      .returning()
      .get()
    return row ? { containerId: row.containerId, previewPort: row.previewPort ?? undefined } : undefined
  }

  /** Puts a claimed container back, when the claim could not be used. */
  unclaim(containerId: string): void {
    this.#deps.db.update(poolContainers).set({ claimedBy: null, claimedAt: null }).where(eq(poolContainers.containerId, containerId)).run()
  }

  /** A claimed container became its workspace's: it leaves the pool's books. */
  release(containerId: string): void {
    this.#deps.db.delete(poolContainers).where(eq(poolContainers.containerId, containerId)).run()
  }

  /** Creates a started, template-agnostic container (for the pool, or cold for a workspace when it is empty). */
  async createContainer(imageTag: string, role: 'pool' | 'workspace', name: string, workspace?: { name: string; templateId: string }): Promise<ClaimedContainer> {
    const spec = workspaceContainerSpec({
      imageTag,
      instanceId: this.#deps.instanceId,
      name,
      role,
      ...(workspace ? { workspace: workspace.name, templateId: workspace.templateId } : {}),
      npmCacheVolume: npmCacheVolumeName(this.#deps.instanceId),
      network: workspaceNetworkName(this.#deps.instanceId),
      previewHostPort: await freeLoopbackPort()
    })
    return this.#deps.engine(async (docker) => {
      await ensureWorkspaceNetwork(docker, this.#deps.instanceId)
      const container = await docker.createContainer(spec)
      try {
        await container.start()
        return { containerId: container.id, previewPort: publishedPreviewPort(await container.inspect()) }
      } catch (err) {
        await container.remove({ force: true }).catch(() => undefined)
        throw err
      }
    })
  }

  /** Tops the pool up to its target with containers of this image, and removes pooled ones of older images. */
  async fill(imageTag: string, onCreated: (done: number, total: number) => void = () => {}): Promise<PoolStatus> {
    await this.reconcile()
    const { db } = this.#deps
    const stale = db.select().from(poolContainers).where(and(isNull(poolContainers.claimedBy), sql`${poolContainers.imageTag} != ${imageTag}`)).all()
    for (const row of stale) await this.#remove(row.containerId)
    const ready = this.#unclaimed(imageTag)
    const missing = Math.max(0, this.#deps.settings().size - ready)
    let done = 0
    const createOne = async (): Promise<void> => {
      const name = `sandlot-pool-${randomBytes(4).toString('hex')}`
      const created = await this.createContainer(imageTag, 'pool', name)
      db.insert(poolContainers).values({ containerId: created.containerId, imageTag, previewPort: created.previewPort ?? null, createdAt: this.#now() }).run()
      onCreated(++done, missing)
    }
    const lanes = Math.min(missing, this.#deps.settings().maxConcurrentCreates)
    let next = 0
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < missing) {
          next++
          await createOne()
        }
      })
    )
    return this.status(imageTag)
  }

  async status(imageTag: string): Promise<PoolStatus> {
    const orphans = await this.reconcile()
    const all = this.#deps.db.select().from(poolContainers).where(isNull(poolContainers.claimedBy)).all()
    return {
      target: this.#deps.settings().size,
      ready: all.filter((r) => r.imageTag === imageTag).length,
      stale: all.filter((r) => r.imageTag !== imageTag).length,
      orphans
    }
  }

  /**
   * Brings the books in line with the engine after a restart of anything: rows whose container is gone are
   * dropped; containers of this instance that no row knows are returned as orphans, never deleted silently.
   */
  async reconcile(): Promise<PoolStatus['orphans']> {
    const containers = await this.#deps.engine((docker) =>
      docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${this.#deps.instanceId}`, 'dev.sandlot.managed=true'] } })
    )
    const alive = new Set(containers.map((c) => c.Id))
    const running = new Set(containers.filter((c) => c.State === 'running').map((c) => c.Id))
    const { db } = this.#deps
    for (const row of db.select().from(poolContainers).all()) {
      if (!alive.has(row.containerId)) db.delete(poolContainers).where(eq(poolContainers.containerId, row.containerId)).run()
      // A stopped warm container (the engine or host restarted) is no longer warm: replaced on the next fill.
      else if (!running.has(row.containerId) && row.claimedBy === null) await this.#remove(row.containerId)
    }
    const known = new Set([
      ...db.select({ id: poolContainers.containerId }).from(poolContainers).all().map((r) => r.id),
      ...db.select({ id: workspaces.containerId }).from(workspaces).all().map((r) => r.id)
    ])
    return containers
      .filter((c) => !known.has(c.Id))
      .map((c) => ({ id: c.Id, name: (c.Names[0] ?? '').replace(/^\//, ''), role: c.Labels['dev.sandlot.role'] ?? 'unknown' }))
  }

  #unclaimed(imageTag: string): number {
    return this.#deps.db
      .select()
      .from(poolContainers)
      .where(and(isNull(poolContainers.claimedBy), eq(poolContainers.imageTag, imageTag)))
      .all().length
  }

  async #remove(containerId: string): Promise<void> {
    await this.#deps.engine((docker) => docker.getContainer(containerId).remove({ force: true })).catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err
    })
    this.release(containerId)
  }

  #now(): string {
    return (this.#deps.now?.() ?? new Date()).toISOString()
  }
}
