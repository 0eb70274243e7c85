import { randomBytes } from 'node:crypto'
import { and, count, eq, isNull, notLike, sql } from 'drizzle-orm'
import type Dockerode from 'dockerode'
import { unlessMissing } from '../engine/engine-missing'
import type { PoolStatus } from '../contract'
import type { SandlotDb } from '../store/database'
import { poolContainers, workspaces } from '../store/schema'
import { publishedPreviewPort, workspaceContainerSpec, workspaceNetworkName } from './container-spec'
import { ensureWorkspaceNetwork, freeLoopbackPort } from './workspace-network'
import { ensureInstanceVolumes } from './instance-volumes'

/**
 * The container spec's version, put on pool containers as a label: bump it when what createContainer makes
 * changes, and warm containers made before are replaced (claims skip them, fills remove them).
 */
export const POOL_SPEC_VERSION = '3'
export const POOL_SPEC_LABEL = 'dev.sandlot.pool-spec'

/**
 * A fill reserves its slot with a placeholder row `pending:<id>` before creating the container
 * `sandlot-pool-<id>`, so the target holds across processes; placeholders are never claimed or counted as ready.
 */
const PENDING = 'pending:'
/** A placeholder older than this was left by a process that died while creating its container. */
export const PENDING_TTL_MS = 5 * 60_000

export interface PoolDeps {
  db: SandlotDb
  instanceId: string
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  settings: () => { size: number; maxConcurrentCreates: number }
  /** The `network.blockHostAccess` setting, read at each container create; left out, the host guard is not touched. */
  blockHostAccess?: () => boolean
  now?: () => Date
}

export interface ClaimedContainer {
  containerId: string
  previewPort: number | undefined
}

type PoolRow = typeof poolContainers.$inferSelect

const isPending = (row: PoolRow): boolean => row.containerId.startsWith(PENDING)
const pendingName = (placeholder: string): string => `sandlot-pool-${placeholder.slice(PENDING.length)}`

/**
 * Warm containers of the core image, started and waiting. Any process may fill or claim: a claim is one
 * conditional UPDATE and a fill's slot one conditional INSERT, so two processes never get the same container
 * and never overshoot the target together.
 */
export class WorkspacePool {
  readonly #deps: PoolDeps

  constructor(deps: PoolDeps) {
    this.#deps = deps
  }

  get instanceId(): string {
    return this.#deps.instanceId
  }

  /**
   * Takes a warm container that is really running (after an engine or host restart the pool's containers are
   * stopped, or pruned) and made with the current spec: others met on the way are dropped. Nothing when the
   * pool is empty.
   */
  async claimRunning(workspace: string, imageTag: string): Promise<ClaimedContainer | undefined> {
    for (;;) {
      const claimed = this.claim(workspace, imageTag)
      if (!claimed) return undefined
      const info = await unlessMissing(this.#deps.engine((docker) => docker.getContainer(claimed.containerId).inspect()))
      if (info?.State.Running && info.Config.Labels?.[POOL_SPEC_LABEL] === POOL_SPEC_VERSION) return claimed
      await this.#remove(claimed.containerId)
    }
  }

  /** Takes a warm container of this image for a workspace, or nothing when the pool is empty. */
  claim(workspace: string, imageTag: string): ClaimedContainer | undefined {
    const p = poolContainers
    const row = this.#deps.db
      .update(p)
      .set({ claimedBy: workspace, claimedAt: this.#now() })
      .where(
        sql`${p.containerId} = (SELECT ${p.containerId} FROM ${p} WHERE ${p.claimedBy} IS NULL AND ${p.containerId} NOT LIKE ${PENDING + '%'} AND ${p.imageTag} = ${imageTag} ORDER BY ${p.createdAt} LIMIT 1) AND ${p.claimedBy} IS NULL`
      )
      .returning()
      .get()
    return row ? { containerId: row.containerId, previewPort: row.previewPort ?? undefined } : undefined
  }

  /** Puts back what was claimed for a workspace whose create ended before using it (only that container, if named). */
  unclaimFor(workspace: string, containerId?: string): void {
    const claim = eq(poolContainers.claimedBy, workspace)
    this.#deps.db
      .update(poolContainers)
      .set({ claimedBy: null, claimedAt: null })
      .where(containerId ? and(claim, eq(poolContainers.containerId, containerId)) : claim)
      .run()
  }

  /** A claimed container became its workspace's: it leaves the pool's books. */
  release(containerId: string): void {
    this.#deps.db.delete(poolContainers).where(eq(poolContainers.containerId, containerId)).run()
  }

  /** Creates a started, template-agnostic container (for the pool, or cold for a workspace when it is empty). */
  async createContainer(
    imageTag: string,
    role: 'pool' | 'workspace',
    name: string,
    workspace?: { name: string; templateId: string },
    /** More mounts than every workspace's (a `--mount` workspace's host folder and dependency volume). */
    mounts: Dockerode.MountSettings[] = []
  ): Promise<ClaimedContainer> {
    const spec = workspaceContainerSpec({
      imageTag,
      instanceId: this.#deps.instanceId,
      name,
      role,
      ...(workspace ? { workspace: workspace.name, templateId: workspace.templateId } : {}),
      network: workspaceNetworkName(this.#deps.instanceId),
      previewHostPort: await freeLoopbackPort()
    })
    if (role === 'pool') spec.Labels = { ...spec.Labels, [POOL_SPEC_LABEL]: POOL_SPEC_VERSION }
    spec.HostConfig!.Mounts = [...(spec.HostConfig!.Mounts ?? []), ...mounts]
    return this.#deps.engine(async (docker) => {
      const guard = this.#deps.blockHostAccess
      await ensureWorkspaceNetwork(docker, this.#deps.instanceId, guard ? { block: guard(), image: imageTag } : undefined)
      await ensureInstanceVolumes(docker, this.#deps.instanceId)
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

  /**
   * Brings the pool to its target with containers of this image and spec: removes unclaimed ones of older
   * images or specs, and the surplus when the target was lowered, then creates what is missing.
   */
  async fill(imageTag: string, onCreated: (done: number, total: number) => void = () => {}): Promise<PoolStatus> {
    const { outdated } = await this.#reconcile()
    for (const row of this.#waiting()) {
      if (row.imageTag !== imageTag || outdated.has(row.containerId)) await this.#discard(row.containerId)
    }
    const { size, maxConcurrentCreates } = this.#deps.settings()
    for (let surplus = this.#trimOne(imageTag, size); surplus; surplus = this.#trimOne(imageTag, size)) await this.#removeContainer(surplus)

    const total = Math.max(0, size - this.#count(imageTag))
    let done = 0
    let failure: { error: unknown } | undefined
    const lane = async (): Promise<void> => {
      while (!failure) {
        const slot = this.#reserve(imageTag, size)
        if (!slot) return
        try {
          if (await this.#createInto(slot, imageTag)) onCreated(++done, Math.max(total, done))
        } catch (error) {
          failure ??= { error }
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(total, maxConcurrentCreates) }, lane))
    if (failure) throw failure.error
    return this.status(imageTag)
  }

  async status(imageTag: string): Promise<PoolStatus> {
    const { orphans, outdated } = await this.#reconcile()
    const waiting = this.#waiting()
    const ready = waiting.filter((r) => r.imageTag === imageTag && !outdated.has(r.containerId)).length
    return { target: this.#deps.settings().size, ready, stale: waiting.length - ready, orphans }
  }

  /**
   * Brings the books in line with the engine after a restart of anything: rows whose container is gone are
   * dropped; containers of this instance that no row knows are returned as orphans, never deleted silently.
   */
  async reconcile(): Promise<PoolStatus['orphans']> {
    return (await this.#reconcile()).orphans
  }

  async #reconcile(): Promise<{ orphans: PoolStatus['orphans']; outdated: Set<string> }> {
    const { db } = this.#deps
    // Rows are read before the engine is asked: a row filled in meanwhile (by a fill elsewhere) may name a
    // container the listing does not show yet, and must not be taken for gone.
    const rows = db.select().from(poolContainers).all()
    const containers = await this.#deps.engine((docker) =>
      docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${this.#deps.instanceId}`, 'dev.sandlot.managed=true'] } })
    )
    const name = (c: Dockerode.ContainerInfo): string => (c.Names[0] ?? '').replace(/^\//, '')
    const byId = new Map(containers.map((c) => [c.Id, c]))
    const byName = new Map(containers.map((c) => [name(c), c]))
    const removed = new Set<string>()
    const abandonedBefore = this.#nowDate().getTime() - PENDING_TTL_MS
    for (const row of rows) {
      const container = byId.get(row.containerId)
      if (isPending(row)) {
        if (Date.parse(row.createdAt) >= abandonedBefore || !this.#take(row.containerId)) continue
        // By the id this instance's listing gives: names are engine-wide.
        const left = byName.get(pendingName(row.containerId))
        if (left) {
          await this.#removeContainer(left.Id)
          removed.add(left.Id)
        }
      } else if (!container) {
        db.delete(poolContainers).where(eq(poolContainers.containerId, row.containerId)).run()
      } else if (container.State !== 'running' && row.claimedBy === null && (await this.#discard(row.containerId))) {
        // A stopped warm container (the engine or host restarted) is no longer warm: replaced on the next fill.
        removed.add(row.containerId)
      }
    }
    const known = new Set([
      ...db.select().from(poolContainers).all().map((r) => (isPending(r) ? pendingName(r.containerId) : r.containerId)),
      ...db.select({ id: workspaces.containerId }).from(workspaces).all().map((r) => r.id)
    ])
    // Dependency snapshot builders come and go on their own (dependency-snapshots.ts cleans up after them).
    const orphans = containers
      .filter((c) => !known.has(c.Id) && !known.has(name(c)) && !removed.has(c.Id) && c.Labels['dev.sandlot.role'] !== 'deps')
      .map((c) => ({ id: c.Id, name: name(c), role: c.Labels['dev.sandlot.role'] ?? 'unknown' }))
    const outdated = new Set(containers.filter((c) => c.Labels['dev.sandlot.role'] === 'pool' && c.Labels[POOL_SPEC_LABEL] !== POOL_SPEC_VERSION).map((c) => c.Id))
    return { orphans, outdated }
  }

  /** Reserves one slot (a placeholder row) while fewer than `size` wait for this image; atomic across processes. */
  #reserve(imageTag: string, size: number): string | undefined {
    const p = poolContainers
    const placeholder = `${PENDING}${randomBytes(4).toString('hex')}`
    const row = this.#deps.db
      .insert(p)
      .select(
        sql`SELECT ${placeholder}, ${imageTag}, NULL, ${this.#now()}, NULL, NULL WHERE (SELECT count(*) FROM ${p} WHERE ${p.claimedBy} IS NULL AND ${p.imageTag} = ${imageTag}) < ${size}`
      )
      .returning({ id: p.containerId })
      .get()
    return row?.id
  }

  /** Creates the placeholder's container and puts it in the row; false when the slot was given up meanwhile. */
  async #createInto(placeholder: string, imageTag: string): Promise<boolean> {
    const { db } = this.#deps
    let created: ClaimedContainer
    try {
      created = await this.createContainer(imageTag, 'pool', pendingName(placeholder))
    } catch (err) {
      db.delete(poolContainers).where(eq(poolContainers.containerId, placeholder)).run()
      throw err
    }
    const filled = db
      .update(poolContainers)
      .set({ containerId: created.containerId, previewPort: created.previewPort ?? null, createdAt: this.#now() })
      .where(eq(poolContainers.containerId, placeholder))
      .run()
    // A reconcile took the placeholder for abandoned: this container has no slot any more.
    if (filled.changes === 0) await this.#removeContainer(created.containerId)
    return filled.changes > 0
  }

  /**
   * Gives up the newest waiting container while more than `size` wait for this image; atomic, so concurrent
   * trims stop at the target. Newest first: claims take the oldest, so a trim and a claim never aim at one row.
   */
  #trimOne(imageTag: string, size: number): string | undefined {
    const p = poolContainers
    return this.#deps.db
      .delete(p)
      .where(
        sql`${p.containerId} = (SELECT ${p.containerId} FROM ${p} WHERE ${p.claimedBy} IS NULL AND ${p.containerId} NOT LIKE ${PENDING + '%'} AND ${p.imageTag} = ${imageTag} ORDER BY ${p.createdAt} DESC LIMIT 1) AND (SELECT count(*) FROM ${p} WHERE ${p.claimedBy} IS NULL AND ${p.imageTag} = ${imageTag}) > ${size}`
      )
      .returning({ id: p.containerId })
      .get()?.id
  }

  /** Unclaimed rows of real containers (placeholders aside). */
  #waiting(): PoolRow[] {
    return this.#deps.db
      .select()
      .from(poolContainers)
      .where(and(isNull(poolContainers.claimedBy), notLike(poolContainers.containerId, `${PENDING}%`)))
      .all()
  }

  /** Unclaimed rows of this image, placeholders included: what the target counts. */
  #count(imageTag: string): number {
    const row = this.#deps.db
      .select({ n: count() })
      .from(poolContainers)
      .where(and(isNull(poolContainers.claimedBy), eq(poolContainers.imageTag, imageTag)))
      .get()
    return row?.n ?? 0
  }

  /** Deletes an unclaimed row; true when this call did it (so only one process goes on to remove its container). */
  #take(containerId: string): boolean {
    return this.#deps.db.delete(poolContainers).where(and(eq(poolContainers.containerId, containerId), isNull(poolContainers.claimedBy))).run().changes > 0
  }

  /** Removes a waiting container, unless a claim got it first. */
  async #discard(containerId: string): Promise<boolean> {
    if (!this.#take(containerId)) return false
    await this.#removeContainer(containerId)
    return true
  }

  /** Removes a claimed container that cannot be used, and its row. */
  async #remove(containerId: string): Promise<void> {
    await this.#removeContainer(containerId)
    this.release(containerId)
  }

  async #removeContainer(containerId: string): Promise<void> {
    await unlessMissing(this.#deps.engine((docker) => docker.getContainer(containerId).remove({ force: true })))
  }

  #nowDate(): Date {
    return this.#deps.now?.() ?? new Date()
  }

  #now(): string {
    return this.#nowDate().toISOString()
  }
}

/**
 * Runs a refill on request and every `intervalMs`, never two at once: a request while one runs queues one
 * more, so a claim made during a refill is still made up for.
 */
export class RefillSchedule {
  readonly #run: () => Promise<void>
  readonly #intervalMs: number
  #timer: ReturnType<typeof setInterval> | undefined
  #running = false
  #again = false
  #stopped = false

  constructor(run: () => Promise<void>, intervalMs: number) {
    this.#run = run
    this.#intervalMs = intervalMs
  }

  start(): void {
    if (this.#timer || this.#stopped) return
    this.#timer = setInterval(() => this.request(), this.#intervalMs)
    // Never what keeps a process alive.
    this.#timer.unref?.()
  }

  request(): void {
    if (this.#stopped) return
    if (this.#running) {
      this.#again = true
      return
    }
    this.#running = true
    void this.#run()
      .catch(() => undefined)
      .finally(() => {
        this.#running = false
        if (this.#again) {
          this.#again = false
          this.request()
        }
      })
  }

  stop(): void {
    this.#stopped = true
    clearInterval(this.#timer)
  }
}
