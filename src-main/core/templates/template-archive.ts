import { createReadStream, lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { extract, pack, type Pack } from 'tar-stream'
import { SandlotError } from '../sandlot-error'
import { openRegularFile, UnsafeFileError } from './no-follow'
import { MANIFEST_FILE } from './template-manifest'

/**
 * Templates become tar streams for the engine's archive API, extracted into /app of a workspace. The engine
 * extracts as root inside the container, so every entry is checked: nothing may land outside /app, write
 * through a link, or carry a device, a hard link or a setuid bit; everything is owned by `node`.
 */

/** The container's `node` user (container/Dockerfile), which owns /app and runs everything in it. */
export const APP_UID = 1000
export const APP_GID = 1000
const OWNER = { uid: APP_UID, gid: APP_GID, uname: 'node', gname: 'node' }

/** Installed dependencies and version-control history: never part of a template, at any depth. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git'])

export interface TreeLimits {
  /** Files, folders and links together. */
  maxEntries: number
  /** Bytes of file content. */
  maxBytes: number
}

export const DEFAULT_TREE_LIMITS: TreeLimits = { maxEntries: 20_000, maxBytes: 200 * 1024 * 1024 }

/** As Linux's SYMLOOP_MAX: a chain of links longer than this is a loop. */
const MAX_LINK_HOPS = 40

const REFUSAL_HINT = 'Remove or replace that entry: Sandlot refuses anything that could reach outside the template or /app.'

/** The parts of a tar header the checks read. */
export interface ArchiveEntryHeader {
  name: string
  type?: string | null
  linkname?: string | null
  size?: number
}

/**
 * Checks one tar entry on its own: a relative path that stays inside, a file, folder or link (no hard links,
 * devices or FIFOs), a link pointing inside by its path. Returns the normalized name ('' for the root folder
 * itself, as in `./`). Links through other links are checked once all are known (see {@link sanitizeArchive}).
 */
export function checkArchiveEntry(header: ArchiveEntryHeader): string {
  const problem = entryProblem(header)
  if (typeof problem === 'object') throw refusal(`"${header.name}"`, problem.reason)
  return problem
}

/** The normalized name, or why the entry is refused. */
function entryProblem(header: ArchiveEntryHeader): string | { reason: string } {
  const { name } = header
  const type = header.type ?? 'unknown'
  if (name === '') return { reason: 'has no name' }
  if (name.includes('\0') || name.includes('\\')) return { reason: 'has a NUL byte or a backslash in its name' }
  if (isAbsolute(name)) return { reason: 'is an absolute path' }
  const parts = name.split('/').filter((part) => part !== '' && part !== '.')
  if (parts.includes('..')) return { reason: 'goes up a folder (..), outside the template' }
  if (type === 'link') return { reason: 'is a hard link; hard links are refused' }
  if (type === 'character-device' || type === 'block-device') return { reason: 'is a device file' }
  if (type === 'fifo') return { reason: 'is a FIFO (named pipe)' }
  if (type !== 'file' && type !== 'directory' && type !== 'symlink') return { reason: `has an unsupported type (${type})` }
  if (parts.length === 0 && type !== 'directory') return { reason: 'names the top folder itself' }
  if (type === 'symlink') {
    const target = header.linkname ?? ''
    if (target === '' || target.includes('\0') || target.includes('\\')) return { reason: 'is a link without a usable target' }
    if (isAbsolute(target)) return { reason: `is a link to an absolute path (${target})` }
    if (!staysInside(parts.slice(0, -1), target, new Map())) return { reason: `is a link that points outside the template (${target})` }
  }
  return parts.join('/')
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:/.test(path)
}

/** Follows `target` from the folder `from` through the known links; false when it leaves the top folder or loops. */
function staysInside(from: string[], target: string, links: ReadonlyMap<string, string>): boolean {
  const resolved = [...from]
  const pending = target.split('/')
  let hops = 0
  while (pending.length > 0) {
    const part = pending.shift()!
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (resolved.length === 0) return false
      resolved.pop()
      continue
    }
    resolved.push(part)
    const next = links.get(resolved.join('/'))
    if (next === undefined) continue
    if (++hops > MAX_LINK_HOPS || isAbsolute(next)) return false
    resolved.pop()
    pending.unshift(...next.split('/'))
  }
  return true
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${bytes} bytes`
}

function refusal(where: string, reason: string): SandlotError {
  return new SandlotError('BAD_REQUEST', `Refused ${where}: it ${reason}.`, REFUSAL_HINT)
}

/**
 * The rules that need every entry: limits, no entry inside a link (the engine would write through it), no
 * link sharing a name with another entry, and links followed through each other once all are known.
 */
class ArchiveGuard {
  files = 0
  bytes = 0
  #entries = 0
  readonly #paths = new Set<string>()
  readonly #links = new Map<string, string>()
  readonly #limits: TreeLimits
  readonly #what: string
  readonly #where: (name: string) => string

  constructor(limits: TreeLimits, what: 'template' | 'archive', where: (name: string) => string) {
    this.#limits = limits
    this.#what = what
    this.#where = where
  }

  /** Checks one entry; returns its normalized name ('' for the top folder itself). */
  add(header: ArchiveEntryHeader): string {
    const checked = entryProblem(header)
    if (typeof checked === 'object') throw refusal(this.#where(header.name), checked.reason)
    const name = checked
    if (name === '') return name
    if (++this.#entries > this.#limits.maxEntries) {
      throw new SandlotError(
        'BAD_REQUEST',
        `The ${this.#what} has more than ${this.#limits.maxEntries} files, folders and links.`,
        'Leave build output and generated files out (node_modules and .git are skipped already).'
      )
    }
    if (header.type === 'file') {
      this.files++
      this.bytes += header.size ?? 0
      if (this.bytes > this.#limits.maxBytes) {
        throw new SandlotError(
          'BAD_REQUEST',
          `The ${this.#what} is larger than ${sizeText(this.#limits.maxBytes)}.`,
          'Leave large files, build output and caches out (node_modules and .git are skipped already).'
        )
      }
    }
    const ancestors = name.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))
    const throughLink = ancestors.slice(0, -1).find((folder) => this.#links.has(folder))
    if (throughLink !== undefined) throw refusal(this.#where(header.name), `is inside the link ${throughLink}`)
    if (this.#links.has(name) || (header.type === 'symlink' && this.#paths.has(name))) {
      throw refusal(this.#where(header.name), 'shares its name with another entry, and one of them is a link')
    }
    if (header.type === 'symlink') this.#links.set(name, header.linkname!)
    else ancestors.forEach((path) => this.#paths.add(path))
    return name
  }

  /** Once every link is known: a chain of links that each point inside may still lead outside. */
  finish(): void {
    for (const [name, target] of this.#links) {
      if (!staysInside(name.split('/').slice(0, -1), target, this.#links)) {
        throw refusal(this.#where(name), `is a link that, through other links, leads outside the template or in a loop (${target})`)
      }
    }
  }
}

/** One entry of a template folder, checked. */
export interface TreeEntry {
  /** '/'-separated, relative to the template folder. */
  name: string
  type: 'file' | 'directory' | 'symlink'
  /** Permission bits only: setuid, setgid and sticky removed. */
  mode: number
  size: number
  mtime: Date
  linkname?: string
  /** The lstat of the walk, so a file is read only if it is still that same file. */
  stats: Stats
}

export interface TemplateTree {
  dir: string
  /** Every folder before what it holds. */
  entries: TreeEntry[]
  files: number
  bytes: number
}

/**
 * Walks a template folder without following any link (lstat, readlink), skipping node_modules and .git, and
 * refuses what cannot go into /app: hard links, devices, FIFOs, sockets, links out, and folders over the limits.
 */
export function readTemplateTree(dir: string, limits: TreeLimits = DEFAULT_TREE_LIMITS, skipped: ReadonlySet<string> = SKIPPED_FOLDERS): TemplateTree {
  const guard = new ArchiveGuard(limits, 'template', (name) => join(dir, name))
  const entries: TreeEntry[] = []
  const folders = ['']
  while (folders.length > 0) {
    const folder = folders.pop()!
    for (const child of readdirSync(join(dir, folder)).sort()) {
      const name = folder ? `${folder}/${child}` : child
      const path = join(dir, name)
      // By name, whatever they are: node_modules may be a link (monorepos), .git a file (worktrees).
      if (skipped.has(child)) continue
      const stats = lstatSync(path)
      const type = stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : undefined
      if (type === undefined) throw refusal(path, `is ${stats.isFIFO() ? 'a FIFO (named pipe)' : stats.isSocket() ? 'a socket' : 'a device file'}`)
      // A second name for a file may tie it to one outside the template (a copy of ~/.ssh, say): refused.
      if (type === 'file' && stats.nlink > 1) throw refusal(path, 'is a hard link; hard links are refused')
      const linkname = type === 'symlink' ? readlinkSync(path) : undefined
      guard.add({ name, type, linkname, size: stats.size })
      entries.push({ name, type, mode: stats.mode & 0o777, size: type === 'file' ? stats.size : 0, mtime: stats.mtime, linkname, stats })
      if (type === 'directory') folders.push(name)
    }
  }
  guard.finish()
  return { dir, entries, files: guard.files, bytes: guard.bytes }
}

/** What goes into /app: the tree without the top-level template.json, which stays host-side metadata. */
export function appEntries(tree: TemplateTree): TreeEntry[] {
  return tree.entries.filter((entry) => entry.name !== MANIFEST_FILE)
}

export interface PackedTemplate {
  /**
   * A tar for the archive API (`putArchive(stream, { path: '/app' })`). It fails if a file changes meanwhile;
   * docker-modem pipes it without listening for 'error', so the caller must, and abort the upload.
   */
  stream: Readable
  files: number
  bytes: number
}

export interface PackOptions {
  /** Folder names left out at any depth (default: node_modules and .git). */
  skipped?: ReadonlySet<string>
  /** Everything, template.json included: a repository's checkout is the user's files, not a template's. */
  whole?: boolean
}

/**
 * Packs a template folder for /app. The folder is walked and checked first, so a bad template throws here,
 * before anything reaches the engine; file contents are streamed afterwards.
 */
export function packTemplate(dir: string, limits: TreeLimits = DEFAULT_TREE_LIMITS, options: PackOptions = {}): PackedTemplate {
  const tree = readTemplateTree(dir, limits, options.skipped)
  const entries = options.whole ? tree.entries : appEntries(tree)
  const tar = pack()
  void (async () => {
    for (const entry of entries) {
      const header = { name: entry.name, type: entry.type, mode: entry.mode, mtime: entry.mtime, linkname: entry.linkname, size: entry.size, ...OWNER }
      if (entry.type !== 'file') {
        tar.entry(header)
        continue
      }
      const content = createReadStream('', { fd: openChecked(join(dir, entry.name), entry.stats) })
      try {
        await writeEntry(tar, header, content)
      } finally {
        content.destroy()
      }
    }
    tar.finalize()
  })().catch((err: unknown) => tar.destroy(err as Error))
  const files = entries.filter((e) => e.type === 'file')
  return { stream: nodeStream(tar), files: files.length, bytes: files.reduce((sum, e) => sum + e.size, 0) }
}

/**
 * Re-packs an untrusted tar (a workspace saved with `sandlot save`) for /app, checking every entry as templates
 * are checked and failing the output stream on the first bad one (the source is destroyed then). Ownership
 * becomes `node`, setuid, setgid and sticky bits and extended attributes are dropped, and links go last, once
 * all of them could be checked.
 */
export function sanitizeArchive(source: NodeJS.ReadableStream, limits: TreeLimits = DEFAULT_TREE_LIMITS): Readable {
  const guard = new ArchiveGuard(limits, 'archive', (name) => `"${name}"`)
  const input = extract()
  const output = pack()
  const links: Array<{ name: string; linkname: string; mtime: Date }> = []
  source.on('error', (err: Error) => input.destroy(err))
  source.pipe(input as unknown as NodeJS.WritableStream)
  void (async () => {
    for await (const entry of input) {
      const { header } = entry
      const name = guard.add(header)
      if (name === '' || header.type === 'symlink') {
        if (header.type === 'symlink') links.push({ name, linkname: header.linkname, mtime: header.mtime })
        entry.resume()
        continue
      }
      const mode = header.mode & 0o777
      if (header.type === 'directory') output.entry({ name, type: 'directory', mode, mtime: header.mtime, ...OWNER })
      else await writeEntry(output, { name, type: 'file', mode, mtime: header.mtime, size: header.size, ...OWNER }, entry)
    }
    guard.finish()
    for (const link of links) output.entry({ ...link, type: 'symlink', mode: 0o777, ...OWNER })
    output.finalize()
  })().catch((err: unknown) => {
    output.destroy(err as Error)
    input.destroy()
    // Nothing more will be read from a refused archive.
    ;(source as { destroy?: () => void }).destroy?.()
  })
  return nodeStream(output)
}

/**
 * tar-stream's packs are streamx streams: piped into a Node stream (an HTTP request), their failure is thrown
 * as an uncaught exception and the destination waits for ever. As a Node stream, `pipeline` and `finished`
 * see the failure, and a consumer that gives up destroys the pack behind it.
 */
function nodeStream(tar: Pack): Readable {
  return Readable.from(tar, { objectMode: false })
}

/** Opens a file of the walk for reading, refusing it if it is no longer the file the walk checked. */
export function openChecked(path: string, stats: Stats): number {
  try {
    return openRegularFile(path, stats)
  } catch (err) {
    throw err instanceof UnsafeFileError ? refusal(path, err.message) : err
  }
}

/** Streams one file's content into the tar, with backpressure; resolves when the entry is complete. */
export async function writeEntry(tar: Pack, header: Parameters<Pack['entry']>[0], content: AsyncIterable<unknown>): Promise<void> {
  let sink!: ReturnType<Pack['entry']>
  const complete = new Promise<void>((resolve, reject) => {
    sink = tar.entry(header, (err) => (err ? reject(err) : resolve()))
  })
  // A failure arrives through the callback above; without these it would also be thrown as unhandled.
  complete.catch(() => {})
  sink.on('error', () => {})
  for await (const chunk of content) {
    if (sink.write(chunk)) continue
    // A consumer that gives up destroys the tar and this entry with it: stop instead of waiting for ever.
    await new Promise<void>((resolve) => {
      const done = (): void => {
        sink.off('drain', done)
        sink.off('close', done)
        resolve()
      }
      sink.on('drain', done)
      sink.on('close', done)
    })
    if (sink.destroyed) break
  }
  sink.end(undefined)
  await complete
}
