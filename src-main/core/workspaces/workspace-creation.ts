import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { and, eq } from 'drizzle-orm'
import type Dockerode from 'dockerode'
import { unlessMissing } from '../engine/engine-missing'
import type { CreatePhase, CreateProgress, Workspace } from '../contract'
import { SandlotError, toErrorInfo } from '../sandlot-error'
import { workspaces } from '../store/schema'
import { limitsUpdate } from './container-spec'
import { uploadToApp } from './app-upload'
import { CREATOR } from './creator'
import type { SnapshotRequest } from './dependency-snapshots'
import { installDependencies } from './dependency-install'
import { teeTemplateArchive } from './install-inputs'
import { planInstall } from './install-plan'
import { watchAppReadiness } from './app-readiness'
import { startApp } from './monitor-control'
import { claimRoomToRun } from './running-cap'
import { CREATE_HEARTBEAT_MS, PENDING, type WorkspaceRecords } from './workspace-records'
import type { WorkspaceDeps, WorkspaceTemplate } from './workspace-deps'
import { createModulesVolume, hostFolderMounts } from './host-mount'

/** What a create says while the app starts, for the monitor's states worth telling (the others are steps). */
const APP_STATE_PROGRESS: Partial<Record<string, string>> = {
  running: 'The app runs but is not ready yet',
  crashed: 'The app exited',
  'backing-off': 'Restarting the app'
}

/**
 * Creating a workspace in phases, each reported: the name claimed in the database, a container (warm from the
 * pool, or new), the files injected and dependencies installed, the app started and waited for. A failure keeps
 * the workspace (status failed, with what went wrong) so the user can look inside, retry or remove it.
 */
export class WorkspaceCreation {
  constructor(
    private readonly deps: WorkspaceDeps,
    private readonly records: WorkspaceRecords
  ) {}

  async create(template: WorkspaceTemplate, requested: { name?: string; idleStopMinutes?: number }, onProgress: (p: CreateProgress) => void, retry?: string): Promise<Workspace> {
    const manifest = template.manifest
    const name = requested.name ?? `${manifest.id.slice(0, 50)}-${randomBytes(3).toString('hex')}`
    const existing = this.records.row(name)
    if (existing) {
      const failed = existing.status === 'failed'
      throw new SandlotError(
        'CONFLICT',
        `A workspace named "${name}" already exists${failed ? ' (its create failed)' : ''}.`,
        failed && retry ? `Create it again in its place with \`${retry} --name ${name} --replace\` (the same source as before), or remove it with \`sandlot rm ${name}\`.` : `Pick another name, or remove it first with \`sandlot rm ${name}\`.`
      )
    }
    await this.assertNameFree(name)
    const report = (phase: CreatePhase, message: string, fraction?: number): void =>
      onProgress({ workspace: name, phase, message, ...(fraction === undefined ? {} : { fraction }) })

    // The name is taken in the database first (one insert, atomic across processes), before any container
    // exists: a create cut short at any point leaves a row that says so, never a container nobody knows. It is
    // taken with the slot under the running cap, in one transaction: a create refused at the cap leaves nothing.
    const now = this.records.now()
    const pendingId = `${PENDING}${randomBytes(6).toString('hex')}`
    const slot = await claimRoomToRun(this.deps, name, () => {
      try {
        this.deps.db
          .insert(workspaces)
          .values({
            name,
            templateId: manifest.id,
            containerId: pendingId,
            status: 'creating',
            phase: 'claim',
            manifest: JSON.stringify(manifest),
            creator: CREATOR,
            idleStopMinutes: requested.idleStopMinutes ?? null,
            createdAt: now,
            updatedAt: now
          })
          .run()
      } catch (err) {
        throw new SandlotError('CONFLICT', `A workspace named "${name}" is being created by another Sandlot process.`, 'Pick another name.', { cause: err })
      }
    })

    let snapshot: SnapshotRequest | undefined
    // While it creates, the row says so now and then: a row that stops saying so was left by a dead process.
    const heartbeat = setInterval(() => {
      this.deps.db
        .update(workspaces)
        .set({ updatedAt: this.records.now() })
        .where(and(eq(workspaces.name, name), eq(workspaces.status, 'creating')))
        .run()
    }, CREATE_HEARTBEAT_MS)
    heartbeat.unref()
    try {
      report('claim', 'Preparing the core image', 0)
      const imageTag = await this.deps.imageTag()
      const mount = template.mount
      // A bind mount is fixed at container create: a warm container cannot take one.
      const claimed = mount ? undefined : await this.deps.pool.claimRunning(name, imageTag)
      report('claim', mount ? `Starting a new container with ${mount} mounted at /app` : claimed ? 'Took a warm container from the pool' : 'The pool is empty: starting a new container', 0.1)
      const instanceId = this.deps.pool.instanceId
      if (mount) await this.deps.engine((docker) => createModulesVolume(docker, instanceId, name, imageTag))
      const mounts = mount ? hostFolderMounts(mount, instanceId, name) : []
      const container = claimed ?? (await this.deps.pool.createContainer(imageTag, 'workspace', `sandlot-${name}`, { name, templateId: manifest.id }, mounts))
      const recorded = this.deps.db
        .update(workspaces)
        .set({ containerId: container.containerId, previewPort: container.previewPort ?? null })
        .where(and(eq(workspaces.name, name), eq(workspaces.containerId, pendingId)))
        .run()
      if (recorded.changes === 0) {
        // Removed (`rm --force`) while it waited for its container: a warm one goes back to the pool (if the
        // remove has not put it back already), a cold one is ours alone to remove.
        if (claimed) this.deps.pool.unclaimFor(name, claimed.containerId)
        else await this.deps.engine((docker) => docker.getContainer(container.containerId).remove({ force: true })).catch(() => undefined)
        throw new SandlotError('INTERRUPTED', `${name} was removed while it was being created.`)
      }
      if (claimed) this.deps.pool.release(claimed.containerId)

      await this.deps.engine(async (docker) => {
        const handle = docker.getContainer(container.containerId)
        if (claimed) await handle.rename({ name: `sandlot-${name}` })
        await handle.update(limitsUpdate(manifest.limits))

        this.records.phase(name, 'inject')
        if (mount) {
          report('inject', `${mount} is mounted at /app: edits on either side are the same files`, 0.2)
          if (manifest.install) {
            // Into the workspace's own node_modules volume; never kept for other workspaces (its files change under it).
            this.records.phase(name, 'install')
            report('install', `Installing dependencies into the workspace's node_modules volume: ${manifest.install}`, 0.3)
            await installDependencies(handle, manifest.install, manifest.env ?? {}, (line) => report('install', line, 0.3))
          }
        } else {
          snapshot = await this.#injectAndInstall(name, handle, template, imageTag, report)
        }

        if (manifest.start) {
          this.records.phase(name, 'start')
          report('start', `Starting: ${manifest.start}`, 0.8)
          const readiness = await watchAppReadiness(docker, container.containerId)
          try {
            await startApp(handle, manifest)
            report('start', 'Waiting for the app to answer', 0.85)
            await readiness.ready(container.previewPort, {
              ...this.deps.appWait,
              expectPort: manifest.port !== undefined,
              ...(manifest.port === undefined ? {} : { appPort: manifest.port }),
              onState: (state, reason) => {
                const said = APP_STATE_PROGRESS[state]
                if (said) report('start', `${said}: ${reason}`, 0.85)
              },
              onPortFound: (port) => report('start', `The template names no port: found the app listening on port ${port}, the preview forwards to it`, 0.9)
            })
          } finally {
            readiness.close()
          }
        }
      })
      this.records.phase(name, 'ready', 'ready')
      report('ready', 'Ready', 1)
    } catch (err) {
      if (await this.#cutShortElsewhere(name)) {
        const interrupted = new SandlotError('INTERRUPTED', `${name} was stopped or removed by another command while it was being created.`, `If it is still listed, remove it with \`sandlot rm ${name}\` and create it again.`, { cause: err })
        this.records.fail(name, toErrorInfo(interrupted))
        throw interrupted
      }
      this.records.fail(name, toErrorInfo(err))
      throw err
    } finally {
      clearInterval(heartbeat)
      slot.settle()
    }
    // After ready, so the first workspace never waits for it; the next one of this lockfile copies instead.
    const dispose = (): void => template.dispose?.()
    if (snapshot) void this.deps.snapshots.capture(snapshot).then(dispose, dispose)
    else dispose()
    return this.records.get(name)
  }

  /**
   * The template's files into /app, then its dependencies: copied from a snapshot of the same lockfile when one
   * is kept, else installed (and then a snapshot is due, returned for after the create).
   */
  async #injectAndInstall(
    name: string,
    handle: Dockerode.Container,
    template: WorkspaceTemplate,
    imageTag: string,
    report: (phase: CreatePhase, message: string, fraction?: number) => void
  ): Promise<SnapshotRequest | undefined> {
    const manifest = template.manifest
    report('inject', 'Copying the template into /app', 0.2)
    const { archive, inputs, digest } = teeTemplateArchive(await template.pack())
    await uploadToApp(handle, archive)
    if (!manifest.install) return undefined
    this.records.phase(name, 'install')
    const plan = planInstall(manifest, await inputs, await digest, imageTag)
    const kept = plan.snapshotKey !== undefined && this.deps.snapshots.has(plan.snapshotKey)
    if (kept) report('install', 'Copying the dependencies kept from an earlier install of the same lockfile: nothing to download', 0.3)
    if (kept && (await this.deps.snapshots.restore(handle, plan.snapshotKey!))) {
      report('install', 'Dependencies copied', 0.75)
      return undefined
    }
    report('install', `Installing dependencies: ${manifest.install}`, 0.3)
    const env = { ...manifest.env, ...plan.env }
    await installDependencies(handle, manifest.install, env, (line) => report('install', line, 0.3))
    if (!plan.snapshotKey) return undefined
    return { key: plan.snapshotKey, templateId: manifest.id, imageTag, install: manifest.install, env, pack: () => template.pack(), digest: await digest }
  }

  /** Whether a create failed because another command stopped or removed its workspace meanwhile. */
  async #cutShortElsewhere(name: string): Promise<boolean> {
    const before = this.records.row(name)
    if (!before) return true
    if (before.containerId.startsWith(PENDING)) return false
    // A stop or remove elsewhere kills our exec a moment before the engine reports the container stopped, so
    // look a few times. (Not `wait()`: that request stays open while the container runs, as a failed one does.)
    for (let look = 0; look < 5; look++) {
      const row = this.records.row(name)
      if (!row) return true
      const found = await this.deps.engine((docker) => this.records.containerOf(docker, row)).then(
        (c) => c.info,
        () => null
      )
      if (found === undefined || (found !== null && !found.State.Running)) return true
      await sleep(200)
    }
    return false
  }

  /** Container names are engine-wide: another data folder (or anything else) may hold `sandlot-<name>`. */
  async assertNameFree(name: string): Promise<void> {
    if (await unlessMissing(this.deps.engine((docker) => docker.getContainer(`sandlot-${name}`).inspect()))) {
      throw new SandlotError(
        'CONFLICT',
        `The engine already has a container named sandlot-${name}, which this data folder does not know.`,
        'Pick another name. It may belong to another Sandlot data folder (SANDLOT_HOME); `docker rm -f sandlot-' + name + '` removes it if it is yours to delete.'
      )
    }
  }
}
