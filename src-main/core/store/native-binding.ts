import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { SandlotError } from '../sandlot-error'

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
  // electron.builder.yml copies node_modules/.sandlot-native/ to resources/native/, keeping the ABI folder.
  const file = lookup.isPackaged
    ? join(lookup.resourcesPath, 'native', `electron-${lookup.modulesVersion}`, 'better_sqlite3.node')
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

/**
 * The binding for a CLI run by the packaged app's own binary (ELECTRON_RUN_AS_NODE=1, as VS Code's `code`):
 * Electron's ABI, so node_modules' Node build would not load. Plain Node needs no override.
 */
export function packagedCliBinding(): string | undefined {
  if (!process.versions.electron) return undefined
  const resources =
    (process as { resourcesPath?: string }).resourcesPath ??
    join(dirname(process.execPath), process.platform === 'darwin' ? join('..', 'Resources') : 'resources')
  const binding = findNativeBinding({ isPackaged: true, resourcesPath: resources, appPath: '', modulesVersion: process.versions.modules, exists: existsSync })
  if (!binding.found) throw new SandlotError('DATABASE', binding.message, binding.hint)
  return binding.file
}
