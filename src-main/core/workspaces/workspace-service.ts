import { randomBytes } from 'node:crypto'
import { lstatSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { and, eq } from 'drizzle-orm'
import type { Duplex } from 'node:stream'
import type Dockerode from 'dockerode'
import { unlessMissing } from '../engine/engine-missing'
import { createSource, TemplateManifest, type AppLogLine, type AppStatus, type CreatePhase, type CreateWorkspaceParams, type CreateProgress, type CreateSource, type EngineEndpoint, type ErrorInfo, type Workspace } from '../contract'
import { SandlotError, toErrorInfo } from '../sandlot-error'
import { didYouMean } from '../closest-name'
import type { SandlotDb } from '../store/database'
import { workspaces } from '../store/schema'
import { sanitizeArchive } from '../templates/template-archive'
import { LogsResult } from '../../../container/src/control-protocol'
import { limitsUpdate, publishedPreviewPort } from './container-spec'
import { uploadToApp } from './app-upload'
import { readSavedSettings, saveWorkspaceArchive, savedFiles } from './workspace-archive'
import { execInContainer } from './container-exec'
import { guardExecStart } from './exec-start-failure'
import { startTtyShell } from './tty-shell'
import type { ExecPlace } from './captured-exec'
import { CREATOR, creatorAlive } from './creator'
import type { DependencySnapshots, SnapshotRequest } from './dependency-snapshots'
import { teeTemplateArchive } from './install-inputs'
import { planInstall } from './install-plan'
import { watchAppReadiness, type AppWait } from './app-readiness'
import type { WorkspacePool } from './workspace-pool'
import { restartArgs, withOverrides } from './workspace-template'
import { assertLocalEngine, createModulesVolume, hostFolderMounts, removeModulesVolume } from './host-mount'

export interface InteractiveShell {
  stream: Duplex
  exit: Promise<number>
  resize(cols: number, rows: number): void
}

/** What a workspace needs of a template: its run settings, and its files as a tar for /app. */
export interface WorkspaceTemplate {
  manifest: TemplateManifest
  pack(): Promise<NodeJS.ReadableStream>
  /** Frees what the files are read from (a temporary checkout) once no pack is needed any more. */
  dispose?(): void
  /** A host folder bind-mounted at /app instead of the packed files (`create --folder --mount`). */
  mount?: string
}

/** What `create` is given: one source (see CreateWorkspaceParams) and the overrides of its settings. */
export type CreateRequest = Omit<CreateWorkspaceParams, 'requestId'>

export interface WorkspaceDeps {
  db: SandlotDb
  pool: WorkspacePool
  snapshots: DependencySnapshots
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  template: (id: string) => Promise<WorkspaceTemplate>
  /** Folders and repositories; without it only templates can be created from. */
  source?: (source: CreateSource, onProgress: (message: string) => void) => Promise<WorkspaceTemplate>
  /** The current core image tag, built if needed. */
  imageTag: () => Promise<string>
  /** The `workspaces.maxRunning` setting: the most workspaces running at once; 0, or left out, no cap. */
  maxRunning?: () => number
  /** The engine in use, for what only a local one can do (bind-mount a host folder); left out, none can. */
  engineEndpoint?: () => EngineEndpoint
  appWait?: Partial<AppWait>
  /** The app's state from the monitoring history, shown beside the container's. */
  appStatus?: (name: string) => AppStatus | undefined
  now?: () => Date
}

const INSTALL_TAIL_LINES = 30
/** The container id of a workspace whose container is not made (or claimed) yet. */
const PENDING = 'pending:'
/** What a create says while the app starts, for the monitor's states worth telling (the others are steps). */
const APP_STATE_PROGRESS: Partial<Record<string, string>> = {
  running: 'The app runs but is not ready yet',
  crashed: 'The app exited',
  'backing-off': 'Restarting the app'
}
/** How often a create in progress says it is still alive; four missed beats make it interrupted. */
const CREATE_HEARTBEAT_MS = 30_000
/** Generous: a first install of a large app on a slow network takes minutes. */
const INSTALL_TIMEOUT_S = 15 * 60

/**
 * Workspaces: a template's files in a hardened container, dependencies installed, the app under the monitor,
 * and its preview on 127.0.0.1. Creation runs in phases, each reported, and a failure keeps the workspace
 * (status failed, with what went wrong) so the user can look inside, retry or remove it.
 */
export class WorkspaceService {
  readonly #deps: WorkspaceDeps

  constructor(deps: WorkspaceDeps) {
    this.#deps = deps
  }

  async create(params: CreateRequest, onProgress: (p: CreateProgress) => void = () => {}): Promise<Workspace> {
    const source = createSource(params)
    // Before there is a workspace (a clone takes a while): said under the name asked for, if any.
    const early = (message: string): void => onProgress({ workspace: params.name ?? '', phase: 'claim', message })
    const template = source.kind === 'template' ? await this.#deps.template(source.id) : await this.#fromSource(source, early)
    try {
      const { env, limits, start, port } = params
      const manifest = withOverrides(template.manifest, { env, limits, start, port })
      if (template.mount) {
        const endpoint = this.#deps.engineEndpoint?.()
        if (!endpoint) throw new SandlotError('BAD_REQUEST', 'This Sandlot cannot mount host folders.', 'Leave out --mount to copy the folder in.')
        assertLocalEngine(endpoint, template.mount)
      }
      if (params.replace && params.name !== undefined) await this.#removeFailed(params.name)
      // A retry command is only exact for a template; a folder or repository create is the user's own command again.
      const retry = source.kind === 'template' ? `sandlot create --template ${source.id}` : `sandlot create --${source.kind} …`
      return await this.#create({ ...template, manifest }, params.name, onProgress, retry)
    } catch (err) {
      template.dispose?.()
      throw err
    }
  }

  async #fromSource(source: CreateSource, onProgress: (message: string) => void): Promise<WorkspaceTemplate> {
    if (!this.#deps.source) throw new SandlotError('BAD_REQUEST', `This Sandlot cannot create workspaces from a ${source.kind}.`, 'Create it from a template.')
    return this.#deps.source(source, onProgress)
  }

  /** `create --replace` and the window's Retry: a failed workspace of that name goes first; a working one never does. */
  async #removeFailed(name: string): Promise<void> {
    if (!this.#row(name)) return
    // Read through #require: a create whose process died counts as failed.
    const row = this.#require(name)
    if (row.status !== 'failed') {
      throw new SandlotError('CONFLICT', `${name} exists and is ${row.status === 'creating' ? 'still being created' : 'not a failed workspace'}: --replace only replaces a failed one.`, `Pick another name, or remove it first with \`sandlot rm ${name}\`.`)
    }
    await this.remove(name)
  }

  /** `sandlot save`: /app without node_modules, with its run settings, as a .tar.gz. */
  async save(name: string, file: string, options: { replace?: boolean } = {}): Promise<{ name: string; file: string; files: number; bytes: number }> {
    const row = this.#require(name)
    // lstat: a link at the name counts as something there (it is replaced with --replace, never written through).
    const existing = lstatSync(file, { throwIfNoEntry: false })
    if (existing?.isDirectory()) throw new SandlotError('BAD_REQUEST', `${file} is a folder.`, `Give a file name, for example ${join(file, `${name}.tar.gz`)}.`)
    if (existing && !options.replace) throw new SandlotError('CONFLICT', `${file} exists.`, 'Pick another file name, or replace it with `--replace`.')
    // The settings it was made with; workspaces from before they were kept take the template's current ones.
    const manifest = storedManifest(row) ?? (await this.#deps.template(row.templateId)).manifest
    const counts = await this.#inWorkspace(row, async (container) => saveWorkspaceArchive(await container.getArchive({ path: '/app' }), manifest, file, { ...options, name }))
    return { name, file, ...counts }
  }

  /** `sandlot restore`: a new workspace from a saved archive, every entry checked as template files are. */
  async restore(file: string, name: string | undefined, onProgress: (p: CreateProgress) => void = () => {}): Promise<Workspace> {
    const { template: manifest, name: savedName } = await readSavedSettings(file)
    // Every entry is checked before anything is created, so a refused archive changes nothing.
    for await (const _chunk of sanitizeArchive(savedFiles(file))) void _chunk
    // Without a name it comes back under the one it was saved with, when that is free; else a new one.
    const free = savedName !== undefined && !this.#row(savedName) && (await this.#assertNameFree(savedName).then(() => true, () => false))
    return this.#create({ manifest, pack: async () => sanitizeArchive(savedFiles(file)) }, name ?? (free ? savedName : undefined), onProgress)
  }

  async #create(template: WorkspaceTemplate, requestedName: string | undefined, onProgress: (p: CreateProgress) => void, retry?: string): Promise<Workspace> {
    const manifest = template.manifest
    const name = requestedName ?? `${manifest.id.slice(0, 50)}-${randomBytes(3).toString('hex')}`
    const existing = this.#row(name)
    if (existing) {
      const failed = existing.status === 'failed'
      throw new SandlotError(
        'CONFLICT',
        `A workspace named "${name}" already exists${failed ? ' (its create failed)' : ''}.`,
        failed && retry ? `Create it again in its place with \`${retry} --name ${name} --replace\` (the same source as before), or remove it with \`sandlot rm ${name}\`.` : `Pick another name, or remove it first with \`sandlot rm ${name}\`.`
      )
    }
    await this.#assertNameFree(name)
    await this.#assertRoomToRun()
    const report = (phase: CreatePhase, message: string, fraction?: number): void =>
      onProgress({ workspace: name, phase, message, ...(fraction === undefined ? {} : { fraction }) })

    // The name is taken in the database first (one insert, atomic across processes), before any container
    // exists: a create cut short at any point leaves a row that says so, never a container nobody knows.
    const now = this.#now()
    const pendingId = `${PENDING}${randomBytes(6).toString('hex')}`
    try {
      this.#deps.db
        .insert(workspaces)
        .values({
          name,
          templateId: manifest.id,
          containerId: pendingId,
          status: 'creating',
          phase: 'claim',
          manifest: JSON.stringify(manifest),
          creator: CREATOR,
          createdAt: now,
          updatedAt: now
        })
        .run()
    } catch (err) {
      throw new SandlotError('CONFLICT', `A workspace named "${name}" is being created by another Sandlot process.`, 'Pick another name.', { cause: err })
    }

    let snapshot: SnapshotRequest | undefined
    // While it creates, the row says so now and then: a row that stops saying so was left by a dead process.
    const heartbeat = setInterval(() => {
      this.#deps.db
        .update(workspaces)
        .set({ updatedAt: this.#now() })
        .where(and(eq(workspaces.name, name), eq(workspaces.status, 'creating')))
        .run()
    }, CREATE_HEARTBEAT_MS)
    heartbeat.unref()
    try {
      report('claim', 'Preparing the core image', 0)
      const imageTag = await this.#deps.imageTag()
      const mount = template.mount
      // A bind mount is fixed at container create: a warm container cannot take one.
      const claimed = mount ? undefined : await this.#deps.pool.claimRunning(name, imageTag)
      report('claim', mount ? `Starting a new container with ${mount} mounted at /app` : claimed ? 'Took a warm container from the pool' : 'The pool is empty: starting a new container', 0.1)
      const instanceId = this.#deps.pool.instanceId
      if (mount) await this.#deps.engine((docker) => createModulesVolume(docker, instanceId, name, imageTag))
      const mounts = mount ? hostFolderMounts(mount, instanceId, name) : []
      const container = claimed ?? (await this.#deps.pool.createContainer(imageTag, 'workspace', `sandlot-${name}`, { name, templateId: manifest.id }, mounts))
      const recorded = this.#deps.db
        .update(workspaces)
        .set({ containerId: container.containerId, previewPort: container.previewPort ?? null })
        .where(and(eq(workspaces.name, name), eq(workspaces.containerId, pendingId)))
        .run()
      if (recorded.changes === 0) {
        // Removed (`rm --force`) while it waited for its container: a warm one goes back to the pool (if the
        // remove has not put it back already), a cold one is ours alone to remove.
        if (claimed) this.#deps.pool.unclaimFor(name, claimed.containerId)
        else await this.#deps.engine((docker) => docker.getContainer(container.containerId).remove({ force: true })).catch(() => undefined)
        throw new SandlotError('INTERRUPTED', `${name} was removed while it was being created.`)
      }
      if (claimed) this.#deps.pool.release(claimed.containerId)

      await this.#deps.engine(async (docker) => {
        const handle = docker.getContainer(container.containerId)
        if (claimed) await handle.rename({ name: `sandlot-${name}` })
        await handle.update(limitsUpdate(manifest.limits))

        this.#phase(name, 'inject')
        if (mount) {
          report('inject', `${mount} is mounted at /app: edits on either side are the same files`, 0.2)
          if (manifest.install) {
            // Into the workspace's own node_modules volume; never kept for other workspaces (its files change under it).
            this.#phase(name, 'install')
            report('install', `Installing dependencies into the workspace's node_modules volume: ${manifest.install}`, 0.3)
            await this.#install(handle, manifest.install, manifest.env ?? {}, (line) => report('install', line, 0.3))
          }
        } else {
          snapshot = await this.#injectAndInstall(name, handle, template, imageTag, report)
        }

        if (manifest.start) {
          this.#phase(name, 'start')
          report('start', `Starting: ${manifest.start}`, 0.8)
          const readiness = await watchAppReadiness(docker, container.containerId)
          try {
            await this.#startApp(handle, manifest)
            report('start', 'Waiting for the app to answer', 0.85)
            await readiness.ready(container.previewPort, {
              ...this.#deps.appWait,
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
      this.#phase(name, 'ready', 'ready')
      report('ready', 'Ready', 1)
    } catch (err) {
      if (await this.#cutShortElsewhere(name)) {
        const interrupted = new SandlotError('INTERRUPTED', `${name} was stopped or removed by another command while it was being created.`, `If it is still listed, remove it with \`sandlot rm ${name}\` and create it again.`, { cause: err })
        this.#fail(name, toErrorInfo(interrupted))
        throw interrupted
      }
      this.#fail(name, toErrorInfo(err))
      throw err
    } finally {
      clearInterval(heartbeat)
    }
    // After ready, so the first workspace never waits for it; the next one of this lockfile copies instead.
    const dispose = (): void => template.dispose?.()
    if (snapshot) void this.#deps.snapshots.capture(snapshot).then(dispose, dispose)
    else dispose()
    return this.get(name)
  }

  /** Workspaces whose create finished, with their containers (what an idle stop looks at). */
  madeContainers(): Array<{ name: string; containerId: string }> {
    return this.#deps.db.select({ name: workspaces.name, containerId: workspaces.containerId }).from(workspaces).where(eq(workspaces.status, 'ready')).all()
  }

  async list(): Promise<Workspace[]> {
    const rows = this.#deps.db.select().from(workspaces).all()
    return Promise.all(rows.map((row) => this.#describe(row)))
  }

  async get(name: string): Promise<Workspace> {
    return this.#describe(this.#require(name))
  }

  /** Starts the container and, for a template with an app, waits until the monitor has it ready again. */
  async start(name: string): Promise<Workspace> {
    const row = this.#require(name)
    await this.#inWorkspace(row, async (container) => {
      if ((await container.inspect()).State.Running) return
      await this.#assertRoomToRun()
      await container.start()
      await this.#untilAppResumed(row, container)
    })
    return this.get(name)
  }

  async stop(name: string): Promise<Workspace> {
    const row = this.#require(name)
    await this.#inWorkspace(row, async (container) => {
      if ((await container.inspect()).State.Running) await container.stop()
    })
    return this.get(name)
  }

  async restart(name: string): Promise<Workspace> {
    const row = this.#require(name)
    await this.#inWorkspace(row, async (container) => {
      await container.restart()
      await this.#untilAppResumed(row, container)
    })
    return this.get(name)
  }

  /** The monitor resumes the app after a container start: its records from that start on say when it is back. */
  async #untilAppResumed(row: typeof workspaces.$inferSelect, container: Dockerode.Container): Promise<void> {
    const manifest = storedManifest(row)
    // A workspace whose create failed never gave the monitor its app: there is nothing to come back.
    if (row.status !== 'ready' || !manifest?.start) return
    const startedAt = (await container.inspect()).State.StartedAt
    const readiness = await this.#deps.engine((docker) => watchAppReadiness(docker, row.containerId, { since: startedAt }))
    try {
      await readiness.ready(row.previewPort ?? undefined, { ...this.#deps.appWait, expectPort: manifest.port !== undefined, stoppedIsFine: true })
    } finally {
      readiness.close()
    }
  }

  /**
   * Removes the workspace and its container (and /app with it). A running one is refused unless forced, and
   * then stopped gracefully first, so the monitor still writes its last records.
   */
  async remove(name: string, options: { force?: boolean } = {}): Promise<{ name: string; removed: true }> {
    const row = this.#require(name)
    await this.#deps.engine(async (docker) => {
      const { container, info } = await this.#containerOf(docker, row)
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
      await removeModulesVolume(docker, this.#deps.pool.instanceId, name)
    })
    // A create cut short between its claim and using it: the warm container goes back, untouched.
    if (row.containerId.startsWith(PENDING)) this.#deps.pool.unclaimFor(name)
    this.#deps.db.delete(workspaces).where(eq(workspaces.name, name)).run()
    return { name, removed: true }
  }

  /** A command in the workspace, as `node` (in /app unless told); the exit code comes back for the CLI to pass through. */
  async exec(
    name: string,
    cmd: string[],
    io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; stdin?: NodeJS.ReadableStream },
    place: ExecPlace = {}
  ): Promise<number> {
    const row = this.#require(name)
    const { stdin } = io
    // A command the engine cannot start comes back as a shell would say it: on stderr, with 127 or 126.
    const guard = guardExecStart(io.stdout)
    const raw = { stdout: guard.stdout, stderr: io.stderr }
    // The template's env, as the app has it, so a command runs as the app would; the caller's variables on top.
    const env = place.env ? { ...storedManifest(row)?.env, ...place.env } : storedManifest(row)?.env
    const result = await this.#inWorkspace(row, (container) =>
      execInContainer(container, cmd, { workingDir: place.workingDir ?? '/app', raw, keep: 0, ...(stdin ? { stdin } : {}), ...(env ? { env } : {}) })
    )
    const failure = guard.failure(result.exitCode)
    if (failure === undefined) return result.exitCode
    io.stderr.write(`${failure.message}\n`)
    return failure.exitCode
  }

  /** Where a terminal of this workspace runs: its container and the template's env (what `exec` gets too). */
  async terminalTarget(name: string): Promise<{ containerId: string; env: Record<string, string> }> {
    const row = this.#require(name)
    return this.#inWorkspace(row, async (container) => ({ containerId: container.id, env: storedManifest(row)?.env ?? {} }))
  }

  /** An interactive login shell on a TTY (`sandlot shell`): the byte stream, resizing, and its exit code. */
  async shell(name: string, size: { cols: number; rows: number }): Promise<InteractiveShell> {
    const row = this.#require(name)
    return this.#inWorkspace(row, async (container) => {
      const { exec, stream } = await startTtyShell(container, { size, env: storedManifest(row)?.env ?? {} })
      const exit = new Promise<number>((resolve) => {
        const done = (): void => void exec.inspect().then((info) => resolve(info.ExitCode ?? 0), () => resolve(1))
        stream.once('end', done)
        stream.once('close', done)
      })
      return { stream, exit, resize: (cols, rows) => void exec.resize({ h: rows, w: cols }).catch(() => undefined) }
    })
  }

  /** The last lines the app printed, as the monitor keeps them. */
  async logs(name: string, lines = 100): Promise<{ lines: AppLogLine[] }> {
    const row = this.#require(name)
    const result = await this.#inWorkspace(row, (container) => execInContainer(container, ['monitor-cli', 'logs', 'tail', '-n', String(lines), '--json'], { user: 'monitor' }))
    if (result.exitCode !== 0) throw new SandlotError('APP_FAILED', `The monitor in ${name} did not give its log: ${monitorMessage(result.stdout || result.stderr)}`)
    // The container's answer is checked like any input from outside.
    const parsed = LogsResult.parse(JSON.parse(result.stdout))
    return { lines: parsed.lines.map(({ ts, stream, line }) => ({ ts, stream, line })) }
  }

  /** `monitor-cli process …` inside the workspace: the monitor's own answer, as JSON. */
  async process(name: string, action: 'status' | 'start' | 'stop' | 'restart', command?: string): Promise<unknown> {
    const row = this.#require(name)
    const stored = storedManifest(row) ?? (await this.#deps.template(row.templateId).then((t) => t.manifest, () => undefined))
    // A command given with start runs instead of the template's (a shell workspace gets an app this way).
    const manifest = command === undefined || stored === undefined ? stored : { ...stored, start: command }
    // Without a start command of its own, a workspace has an app only if one was started with a command (the monitor keeps it).
    if (action !== 'status' && !manifest?.start && (action === 'start' || !(await this.#monitorHasApp(row)))) {
      throw new SandlotError('CONFLICT', `${name} runs no app: its template (${row.templateId}) has no start command.`, `Run commands in it with \`sandlot exec ${name} -- …\` or \`sandlot shell ${name}\`.`)
    }
    return this.#inWorkspace(row, async (container) => {
      // The monitor needs the command to start an app it is not running; the workspace's own settings give it.
      if (action === 'start' && manifest?.start) await this.#startApp(container, manifest)
      const command = action === 'start' ? 'status' : action
      const result = await execInContainer(container, ['monitor-cli', 'process', command, '--json'], { user: 'monitor' })
      if (result.exitCode !== 0) throw new SandlotError('APP_FAILED', `The monitor in ${name} refused \`process ${action}\`: ${monitorMessage(result.stdout || result.stderr)}`)
      return JSON.parse(result.stdout) as unknown
    })
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
    this.#phase(name, 'install')
    const plan = planInstall(manifest, await inputs, await digest, imageTag)
    const kept = plan.snapshotKey !== undefined && this.#deps.snapshots.has(plan.snapshotKey)
    if (kept) report('install', 'Copying the dependencies kept from an earlier install of the same lockfile: nothing to download', 0.3)
    if (kept && (await this.#deps.snapshots.restore(handle, plan.snapshotKey!))) {
      report('install', 'Dependencies copied', 0.75)
      return undefined
    }
    report('install', `Installing dependencies: ${manifest.install}`, 0.3)
    const env = { ...manifest.env, ...plan.env }
    await this.#install(handle, manifest.install, env, (line) => report('install', line, 0.3))
    if (!plan.snapshotKey) return undefined
    return { key: plan.snapshotKey, templateId: manifest.id, imageTag, install: manifest.install, env, pack: () => template.pack(), digest: await digest }
  }

  async #monitorHasApp(row: typeof workspaces.$inferSelect): Promise<boolean> {
    return this.#inWorkspace(row, async (container) => {
      const result = await execInContainer(container, ['monitor-cli', 'process', 'status', '--json'], { user: 'monitor' })
      try {
        return result.exitCode === 0 && (JSON.parse(result.stdout) as { spec?: unknown }).spec != null
      } catch {
        return false
      }
    })
  }

  async #install(container: Dockerode.Container, install: string, env: Record<string, string>, onLine: (line: string) => void): Promise<void> {
    const tail: string[] = []
    // A hung registry (a proxy that never answers) must not hang the create for ever.
    const result = await execInContainer(container, ['timeout', '-k', '10', String(INSTALL_TIMEOUT_S), 'bash', '-c', install], {
      workingDir: '/app',
      env,
      keep: 0,
      onLine: (_stream, line) => {
        tail.push(line)
        if (tail.length > INSTALL_TAIL_LINES) tail.shift()
        if (line.trim()) onLine(line.trim().slice(0, 200))
      }
    })
    if (result.exitCode === 0) return
    const text = tail.join('\n')
    if (result.exitCode === 124 || result.exitCode === 137) {
      throw new SandlotError('INSTALL_FAILED', `\`${install}\` did not finish within ${INSTALL_TIMEOUT_S / 60} minutes.`, `Is the registry reachable from containers (proxy, extra CA certificates)? The last lines of its output:\n${text}`)
    }
    if (/ENOSPC|no space left on device/i.test(text)) {
      throw new SandlotError('DISK_FULL', 'The dependency install ran out of disk space.', 'Free space for Docker (`docker system prune`), or give Docker Desktop a larger disk.')
    }
    throw new SandlotError('INSTALL_FAILED', `\`${install}\` exited with code ${result.exitCode}.`, `The last lines of its output:\n${text}`)
  }

  async #startApp(container: Dockerode.Container, template: TemplateManifest): Promise<void> {
    const args = ['monitor-cli', 'process', 'start', '--command', template.start!, '--cwd', '/app', '--json']
    if (template.port !== undefined) args.push('--port', String(template.port))
    // The port the preview forwards to, for apps that listen where PORT says (Express, Next…); the template's own PORT wins.
    if (template.port !== undefined && template.env?.PORT === undefined) args.push('-e', `PORT=${template.port}`)
    if (template.readyPattern !== undefined) args.push('--ready-pattern', template.readyPattern)
    for (const [key, value] of Object.entries(template.env ?? {})) args.push('-e', `${key}=${value}`)
    for (const host of template.previewHosts ?? []) args.push('--preview-host', host)
    args.push(...restartArgs(template.restart))
    const result = await execInContainer(container, args, { user: 'monitor' })
    if (result.exitCode !== 0) throw new SandlotError('APP_FAILED', `The monitor refused to start the app: ${monitorMessage(result.stdout || result.stderr)}`)
  }

  /** Whether a create failed because another command stopped or removed its workspace meanwhile. */
  async #cutShortElsewhere(name: string): Promise<boolean> {
    const before = this.#row(name)
    if (!before) return true
    if (before.containerId.startsWith(PENDING)) return false
    // A stop or remove elsewhere kills our exec a moment before the engine reports the container stopped, so
    // look a few times. (Not `wait()`: that request stays open while the container runs, as a failed one does.)
    for (let look = 0; look < 5; look++) {
      const row = this.#row(name)
      if (!row) return true
      const found = await this.#deps.engine((docker) => this.#containerOf(docker, row)).then(
        (c) => c.info,
        () => null
      )
      if (found === undefined || (found !== null && !found.State.Running)) return true
      await sleep(200)
    }
    return false
  }

  /**
   * A workspace's container and what the engine says of it (nothing when it is gone). Before its container is
   * recorded, that is one a cut-short cold create may have left under the workspace's name, if it is ours.
   */
  async #containerOf(docker: Dockerode, row: typeof workspaces.$inferSelect): Promise<{ container: Dockerode.Container; info: Dockerode.ContainerInspectInfo | undefined }> {
    const pending = row.containerId.startsWith(PENDING)
    const container = docker.getContainer(pending ? `sandlot-${row.name}` : row.containerId)
    const info = await unlessMissing(container.inspect())
    const ours = !pending || (info?.Config.Labels?.['dev.sandlot.instance'] === this.#deps.pool.instanceId && info.Config.Labels['dev.sandlot.workspace'] === row.name)
    return { container, info: ours ? info : undefined }
  }

  async #describe(stored: typeof workspaces.$inferSelect): Promise<Workspace> {
    const row = this.#settleInterrupted(stored)
    const info = row.containerId.startsWith(PENDING) ? undefined : (await this.#deps.engine((docker) => this.#containerOf(docker, row))).info
    // Every container publishes the preview port; only an app has something to show there: one without a
    // declared port gets the port the monitor finds it listening on (until then the preview says so).
    const made = storedManifest(row)
    const serves = made ? made.port !== undefined || made.start !== undefined : true
    const port = info && serves ? publishedPreviewPort(info) : undefined
    const running = info?.State.Running === true
    const app = this.#deps.appStatus?.(row.name)
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
      ...(app ? { app } : {})
    }
  }

  /** Runs calls on a workspace's container, turning the engine's terse refusals into what the user can do. */
  async #inWorkspace<T>(row: typeof workspaces.$inferSelect, work: (container: Dockerode.Container) => Promise<T>): Promise<T> {
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

  /**
   * Refuses one more running workspace at the `workspaces.maxRunning` cap, naming those that run. Checked before
   * anything is made; two creates at once may both pass (the cap bounds use, it is no lock).
   */
  async #assertRoomToRun(): Promise<void> {
    const cap = this.#deps.maxRunning?.() ?? 0
    if (cap === 0) return
    // Labels cannot say which container is a workspace's (a claimed pool container keeps role=pool): the database does.
    const running = await this.#deps.engine((docker) => docker.listContainers({ filters: { label: [`dev.sandlot.instance=${this.#deps.pool.instanceId}`], status: ['running'] } }))
    const ids = new Set(running.map((c) => c.Id))
    const names = this.#deps.db.select().from(workspaces).all().filter((row) => ids.has(row.containerId)).map((row) => row.name).sort()
    if (names.length < cap) return
    throw new SandlotError(
      'CONFLICT',
      `${names.length} ${names.length === 1 ? 'workspace runs' : 'workspaces run'} already, the most workspaces.maxRunning allows (${cap}): ${names.join(', ')}.`,
      'Stop one first (`sandlot stop NAME`), or raise the cap: `sandlot config set workspaces.maxRunning N` (0: no cap).'
    )
  }

  /** Container names are engine-wide: another data folder (or anything else) may hold `sandlot-<name>`. */
  async #assertNameFree(name: string): Promise<void> {
    if (await unlessMissing(this.#deps.engine((docker) => docker.getContainer(`sandlot-${name}`).inspect()))) {
      throw new SandlotError(
        'CONFLICT',
        `The engine already has a container named sandlot-${name}, which this data folder does not know.`,
        'Pick another name. It may belong to another Sandlot data folder (SANDLOT_HOME); `docker rm -f sandlot-' + name + '` removes it if it is yours to delete.'
      )
    }
  }

  #phase(name: string, phase: CreatePhase, status?: 'ready'): void {
    this.#deps.db
      .update(workspaces)
      .set({ phase, ...(status ? { status, creator: null } : {}), updatedAt: this.#now() })
      .where(eq(workspaces.name, name))
      .run()
  }

  /** Fails a workspace; with `unless`, only if its row is still exactly as it was read (no one moved it on). */
  #fail(name: string, info: ErrorInfo, unless?: { updatedAt: string }): void {
    const where = unless ? and(eq(workspaces.name, name), eq(workspaces.status, 'creating'), eq(workspaces.updatedAt, unless.updatedAt)) : eq(workspaces.name, name)
    this.#deps.db.update(workspaces).set({ status: 'failed', error: JSON.stringify(info), creator: null, updatedAt: this.#now() }).where(where).run()
  }

  /**
   * A create whose process ended midway (crash, Ctrl+C, reboot) would say "creating" for ever: when the
   * process that was creating it is gone, or its heartbeat stopped (a reused pid, a renamed host), it becomes
   * a failed workspace the user can inspect or remove.
   */
  #settleInterrupted(row: typeof workspaces.$inferSelect): typeof workspaces.$inferSelect {
    if (row.status !== 'creating') return row
    const silent = this.#nowDate().getTime() - Date.parse(row.updatedAt) > CREATE_HEARTBEAT_MS * 4
    if (creatorAlive(row.creator) && !silent) return row
    this.#fail(
      row.name,
      {
        code: 'INTERRUPTED',
        message: `Creating ${row.name} was interrupted during its ${row.phase} phase: the process doing it ended.`,
        hint: `Remove it with \`sandlot rm --force ${row.name}\` and create it again.`
      },
      row
    )
    return this.#row(row.name) ?? row
  }

  #row(name: string): typeof workspaces.$inferSelect | undefined {
    return this.#deps.db.select().from(workspaces).where(eq(workspaces.name, name)).get()
  }

  /** The workspace's row, with a create whose process died already counted as interrupted. */
  #require(name: string): typeof workspaces.$inferSelect {
    const row = this.#row(name)
    if (!row) {
      const names = this.#deps.db.select({ name: workspaces.name }).from(workspaces).all().map((r) => r.name)
      throw new SandlotError('NOT_FOUND', `No workspace named "${name}".${didYouMean(name, names)}`, 'See them with `sandlot ls`.')
    }
    return this.#settleInterrupted(row)
  }

  #now(): string {
    return this.#nowDate().toISOString()
  }

  #nowDate(): Date {
    return this.#deps.now?.() ?? new Date()
  }
}

/** The run settings a workspace was made with, unless it predates them or they no longer read (a newer schema). */
function storedManifest(row: typeof workspaces.$inferSelect): TemplateManifest | undefined {
  if (!row.manifest) return undefined
  try {
    const parsed = TemplateManifest.safeParse(JSON.parse(row.manifest))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** The monitor's own error message out of its JSON answer, or the raw text. */
function monitorMessage(output: string): string {
  try {
    const parsed = JSON.parse(output) as { error?: { message?: unknown } }
    if (typeof parsed.error?.message === 'string') return parsed.error.message
  } catch {
    // not JSON: a shell or exec error
  }
  return output.trim()
}
