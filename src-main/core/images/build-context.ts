import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SandlotError } from '../sandlot-error'

/** What the image build sends: the Dockerfile and the bundled monitor, nothing else (no sources, no fixtures). */
export interface BuildContext {
  dir: string
  /** Paths relative to `dir`, sorted, '/'-separated. */
  files: string[]
  /** sha256 over every path and its bytes: equal sources give an equal tag, so nothing is rebuilt. */
  digest: string
}

export function readBuildContext(dir: string): BuildContext {
  const dockerfile = join(dir, 'Dockerfile')
  const dist = join(dir, 'dist')
  if (!existsSync(dockerfile)) {
    throw new SandlotError('NOT_FOUND', `No Dockerfile in ${dir}.`, 'Point SANDLOT_CONTAINER_DIR at the container/ folder of a Sandlot checkout.')
  }
  if (!existsSync(join(dist, 'monitor.js'))) {
    throw new SandlotError('NOT_FOUND', `The monitor bundle is missing from ${dist}.`, 'Run `npm run build` first: it bundles the monitor.')
  }
  const files = ['Dockerfile', ...listFiles(dist).map((f) => relative(dir, f).split(sep).join('/'))].sort()
  const hash = createHash('sha256')
  for (const file of files) {
    hash.update(`${file}\0`)
    hash.update(readFileSync(join(dir, file)))
    hash.update('\0')
  }
  return { dir, files, digest: hash.digest('hex') }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? listFiles(path) : [path]
  })
}

/**
 * The `container/` folder: `SANDLOT_CONTAINER_DIR`, a packaged app's resources, or the checkout this file
 * runs from (source or bundle: the nearest ancestor holding container/Dockerfile).
 */
export function locateContainerDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SANDLOT_CONTAINER_DIR) return env.SANDLOT_CONTAINER_DIR
  const resources = (process as { resourcesPath?: string }).resourcesPath
  if (resources && existsSync(join(resources, 'container', 'Dockerfile'))) return join(resources, 'container')
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'container', 'Dockerfile'))) return join(dir, 'container')
    if (dirname(dir) === dir) break
  }
  throw new SandlotError('NOT_FOUND', 'Cannot find the container/ folder with the core image sources.', 'Set SANDLOT_CONTAINER_DIR to it.')
}

/** CONVENTIONS.md: `sandlot/core:<first 12 hex of the hash of container/ and the base image id>`. */
export function coreImageTag(contextDigest: string, baseImageId: string): string {
  return `sandlot/core:${createHash('sha256').update(contextDigest).update('\0').update(baseImageId).digest('hex').slice(0, 12)}`
}

export const CORE_IMAGE_REPOSITORY = 'sandlot/core'
