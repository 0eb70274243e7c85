import { chmodSync, mkdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { SandlotError } from '../sandlot-error'
import { checkDataFolderTrust, currentTrustContext, type TrustContext } from './data-folder-trust'

/** The product name Electron derives its userData folder from; the CLI must compute the same path. */
export const PRODUCT_NAME = 'Sandlot'

export interface DataFolderEnvironment {
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  home: string
}

/** Electron's `app.getPath('userData')` for "Sandlot", computed without Electron. */
export function defaultDataFolder({ env, platform, home }: DataFolderEnvironment): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME)
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), PRODUCT_NAME)
}

/** `SANDLOT_HOME` wins, so tests and parallel instances never share a data folder by accident. */
export function resolveDataFolder(
  environment: DataFolderEnvironment = { env: process.env, platform: process.platform, home: homedir() }
): string {
  const override = environment.env.SANDLOT_HOME
  return override ? resolve(override) : defaultDataFolder(environment)
}

export interface DataPaths {
  root: string
  database: string
  settings: string
  apiToken: string
  templates: string
  logs: string
  backups: string
}

export function dataPaths(root: string): DataPaths {
  return {
    root,
    database: join(root, 'sandlot.db'),
    settings: join(root, 'settings.json'),
    apiToken: join(root, 'api-token'),
    templates: join(root, 'templates'),
    logs: join(root, 'logs'),
    backups: join(root, 'backups')
  }
}

/**
 * Creates the folder tree, private to the user: it holds the API token and the history. A folder another user
 * can write into is refused (see data-folder-trust.ts); one that others can merely read is made private.
 */
export function ensureDataFolder(root: string, trust: TrustContext = currentTrustContext()): DataPaths {
  const paths = dataPaths(root)
  try {
    for (const dir of [paths.root, paths.templates, paths.logs, paths.backups]) mkdirSync(dir, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw new SandlotError(
      'DATA_FOLDER',
      `Cannot create the data folder ${root}: ${(err as Error).message}`,
      'Check that the folder is writable, or point SANDLOT_HOME at a folder that is.',
      { cause: err }
    )
  }
  checkDataFolderTrust(paths, trust)
  if (trust.platform !== 'win32') keepPrivate(paths, trust.uid)
  return paths
}

/** Folders 0700 and files 0600, for whatever of them this user owns (root's stay as root left them). */
function keepPrivate(paths: DataPaths, uid: number): void {
  const folders = [paths.root, paths.templates, paths.logs, paths.backups]
  const files = [paths.settings, paths.apiToken, paths.database, `${paths.database}-wal`, `${paths.database}-shm`]
  for (const [path, mode] of [...folders.map((f) => [f, 0o700] as const), ...files.map((f) => [f, 0o600] as const)]) {
    const stats = statSync(path, { throwIfNoEntry: false })
    if (stats && stats.uid === uid && (stats.mode & 0o077) !== 0) chmodSync(path, mode)
  }
}
