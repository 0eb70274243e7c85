import type Dockerode from 'dockerode'
import { and, eq } from 'drizzle-orm'
import { unlessMissing } from '../engine/engine-missing'
import { TemplateManifest, type CreatePhase, type ErrorInfo, type Workspace } from '../contract'
import { SandlotError } from '../sandlot-error'
import { didYouMean } from '../closest-name'
import { workspaces } from '../store/schema'
import { publishedPreviewPort } from './container-spec'
import { creatorAlive } from './creator'
import type { WorkspaceDeps } from './workspace-deps'

export type WorkspaceRow = typeof workspaces.$inferSelect

/** The container id of a workspace whose container is not made (or claimed) yet. */
export const PENDING = 'pending:'
/** How often a create in progress says it is still alive; four missed beats make it interrupted. */
export const CREATE_HEARTBEAT_MS = 30_000

/**
 * A workspace's row and its container: reading and moving the row on (phases, failures, a create whose process
 * died), what the engine says of its container, and calls on that container with the engine's refusals explained.
 */
export class WorkspaceRecords {
  readonly #deps: Pick<WorkspaceDeps, 'db' | 'engine' | 'pool' | 'appStatus' | 'now'>

  constructor(deps: Pick<WorkspaceDeps, 'db' | 'engine' | 'pool' | 'appStatus' | 'now'>) {
    this.#deps = deps
  }

  all(): WorkspaceRow[] {
    return this.#deps.db.select().from(workspaces).all()
  }

  /** Workspaces whose create finished, with their containers (what an idle stop looks at). */
  madeContainers(): Array<{ name: string; containerId: string; idleStopMinutes: number | null }> {
    return this.#deps.db
      .select({ name: workspaces.name, containerId: workspaces.containerId, idleStopMinutes: workspaces.idleStopMinutes })
      .from(workspaces)
      .where(eq(workspaces.status, 'ready'))
      .all()
  }

  /**
   * Container id → workspace name, for every workspace that has its container. The database is the only
   * source: a container claimed from the warm pool keeps its pool labels (role=pool, no workspace label).
   */
  byContainer(): Map<string, string> {
    const rows = this.#deps.db.select({ name: workspaces.name, containerId: workspaces.containerId }).from(workspaces).all()
    return new Map(rows.filter((row) => !row.containerId.startsWith(PENDING)).map((row) => [row.containerId, row.name]))
  }

  /**
   * A workspace's container and what the engine says of it (nothing when it is gone). Before its container is
   * recorded, that is one a cut-short cold create may have left under the workspace's name, if it is ours.
   */
  async containerOf(docker: Dockerode, row: WorkspaceRow): Promise<{ container: Dockerode.Container; info: Dockerode.ContainerInspectInfo | undefined }> {
    const pending = row.containerId.startsWith(PENDING)
    const container = docker.getContainer(pending ? `sandlot-${row.name}` : row.containerId)
    const info = await unlessMissing(container.inspect())
    const ours = !pending || (info?.Config.Labels?.['dev.sandlot.instance'] === this.#deps.pool.instanceId && info.Config.Labels['dev.sandlot.workspace'] === row.name)
    return { container, info: ours ? info : undefined }
  }

  async get(name: string): Promise<Workspace> {
    return this.describe(this.require(name))
  }

  async describe(stored: WorkspaceRow): Promise<Workspace> {
    const row = this.#settleInterrupted(stored)
    const info = row.containerId.startsWith(PENDING) ? undefined : (await this.#deps.engine((docker) => this.containerOf(docker, row))).info
    // Every container publishes the preview port; only an app has something to show there: one without a
    // declared port gets the port the monitor finds it listening on (until then the preview says so).
    const made = storedManifest(row)
    const serves = made ? made.port !== undefined || made.start !== undefined : true
    const port = info && serves ? publishedPreviewPort(info) : undefined
    const running = info?.State.Running === true
    const app = this.#deps.appStatus?.(row.name, row.containerId)
    return {
      name: row.name,
      templateId: row.templateId,
      containerId: row.containerId,
      status: row.status as Workspace['status'],
      phase: row.phase as CreatePhase,
      container: info ? info.State.Status : row.containerId.startsWith(PENDING) ? 'none' : 'missing',
      ...(info?.State.Status === 'exited' ? { exitCode: info.State.ExitCode } : {}),
      ...(running && port ? { previewUrl: `http://127.0.0.1:${port}` } : {}),
      createdAt: row.createdAt,
      ...(row.error ? { error: JSON.parse(row.error) } : {}),
      ...(row.idleStopMinutes === null ? {} : { idleStopMinutes: row.idleStopMinutes }),
      ...(app ? { app } : {})
    }
  }

  /** Runs calls on a workspace's container, turning the engine's terse refusals into what the user can do. */
  async inWorkspace<T>(row: WorkspaceRow, work: (container: Dockerode.Container) => Promise<T>): Promise<T> {
    if (row.containerId.startsWith(PENDING)) {
      const cutShort = row.status !== 'creating'
      throw new SandlotError(
        'CONFLICT',
        `${row.name} has no container${cutShort ? ': its create ended before it got one' : ' yet: it is being created'}.`,
        cutShort ? `Remove it with \`sandlot rm ${row.name}\` and create it again.` : 'Wait for the create to finish.'
      )
    }
    try {
      return await this.#deps.engine((docker) => work(docker.getContainer(row.containerId)))
    } catch (err) {
      const { statusCode, message } = err as { statusCode?: number; message?: string }
      if (statusCode === 409 && /is not running|is paused/.test(message ?? '')) {
        throw new SandlotError('CONFLICT', `${row.name} is stopped.`, `Start it with \`sandlot start ${row.name}\`.`, { cause: err })
      }
      if (/port is already allocated|address already in use/i.test(message ?? '')) {
        throw new SandlotError(
          'PORT_IN_USE',
          `The preview port of ${row.name} (127.0.0.1:${row.previewPort ?? '?'}) is taken by another program.`,
          'Stop that program, or save this workspace and restore it as a new one (it gets a new port).',
          { cause: err }
        )
      }
      if (statusCode === 404) {
        throw new SandlotError('NOT_FOUND', `The container of ${row.name} was removed outside Sandlot.`, `\`sandlot rm ${row.name}\` forgets the workspace.`, { cause: err })
      }
      throw err
    }
  }

  phase(name: string, phase: CreatePhase, status?: 'ready'): void {
    this.#deps.db
      .update(workspaces)
      .set({ phase, ...(status ? { status, creator: null } : {}), updatedAt: this.now() })
      .where(eq(workspaces.name, name))
      .run()
  }

  /**
   * A workspace's own idle stop (null: the setting's). The idle stop reads it at each check, so it applies at once;
   * `updatedAt` stays as it is: it is a create's heartbeat, not a change time.
   */
  setIdleStop(name: string, minutes: number | null): void {
    this.#deps.db.update(workspaces).set({ idleStopMinutes: minutes }).where(eq(workspaces.name, name)).run()
  }

  /** Fails a workspace; with `unless`, only if its row is still exactly as it was read (no one moved it on). */
  fail(name: string, info: ErrorInfo, unless?: { updatedAt: string }): void {
    const where = unless ? and(eq(workspaces.name, name), eq(workspaces.status, 'creating'), eq(workspaces.updatedAt, unless.updatedAt)) : eq(workspaces.name, name)
    this.#deps.db.update(workspaces).set({ status: 'failed', error: JSON.stringify(info), creator: null, updatedAt: this.now() }).where(where).run()
  }

  /**
   * A create whose process ended midway (crash, Ctrl+C, reboot) would say "creating" for ever: when the
   * process that was creating it is gone, or its heartbeat stopped (a reused pid, a renamed host), it becomes
   * a failed workspace the user can inspect or remove.
   */
  #settleInterrupted(row: WorkspaceRow): WorkspaceRow {
    if (row.status !== 'creating') return row
    const silent = this.#nowDate().getTime() - Date.parse(row.updatedAt) > CREATE_HEARTBEAT_MS * 4
    if (creatorAlive(row.creator) && !silent) return row
    this.fail(
      row.name,
      {
        code: 'INTERRUPTED',
        message: `Creating ${row.name} was interrupted during its ${row.phase} phase: the process doing it ended.`,
        hint: `Remove it with \`sandlot rm --force ${row.name}\` and create it again.`
      },
      row
    )
    return this.row(row.name) ?? row
  }

  row(name: string): WorkspaceRow | undefined {
    return this.#deps.db.select().from(workspaces).where(eq(workspaces.name, name)).get()
  }

  /** The workspace's row, with a create whose process died already counted as interrupted. */
  require(name: string): WorkspaceRow {
    const row = this.row(name)
    if (!row) {
      const names = this.#deps.db.select({ name: workspaces.name }).from(workspaces).all().map((r) => r.name)
      throw new SandlotError('NOT_FOUND', `No workspace named "${name}".${didYouMean(name, names)}`, 'See them with `sandlot ls`.')
    }
    return this.#settleInterrupted(row)
  }

  now(): string {
    return this.#nowDate().toISOString()
  }

  #nowDate(): Date {
    return this.#deps.now?.() ?? new Date()
  }
}

/** The run settings a workspace was made with, unless it predates them or they no longer read (a newer schema). */
export function storedManifest(row: WorkspaceRow): TemplateManifest | undefined {
  if (!row.manifest) return undefined
  try {
    const parsed = TemplateManifest.safeParse(JSON.parse(row.manifest))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
