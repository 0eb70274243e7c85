// Facts about the installed Electron that the start and native-module scripts share.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..')

export function electronInfo() {
  const dir = dirname(require.resolve('electron/package.json'))
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
  const pathFile = join(dir, 'path.txt')
  const binary = existsSync(pathFile) ? join(dir, 'dist', readFileSync(pathFile, 'utf8')) : undefined
  return { dir, version, binary: binary && existsSync(binary) ? binary : undefined }
}

/** Node's module ABI for an Electron version: native modules built for it load in the app, not in Node. */
export function electronAbi(version) {
  return require('node-abi').getAbi(version, 'electron')
}

/** Where the Electron build of better-sqlite3 lives in a checkout; Node keeps the module's own build. */
export function electronNativeDir(version) {
  return join(projectRoot, 'node_modules', '.sandlot-native', `electron-${electronAbi(version)}`)
}
