import type Dockerode from 'dockerode'
import { eq } from 'drizzle-orm'
import type { Workspace } from '../contract'
import { SandlotError } from '../sandlot-error'
import { workspaces } from '../store/schema'
import { watchAppReadiness } from './app-readiness'
import { removeModulesVolume } from './host-mount'
import { claimRoomToRun, dropRunClaim } from './running-cap'
import { PENDING, storedManifest, type WorkspaceRecords, type WorkspaceRow } from './workspace-records'
import type { WorkspaceDeps } from './workspace-deps'

/** Starting, stopping, restarting and removing a workspace's container, within the cap on running ones. */
export class WorkspaceLifecycle {
  constructor(
    private readonly deps: WorkspaceDeps,
    private readonly records: WorkspaceRecords
  ) {}

  /** Starts the container and, for a template with an app, waits until the monitor has it ready again. */
  async start(name: string): Promise<Workspace> {
    const row = this.records.require(name)
    await this.records.inWorkspace(row, async (container) => {
      if ((await container.inspect()).State.Running) return
      const slot = await claimRoomToRun(this.deps, name)
      try {
        await container.start()
        await this.#untilAppResumed(row, container)
      } finally {
        slot.settle()
      }
    })
    return this.records.get(name)
  }

  async stop(name: string): Promise<Workspace> {
    const row = this.records.require(name)
    await this.records.inWorkspace(row, async (container) => {
      if ((await container.inspect()).State.Running) await container.stop()
    })
    return this.records.get(name)
  }

  async restart(name: string): Promise<Workspace> {
    const row = this.records.require(name)
    await this.records.inWorkspace(row, async (container) => {
      // A stopped one is started by a restart: it needs a slot under the cap as a start does.
      const slot = (await container.inspect()).State.Running ? undefined : await claimRoomToRun(this.deps, name)
      try {
        await container.restart()
        await this.#untilAppResumed(row, container)
      } finally {
        slot?.settle()
      }
    })
    return this.records.get(name)
  }

  /** The monitor resumes the app after a container start: its records from that start on say when it is back. */
  async #untilAppResumed(row: WorkspaceRow, container: Dockerode.Container): Promise<void> {
    const manifest = storedManifest(row)
    // A workspace whose create failed never gave the monitor its app: there is nothing to come back.
    if (row.status !== 'ready' || !manifest?.start) return
    const startedAt = (await container.inspect()).State.StartedAt
    const readiness = await this.deps.engine((docker) => watchAppReadiness(docker, row.containerId, { since: startedAt }))
    try {
      await readiness.ready(row.previewPort ?? undefined, { ...this.deps.appWait, expectPort: manifest.port !== undefined, stoppedIsFine: true })
    } finally {
      readiness.close()
    }
  }

  /**
   * Removes the workspace and its container (and /app with it). A running one is refused unless forced, and
   * then stopped gracefully first, so the monitor still writes its last records.
   */
  async remove(name: string, options: { force?: boolean } = {}): Promise<{ name: string; removed: true }> {
    const row = this.records.require(name)
    await this.deps.engine(async (docker) => {
      const { container, info } = await this.records.containerOf(docker, row)
      if (row.status === 'creating' && !options.force) {
        throw new SandlotError('CONFLICT', `${name} is still being created.`, `Wait for it, or cancel it: \`sandlot rm --force ${name}\`.`)
      }
      // A failed workspace's container is kept running only so it can be looked into: removing it needs no force.
      if (info?.State.Running) {
        if (!options.force && row.status !== 'failed') {
          throw new SandlotError('CONFLICT', `${name} is running.`, `Stop it first (\`sandlot stop ${name}\`), or remove it anyway with \`sandlot rm --force ${name}\`.`)
        }
        await container.stop()
      }
      if (info) await container.remove({ force: true })
      await removeModulesVolume(docker, this.deps.pool.instanceId, name)
    })
    // A create cut short between its claim and using it: the warm container goes back, untouched.
    if (row.containerId.startsWith(PENDING)) this.deps.pool.unclaimFor(name)
    this.deps.db.delete(workspaces).where(eq(workspaces.name, name)).run()
    dropRunClaim(this.deps, name)
    return { name, removed: true }
  }
}
