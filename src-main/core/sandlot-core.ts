import { homedir } from 'node:os'
import { CoreApi } from './api'
import type { SettingsView, TaskProgress } from './contract'
import { ensureDataFolder, resolveDataFolder, type DataPaths } from './data/data-folder'
import type { EngineConnectionOptions } from './engine'
import { readExtraCa } from './certificates/extra-ca'
import { EngineSession } from './engine-session'
import { locateContainerDir } from './images/build-context'
import { CoreImage } from './images/core-image'
import { readSettings, updateSettings } from './settings/settings-file'
import { openDatabase, type Database } from './store/database'
import { instanceId } from './store/instance'

export interface OpenCoreOptions {
  /** The data folder; `SANDLOT_HOME` or the per-OS default when omitted. */
  home?: string
  env?: NodeJS.ProcessEnv
  /** A better-sqlite3 binary for this runtime (the Electron shell passes its own). */
  nativeBinding?: string
  /** The core image sources; found next to the code when omitted. */
  containerDir?: string
  engine?: EngineConnectionOptions
}

export interface SandlotCore {
  readonly paths: DataPaths
  readonly instanceId: string
  readonly database: Database
  readonly engine: EngineSession
  readonly image: CoreImage
  readonly api: CoreApi
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
    defaultBase: () => readSettings(paths.settings).settings.image.base,
    extraCa: () => readExtraCa(readSettings(paths.settings).settings.certificates.extraCaFile, env)?.content
  })
  const imageProgress = new Set<(progress: TaskProgress) => void>()

  const api = new CoreApi(
    {
      'engine.status': () => engine.currentStatus(),
      'settings.get': () => readSettings(paths.settings),
      'settings.update': (patch) => {
        const view = updateSettings(paths.settings, patch, (next) => engine.validate(next.engine))
        engine.reconfigure(view.settings.engine)
        return view
      },
      'image.status': ({ base }) => image.status(base),
      'image.build': (params) => image.build(params, (progress) => imageProgress.forEach((listener) => listener(progress)))
    },
    {
      'engine.status': (listener) => engine.onStatus(listener),
      'image.progress': (listener) => {
        imageProgress.add(listener)
        return () => imageProgress.delete(listener)
      }
    }
  )

  return {
    paths,
    instanceId: instanceId(database.db),
    database,
    engine,
    image,
    api,
    settings: () => readSettings(paths.settings),
    close() {
      engine.close()
      database.close()
    }
  }
}
