import { mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { SandlotError } from '../sandlot-error'

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

/** Creates the folder tree, private to the user: it holds the API token and the history. */
export function ensureDataFolder(root: string): DataPaths {
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
  return paths
}
