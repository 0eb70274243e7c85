import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, type Stats } from 'node:fs'

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

/** A regular file's bytes; undefined when it does not exist. */
export function readRegularFile(path: string, maxBytes: number): Buffer | undefined {
  let fd: number
  try {
    fd = openRegularFile(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  try {
    if (fstatSync(fd).size > maxBytes) throw new UnsafeFileError(`is larger than ${maxBytes} bytes`)
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}
