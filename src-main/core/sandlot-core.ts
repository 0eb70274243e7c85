import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { CoreApi } from './api'
import { SandlotError } from './sandlot-error'
import type Dockerode from 'dockerode'
import type { AppStatus, BackgroundStatus, CreateProgress, ImageBuildParams, ImageBuildResult, SettingsView, TaskProgress, Workspace } from './contract'
import { EventChannel } from './event-channel'
import { RefillSchedule, WorkspacePool } from './workspaces/workspace-pool'
import { WorkspaceService } from './workspaces/workspace-service'
import { DependencySnapshots } from './workspaces/dependency-snapshots'
import { sourceTemplate, workspaceTemplate } from './workspaces/workspace-template'
import { IdleStopper } from './workspaces/idle-stop'
import { idleStopRow } from './history/record-rows'
import { locateBuiltinTemplates, TemplateCatalog } from './templates/template-catalog'
import { addFromArchive } from './templates/template-upload'
import { ensureDataFolder, resolveDataFolder, type DataPaths } from './data/data-folder'
import type { EngineConnectionOptions } from './engine'
import { readExtraCa } from './certificates/extra-ca'
import { EngineSession } from './engine-session'
import { locateContainerDir } from './images/build-context'
import { CoreImage } from './images/core-image'
import { BackgroundState } from './background/background-state'
import { readSettings, updateSettings } from './settings/settings-file'
import { settingsProblemText } from './settings/setting-keys'
import { watchSettings } from './settings/settings-watch'
import { openDatabase, type Database } from './store/database'
import { instanceId } from './store/instance'
import { historyEventSources, historyHandlers } from './history/history-api'
import { HistoryService } from './history/history-service'
import { createTerminalService, keepReadyShells, readiness, terminalHandlers, terminalStreams } from './terminals/terminal-api'
import type { TerminalService } from './terminals/terminal-service'
import { resourceEventSources, resourceHandlers } from './resources/resources-api'
import { instanceTeardown } from './resources/instance-teardown'
import { ResourceMonitor } from './resources/resource-monitor'
import { runCaptured } from './workspaces/captured-exec'
import { streamExec } from './workspaces/streamed-exec'
import { archiveHandlers, fileHandlers } from './workspaces/workspace-files'
import { editorHandlers } from './editor/editor-handler'
import { systemLauncher, type EditorLauncher } from './editor/editor-launcher'
import { maskSecrets, withoutMaskedSecrets } from './settings/secret-settings'
import { createSync } from './sync/sync-api'
import type { SyncTiming } from './sync/sync-service'

export interface OpenCoreOptions {
  /** The data folder; `SANDLOT_HOME` or the per-OS default when omitted. */
  home?: string
  env?: NodeJS.ProcessEnv
  /** A better-sqlite3 binary for this runtime (the Electron shell passes its own). */
  nativeBinding?: string
  /** The core image sources; found next to the code when omitted. */
  containerDir?: string
  /** Where background work (image, pool refill) reports what went wrong, once per cause, and when it recovered; long-lived adapters log it. */
  onBackgroundProblem?: (message: string) => void
  engine?: EngineConnectionOptions
  /** How often a long-lived process tops the pool up (tests shorten it). */
  poolRefillIntervalMs?: number
  /** How "Open in editor" starts the editor (tests record the command instead). */
  editorLauncher?: EditorLauncher
  /** Sync's batching and backoff (tests shorten them). */
  syncTiming?: Partial<SyncTiming>
}

/** Often enough that a claim by another process (a CLI `create`) is made up for soon; each check is cheap. */
const POOL_REFILL_INTERVAL_MS = 20_000

export interface SandlotCore {
  readonly paths: DataPaths
  readonly instanceId: string
  readonly database: Database
  readonly engine: EngineSession
  readonly image: CoreImage
  readonly pool: WorkspacePool
  readonly workspaces: WorkspaceService
  /** Installed dependencies kept for the next workspace of the same lockfile, made in the background. */
  readonly snapshots: DependencySnapshots
  readonly templates: TemplateCatalog
  /** Terminal sessions: they belong to the core, not to a window, and end when it closes. */
  readonly terminals: TerminalService
  /** The monitoring history of every workspace (ingest, queries, retention, live events). */
  readonly history: HistoryService
  readonly api: CoreApi
  /** For long-lived processes (the app, `serve`): follow the engine, keep the pool filled. */
  startBackgroundWork(): void
  settings(): SettingsView
  close(): void
}

/**
 * Builds the one core every Sandlot process uses (the app, `sandlot serve`, each CLI call): the data folder,
 * the database, settings and the engine. Background work starts only when a long-lived adapter asks for it.
 */
export function openSandlotCore(options: OpenCoreOptions = {}): SandlotCore {
  const env = options.env ?? process.env
  const paths = ensureDataFolder(options.home ?? resolveDataFolder({ env, platform: process.platform, home: homedir() }))
  const initialSettings = readSettings(paths.settings)
  // The settings every part reads: replaced by settings.update and, in a long-lived process, by the file watch
  // (a hand edit, or a CLI `config set`); a CLI process is short and reads the file once, here.
  let settingsView = initialSettings
  const engine = new EngineSession(initialSettings.settings.engine, { env, connection: options.engine })
  let database: Database
  try {
    database = openDatabase({ file: paths.database, backupsDir: paths.backups, nativeBinding: options.nativeBinding })
  } catch (err) {
    engine.close()
    throw err
  }

  const image = new CoreImage({
    engine: (work) => engine.use(work),
    containerDir: () => options.containerDir ?? locateContainerDir(env),
    defaultBase: () => settingsView.settings.image.base,
    extraCa: () => readExtraCa(settingsView.settings.certificates.extraCaFile, env)?.content
  })
  const imageProgress = new EventChannel<TaskProgress>()
  const workspaceProgress = new EventChannel<CreateProgress>()
  const settingsChanged = new EventChannel<SettingsView>()
  const id = instanceId(database.db)
  const use = <T>(work: (docker: Dockerode) => Promise<T>): Promise<T> => engine.use(work)
  const templates = new TemplateCatalog({ builtinDir: () => locateBuiltinTemplates(env), userDir: paths.templates })
  const pool = new WorkspacePool({
    db: database.db,
    instanceId: id,
    engine: use,
    settings: () => settingsView.settings.pool,
    blockHostAccess: () => settingsView.settings.network.blockHostAccess
  })
  // What background work knows of the image and the pool, for the Engine view; each cause logged once.
  const backgroundChanged = new EventChannel<BackgroundStatus>()
  const backgroundState = new BackgroundState({ onChange: backgroundChanged.emit, report: (message) => options.onBackgroundProblem?.(message) })
  const buildImage = async (params: ImageBuildParams): Promise<ImageBuildResult> => {
    const base = params.base ?? settingsView.settings.image.base
    backgroundState.buildStarted(base)
    try {
      const built = await image.build(params, (p) => {
        backgroundState.buildProgress(p)
        imageProgress.emit(p)
      })
      backgroundState.buildEnded(base, built)
      return built
    } catch (error) {
      backgroundState.buildEnded(base, { error })
      throw error
    }
  }
  // A workspace needs the current core image: built here, with progress, when the sources or base changed.
  const currentImage = async (): Promise<string> => (await buildImage({})).tag
  const snapshots = new DependencySnapshots({ db: database.db, instanceId: id, engine: use, onProblem: (message) => options.onBackgroundProblem?.(message) })
  const workspaces = new WorkspaceService({
    db: database.db,
    pool,
    snapshots,
    engine: use,
    template: async (templateId) => workspaceTemplate(templates, templateId),
    source: (source, onProgress) => sourceTemplate(source, { catalog: templates, gitCache: join(paths.root, 'git-cache') }, onProgress),
    imageTag: currentImage,
    engineEndpoint: () => engine.connection.endpoint,
    maxRunning: () => settingsView.settings.workspaces.maxRunning,
    appStatus: (name, containerId): AppStatus | undefined => history.appStatus(name, containerId)
  })
  // The monitoring history: live ingest in long-lived processes, catch-up before reads in CLI calls.
  const history = new HistoryService({
    sqlite: database.sqlite,
    instanceId: id,
    engine: use,
    events: () => engine.connection,
    retention: () => settingsView.settings.history,
    describe: (name): Promise<Workspace | undefined> => workspaces.get(name).catch(() => undefined),
    onProblem: (message) => options.onBackgroundProblem?.(message),
    onStored: (records) => sync.service.nudge(records)
  })
  // Sync to a team orchestrator: beside the ingest, from the same tables; the status reads the database.
  const sync = createSync({
    sqlite: database.sqlite,
    settings: () => settingsView.settings.sync,
    workspaces: () => workspaces.list(),
    onProblem: (message) => options.onBackgroundProblem?.(message),
    ...(options.syncTiming ? { timing: options.syncTiming } : {})
  })
  const terminals = createTerminalService({
    db: database.db,
    workspaces,
    engine: use,
    env,
    scrollback: () => settingsView.settings.terminal.scrollback,
    onProblem: (message) => options.onBackgroundProblem?.(message)
  })
  // Idle stop (workspaces.idleStopMinutes, or a workspace's own): long-lived processes only, started with the background work.
  const idleStop = new IdleStopper({
    instanceId: id,
    engine: use,
    events: () => engine.connection,
    idleStopMinutes: () => settingsView.settings.workspaces.idleStopMinutes,
    workspaces: () => workspaces.madeContainers(),
    attached: (name) => terminals.attachedTo(name),
    stop: (name) => workspaces.stop(name),
    onStopped: (name, containerId, idleMs) => {
      history.recordHostEvent(name, containerId, idleStopRow(idleMs))
      history.workspaceChanged(name)
    },
    onProblem: (message) => options.onBackgroundProblem?.(message)
  })
  // CPU and memory streams, open only while a window or `serve` client subscribes; disk use and prune.
  const resourceDeps = {
    instanceId: id,
    workspaceContainers: () => workspaces.byContainer(),
    engine: use,
    currentImageTag: async () => (await image.status()).tag,
    teardown: instanceTeardown({ db: database.db, root: paths.root, keepsPoolFilled: () => background }),
    onProblem: options.onBackgroundProblem
  }
  const resources = new ResourceMonitor(resourceDeps)
  let stopReadyShells = (): void => {}
  let background = false
  let stopSettingsWatch = (): void => {}
  // Background refills use the image only once it is built: a long-lived process never starts a build or a
  // base image download on its own; the first create (or `pool fill`) does that, with progress. Periodic, as
  // other processes (a CLI `create`) claim from the same pool; one at a time.
  const refills = new RefillSchedule(async () => {
    try {
      if ((await engine.currentStatus().catch(() => undefined))?.state !== 'connected') return
      const status = await image.status()
      backgroundState.imageChecked(status)
      const target = settingsView.settings.pool.size
      if (!status.present) return backgroundState.poolWithoutImage(target, status)
      const filled = await pool.fill(status.tag).catch(async (err: unknown) => {
        if (err instanceof SandlotError && err.code === 'ENGINE_UNREACHABLE') throw err
        backgroundState.poolFailed(target, (await pool.status(status.tag).catch(() => undefined))?.ready ?? 0, err)
      })
      if (filled) backgroundState.poolFilled(filled.target, filled.ready)
    } catch (err) {
      // An engine that went away is shown by its status already; it refills when it comes back.
      if (!background || (err instanceof SandlotError && err.code === 'ENGINE_UNREACHABLE')) return
      backgroundState.poolFailed(settingsView.settings.pool.size, 0, err)
    }
  }, options.poolRefillIntervalMs ?? POOL_REFILL_INTERVAL_MS)
  const refillPool = (): void => {
    if (background) refills.request()
  }
  // Applied at once where it can be: a new pool size tops up or trims now, sync follows, the windows follow.
  const applySettings = (view: SettingsView): void => {
    settingsView = view
    engine.reconfigure(view.settings.engine)
    refillPool()
    sync.service.reconfigure()
    settingsChanged.emit(maskSecrets(view))
  }

  const api = new CoreApi(
    {
      'engine.status': () => engine.currentStatus(),
      'settings.get': () => maskSecrets(settingsView),
      'settings.update': (patch) => {
        const view = updateSettings(paths.settings, withoutMaskedSecrets(patch), (next) => engine.validate(next.engine))
        applySettings(view)
        return maskSecrets(view)
      },
      'image.status': ({ base }) => image.status(base),
      'image.build': async (params) => {
        try {
          return await buildImage(params)
        } finally {
          refillPool()
        }
      },
      'workspaces.create': async ({ requestId, ...params }) => {
        try {
          const created = await workspaces.create(params, (p) => workspaceProgress.emit(requestId ? { ...p, requestId } : p))
          // Its first terminal opens at once: a shell is started for it now (long-lived processes only).
          terminals.workspaceChanged(created.name, readiness(created))
          return created
        } finally {
          refillPool()
        }
      },
      'workspaces.list': async () => {
        await history.catchUp()
        return workspaces.list()
      },
      'workspaces.get': async ({ name }) => {
        await history.catchUp(name)
        return workspaces.get(name)
      },
      'workspaces.start': ({ name }) => workspaces.start(name),
      'workspaces.stop': ({ name }) => workspaces.stop(name),
      'workspaces.restart': ({ name }) => workspaces.restart(name),
      'workspaces.update': async ({ name, ...changes }) => {
        const updated = await workspaces.update(name, changes)
        // Open pages and lists show the new idle stop at once (another process's windows on their next refresh).
        history.workspaceChanged(name)
        return updated
      },
      'workspaces.remove': async ({ name, force, purge }) => {
        // Its last records first, so a kept history ends where the workspace did.
        await history.catchUp(name).catch(() => undefined)
        const removed = await workspaces.remove(name, { force: force === true })
        if (purge) await history.purge(name)
        history.workspaceChanged(name)
        return removed
      },
      'workspaces.exec': (params) => runCaptured((name, cmd, io, place) => workspaces.exec(name, cmd, io, place), params),
      'workspaces.process': async ({ name, action, command }) => (await workspaces.process(name, action, command)) as Record<string, unknown>,
      'workspaces.save': ({ name, file, replace }) => workspaces.save(name, resolve(file), { replace: replace === true }),
      'workspaces.logs': ({ name, lines }) => workspaces.logs(name, lines),
      'workspaces.restore': async ({ file, name }) => {
        try {
          return await workspaces.restore(resolve(file), name, workspaceProgress.emit)
        } finally {
          refillPool()
        }
      },
      'pool.status': async () => pool.status((await image.status()).tag),
      'pool.fill': async () => pool.fill(await currentImage()),
      'system.background': () => backgroundState.status,
      'templates.list': () => templates.list(),
      'templates.show': ({ id }) => templates.show(id),
      'templates.add': ({ folder, replace }) => templates.add(folder, { replace }),
      'templates.addArchive': ({ file, replace }) => addFromArchive(file, (folder) => templates.add(folder, { replace })),
      'templates.remove': ({ id }) => templates.remove(id),
      ...terminalHandlers(terminals),
      ...historyHandlers(history),
      ...resourceHandlers(resourceDeps, resources),
      ...fileHandlers((name, cmd, io) => workspaces.exec(name, cmd, io)),
      ...archiveHandlers((name, cmd, io) => workspaces.exec(name, cmd, io)),
      ...editorHandlers({
        describe: (name) => workspaces.get(name),
        inspectContainer: async (id) => {
          const info = await use((docker) => docker.getContainer(id).inspect())
          return { name: info.Name, mountedFolder: info.Mounts.find((m) => m.Type === 'bind' && m.Destination === '/app')?.Source }
        },
        editorCommand: () => settingsView.settings.editor.command,
        launcher: options.editorLauncher ?? systemLauncher
      }),
      ...sync.handlers
    },
    {
      'engine.status': (listener) => engine.onStatus(listener),
      'settings.changed': settingsChanged.subscribe,
      'image.progress': imageProgress.subscribe,
      'workspaces.progress': workspaceProgress.subscribe,
      'system.background': backgroundChanged.subscribe,
      'terminals.changed': terminals.changes.subscribe,
      ...historyEventSources(history),
      ...resourceEventSources(resources),
      ...sync.events
    },
    {
      ...terminalStreams(terminals),
      'workspaces.execStream': async (params, sink) => {
        // A missing or stopped workspace is the call's answer (a 404 or 409), not a stream that ends at once.
        const workspace = await workspaces.get(params.name)
        if (workspace.container !== 'running') throw new SandlotError('CONFLICT', `${params.name} is stopped.`, `Start it with \`sandlot start ${params.name}\`. Nothing was run.`)
        return streamExec((name, cmd, io, place) => workspaces.exec(name, cmd, io, place), params, sink)
      }
    }
  )

  return {
    paths,
    instanceId: id,
    database,
    engine,
    image,
    pool,
    workspaces,
    snapshots,
    templates,
    terminals,
    history,
    api,
    startBackgroundWork() {
      background = true
      engine.onStatus((status) => {
        if (status.state === 'connected') refillPool()
      })
      engine.watch()
      refills.start()
      history.startLive()
      void idleStop.start().catch((err: unknown) => options.onBackgroundProblem?.(`Idle stop cannot follow the engine: ${(err as Error).message}`))
      sync.service.start()
      history.workspaceChanges.subscribe(() => sync.service.workspacesChanged())
      // The terminals open when Sandlot last closed, each with its last screen above a fresh shell.
      stopReadyShells = keepReadyShells(terminals, workspaces, history.workspaceChanges.subscribe)
      void terminals.reviveSaved().catch((err: unknown) => options.onBackgroundProblem?.(`Reviving terminals failed: ${(err as Error).message}`))
      // A hand edit of settings.json applies while the app runs; a broken one is said where the process logs.
      stopSettingsWatch = watchSettings(paths.settings, (view) => {
        applySettings(view)
        for (const problem of view.problems) options.onBackgroundProblem?.(`${view.file}: ${settingsProblemText(problem)}`)
      })
    },
    settings: () => maskSecrets(settingsView),
    close() {
      background = false
      void sync.service.stop()
      stopSettingsWatch()
      refills.stop()
      idleStop.stop()
      resources.stop()
      history.stop()
      stopReadyShells()
      terminals.closeAll()
      engine.close()
      database.close()
    }
  }
}
