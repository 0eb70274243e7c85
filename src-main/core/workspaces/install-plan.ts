import { createHash } from 'node:crypto'
import type { TemplateManifest } from '../contract'
import { SHARED_NPM_CACHE_FOLDER } from './container-spec'
import type { InstallInputs } from './install-inputs'

/** Bumped when what a snapshot holds, or how it is made, changes: older snapshots are then never used. */
const SNAPSHOT_FORMAT = 2

/** `npm ci`, with flags at most: it installs exactly what the lockfile pins, each package checked by integrity. */
const NPM_CI = /^npm ci(\s+--[a-z][a-z-]*(=[\w.-]+)?)*$/
/** The root package's own scripts npm runs around an install: they may write anywhere in /app. */
const ROOT_INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare', 'dependencies']

export interface InstallPlan {
  /** Extra environment for the install command. */
  env: Record<string, string>
  /**
   * Set when node_modules depends on nothing but the inputs, the install command, the env and the image, so
   * that a snapshot of an earlier identical install is as good as installing again.
   */
  snapshotKey?: string
  /** Why there is no snapshot key, for the progress line. */
  noSnapshot?: string
}

const QUIET_NPM = { CI: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }

/**
 * How a workspace installs its dependencies. Only `npm ci` from a lockfile that pins every package by
 * integrity uses the shared npm store, and only its content (blobs named by their digest, checked when read):
 * anything npm looks up by URL (registry metadata, git dependencies, old lockfiles, entries without an
 * integrity) could be planted there by another workspace, so such installs get the container's own cache.
 * `digest` is the sha256 of the whole template archive the workspace got.
 */
export function planInstall(manifest: TemplateManifest, inputs: InstallInputs, digest: string, imageTag: string): InstallPlan {
  const install = manifest.install?.trim() ?? ''
  const lockfile = ['package-lock.json', 'npm-shrinkwrap.json'].find((name) => inputs.has(name))
  if (!NPM_CI.test(install) || !lockfile) return { env: { ...QUIET_NPM }, noSnapshot: 'the install is not `npm ci` with a lockfile' }
  const unpinned = unpinnedPackage(inputs.get(lockfile)!)
  if (unpinned) return { env: { ...QUIET_NPM }, noSnapshot: unpinned }
  const env = { ...QUIET_NPM, npm_config_cache: SHARED_NPM_CACHE_FOLDER, npm_config_logs_dir: '/home/node/.npm/_logs' }
  const reason = snapshotProblem(inputs)
  if (reason) return { env, noSnapshot: reason }
  const key = createHash('sha256').update(JSON.stringify([SNAPSHOT_FORMAT, imageTag, install, Object.entries(manifest.env ?? {}).sort(), digest]))
  return { env, snapshotKey: key.digest('hex').slice(0, 32) }
}

/** Why the lockfile does not pin every package to a registry tarball by integrity, if it does not. */
function unpinnedPackage(lockfile: Buffer | null): string | undefined {
  const lock = parseObject(lockfile)
  if (!lock) return 'the lockfile is unreadable or too large to check'
  if (typeof lock.lockfileVersion !== 'number' || lock.lockfileVersion < 2) return 'a lockfile older than npm 7 (v1) makes npm fetch registry metadata'
  const packages = lock.packages
  if (typeof packages !== 'object' || packages === null) return 'the lockfile lists no packages'
  for (const [path, entry] of Object.entries(packages as Record<string, Record<string, unknown>>)) {
    // The project itself, its local packages (links), and packages that come inside another's tarball.
    if (path === '' || entry.link === true || entry.inBundle === true) continue
    const resolved = typeof entry.resolved === 'string' ? entry.resolved : ''
    if (typeof entry.integrity !== 'string' || !resolved.startsWith('https://')) return `${path} is not pinned to a registry tarball by integrity`
  }
  return undefined
}

/** Why a snapshot could differ from what the install does in the workspace, if it could. */
function snapshotProblem(inputs: InstallInputs): string | undefined {
  if ([...inputs.values()].includes(null)) return 'an install input is too large or not a regular file'
  const pkg = parseObject(inputs.get('package.json'))
  if (!pkg) return 'package.json is missing or not a JSON object'
  if (pkg.workspaces !== undefined) return 'npm workspaces are not snapshotted'
  const scripts = typeof pkg.scripts === 'object' && pkg.scripts !== null ? (pkg.scripts as Record<string, unknown>) : {}
  const script = ROOT_INSTALL_SCRIPTS.find((s) => scripts[s] !== undefined)
  if (script) return `package.json has a "${script}" script, which may write outside node_modules`
  return undefined
}

function parseObject(text: Buffer | null | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined
  try {
    const value: unknown = JSON.parse(text.toString())
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
