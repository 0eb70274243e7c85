import { join } from 'node:path'

export interface NativeBindingLookup {
  isPackaged: boolean
  /** process.resourcesPath */
  resourcesPath: string
  /** app.getAppPath(): the checkout's root when run from one. */
  appPath: string
  /** process.versions.modules: Electron's Node ABI. */
  modulesVersion: string
  exists: (file: string) => boolean
}

export type NativeBinding =
  | { found: true; file: string }
  | { found: false; file: string; message: string; hint: string }

/**
 * better-sqlite3 built for Electron's ABI (node_modules holds the build for plain Node, which the CLI uses).
 * A packaged app ships it in resources/native; a checkout builds it with `npm run native:electron`.
 */
export function findNativeBinding(lookup: NativeBindingLookup): NativeBinding {
  const file = lookup.isPackaged
    ? join(lookup.resourcesPath, 'native', 'better_sqlite3.node')
    : join(lookup.appPath, 'node_modules', '.sandlot-native', `electron-${lookup.modulesVersion}`, 'better_sqlite3.node')
  if (lookup.exists(file)) return { found: true, file }
  return {
    found: false,
    file,
    message: `Sandlot cannot open its database: the SQLite module for this Electron (ABI ${lookup.modulesVersion}) is missing at ${file}.`,
    hint: lookup.isPackaged
      ? 'This installation is incomplete: reinstall Sandlot.'
      : 'Run `npm run native:electron` in the Sandlot checkout, then start the app again. The browser mode (`sandlot serve`) works without it.'
  }
}
