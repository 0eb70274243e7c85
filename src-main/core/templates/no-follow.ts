import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, realpathSync, type Stats } from 'node:fs'
import { isAbsolute, join, relative, sep } from 'node:path'

/**
 * Reading template files on the host without ever following a link: a template from elsewhere may hold a
 * link to ~/.ssh/id_rsa, and whatever Sandlot reads ends up inside a container that runs the template's code.
 */

// O_NOFOLLOW closes the gap between the lstat and the open on POSIX; Windows has no such flag and relies on
// the lstat. O_NONBLOCK keeps a FIFO from blocking the open, so fstat can refuse it.
const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

/** A file that must not be read: why, in words that follow its path in an error message. */
export class UnsafeFileError extends Error {}

/**
 * Opens a regular file for reading. With `expected` (its lstat from a folder walk) the file must still be that
 * same file, so a file swapped for a link, or a folder above it swapped, between the walk and now is refused.
 */
export function openRegularFile(path: string, expected?: Stats): number {
  const before = expected ?? lstatSync(path)
  if (before.isSymbolicLink()) throw new UnsafeFileError('is a link, and links are never followed')
  if (!before.isFile()) throw new UnsafeFileError('is not a regular file')
  let fd: number
  try {
    fd = openSync(path, FLAGS)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ELOOP' || code === 'EMLINK') throw new UnsafeFileError('is a link, and links are never followed')
    throw err
  }
  const stats = fstatSync(fd)
  if (!stats.isFile() || stats.ino !== before.ino || stats.dev !== before.dev) {
    closeSync(fd)
    throw new UnsafeFileError('changed while Sandlot was reading the template')
  }
  return fd
}

/**
 * Refuses a link among the folders between `root` and `path` (`.devcontainer` linked to a folder elsewhere):
 * O_NOFOLLOW guards the last part of a path only, so each folder above it is checked before anything is read.
 */
export function checkFoldersAreNotLinks(root: string, path: string): void {
  const rel = relative(root, path)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new UnsafeFileError('is not inside the template')
  let folder = root
  for (const part of rel.split(sep).slice(0, -1)) {
    folder = join(folder, part)
    const stats = lstatSync(folder, { throwIfNoEntry: false })
    if (stats?.isSymbolicLink()) throw new UnsafeFileError(`is reached through ${relative(root, folder)}, which is a link, and links are never followed`)
    if (!stats?.isDirectory()) return
  }
}

/**
 * A regular file's bytes; undefined when it does not exist. With `root`, the file must be reached from it
 * without passing a link, checked before the open and again on what was opened (a folder swapped meanwhile).
 */
export function readRegularFile(path: string, maxBytes: number, root?: string): Buffer | undefined {
  let fd: number
  try {
    if (root !== undefined) checkFoldersAreNotLinks(root, path)
    fd = openRegularFile(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  try {
    if (root !== undefined) checkOpenedInside(root, path, fd)
    if (fstatSync(fd).size > maxBytes) throw new UnsafeFileError(`is larger than ${maxBytes} bytes`)
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** The opened file is the one its real path names, and that path is inside `root`'s real path. */
function checkOpenedInside(root: string, path: string, fd: number): void {
  const real = realpathSync(path)
  const inside = relative(realpathSync(root), real)
  const opened = fstatSync(fd)
  const named = lstatSync(real)
  if (inside.startsWith('..') || isAbsolute(inside) || named.ino !== opened.ino || named.dev !== opened.dev) {
    throw new UnsafeFileError('changed while Sandlot was reading the template')
  }
}
