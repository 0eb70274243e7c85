import { createHash } from 'node:crypto'
import type { TemplateManifest } from '../contract'
import { SHARED_NPM_CACHE_FOLDER } from './container-spec'
import type { InstallInputs } from './install-inputs'

/** Bumped when what a snapshot holds, or how it is made, changes: older snapshots are then never used. */
const SNAPSHOT_FORMAT = 1

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
 * How a workspace installs its dependencies. Only `npm ci` with a lockfile uses the shared npm store: every
 * package it takes from there is checked against the lockfile. Any other install resolves versions from
 * registry metadata, which npm reuses from its cache unchecked, so it gets the container's own cache.
 */
export function planInstall(manifest: TemplateManifest, inputs: InstallInputs, imageTag: string): InstallPlan {
  const install = manifest.install?.trim() ?? ''
  const lockfile = ['package-lock.json', 'npm-shrinkwrap.json'].find((name) => inputs.has(name))
  if (!NPM_CI.test(install) || !lockfile) return { env: { ...QUIET_NPM }, noSnapshot: 'the install is not `npm ci` with a lockfile' }
  const env = { ...QUIET_NPM, npm_config_cache: SHARED_NPM_CACHE_FOLDER, npm_config_logs_dir: '/home/node/.npm/_logs' }
  const reason = snapshotProblem(inputs, inputs.get(lockfile)!)
  if (reason) return { env, noSnapshot: reason }
  const hash = createHash('sha256')
  hash.update(JSON.stringify([SNAPSHOT_FORMAT, imageTag, install, Object.entries(manifest.env ?? {}).sort()]))
  for (const name of [...inputs.keys()].sort()) hash.update(`\0${name}\0`).update(inputs.get(name)!)
  return { env, snapshotKey: hash.digest('hex').slice(0, 32) }
}

function snapshotProblem(inputs: InstallInputs, lockfile: Buffer | null): string | undefined {
  if (lockfile === null || [...inputs.values()].includes(null)) return 'an install input is too large to fingerprint'
  const pkg = parseObject(inputs.get('package.json'))
  if (!pkg) return 'package.json is missing or not a JSON object'
  if (pkg.workspaces !== undefined) return 'npm workspaces install from more than package.json and the lockfile'
  const scripts = typeof pkg.scripts === 'object' && pkg.scripts !== null ? (pkg.scripts as Record<string, unknown>) : {}
  const script = ROOT_INSTALL_SCRIPTS.find((s) => scripts[s] !== undefined)
  if (script) return `package.json has a "${script}" script, which may write outside node_modules`
  const lock = lockfile.toString('utf8')
  // Local packages (file:, links) live in the project, not in the lockfile.
  if (/"link":\s*true|"resolved":\s*"file:/.test(lock)) return 'the lockfile has local (file: or linked) packages'
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
