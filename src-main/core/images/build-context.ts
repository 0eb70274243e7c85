import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pack } from 'tar-stream'
import { SandlotError } from '../sandlot-error'

/**
 * What the image build sends: the Dockerfile, the bundled monitor and the certificates the build must trust,
 * nothing else (no sources, no fixtures). Packed here rather than from the folder, so an extra CA bundle from
 * the settings can join it without writing into the sources.
 */
export interface BuildContext {
  dir: string
  entries: BuildContextEntry[]
  /** sha256 over every path and its bytes: equal sources give an equal tag, so nothing is rebuilt. */
  digest: string
}

export interface BuildContextEntry {
  /** '/'-separated path inside the context. */
  name: string
  content: Uint8Array
}

/** Where an extra CA bundle lands in the context; the Dockerfile trusts every certs/*.crt. */
export const EXTRA_CA_ENTRY = 'certs/sandlot-extra-ca.crt'

export function readBuildContext(dir: string, extraCa?: Uint8Array): BuildContext {
  const dockerfile = join(dir, 'Dockerfile')
  const dist = join(dir, 'dist')
  if (!existsSync(dockerfile)) {
    throw new SandlotError('NOT_FOUND', `No Dockerfile in ${dir}.`, 'Point SANDLOT_CONTAINER_DIR at the container/ folder of a Sandlot checkout.')
  }
  if (!existsSync(join(dist, 'monitor.js'))) {
    throw new SandlotError('NOT_FOUND', `The monitor bundle is missing from ${dist}.`, 'Run `npm run build` first: it bundles the monitor.')
  }
  const files = [dockerfile, ...listFiles(dist), ...listFiles(join(dir, 'certs'))]
  const entries: BuildContextEntry[] = files.map((file) => ({ name: relative(dir, file).split(sep).join('/'), content: readFileSync(file) }))
  if (extraCa) entries.push({ name: EXTRA_CA_ENTRY, content: extraCa })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const hash = createHash('sha256')
  for (const entry of entries) hash.update(`${entry.name}\0`).update(entry.content).update('\0')
  return { dir, entries, digest: hash.digest('hex') }
}

/** The context as the tar stream the engine's build endpoint takes. */
export function packBuildContext(context: BuildContext): NodeJS.ReadableStream {
  const tar = pack()
  for (const entry of context.entries) tar.entry({ name: entry.name, mode: 0o644, mtime: new Date(0) }, entry.content)
  tar.finalize()
  return tar as unknown as NodeJS.ReadableStream
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
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
