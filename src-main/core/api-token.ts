import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { SandlotError } from './sandlot-error'

/** 32 random bytes as hex: safe in a URL, in a WebSocket subprotocol header, and easy to copy. */
const TOKEN_PATTERN = /^[0-9a-f]{64}$/

/**
 * The data folder's API token (`api-token`, mode 0600), created on first use. Creation is race-free across
 * processes: the token is written to a private temporary file and hard-linked into place, which fails if
 * another process got there first; then its token wins and is read back.
 */
export function loadApiToken(file: string): string {
  return readToken(file) ?? placeNewToken(file, 'link')
}

/** Replaces the token atomically: open sessions are signed out; a file half-written is never seen. */
export function rotateApiToken(file: string): string {
  return placeNewToken(file, 'rename')
}

/**
 * A fresh token in a private temporary file, then put in place: hard-linked (fails if another process created
 * the file first: its token wins and is read back) or renamed over the old one.
 */
function placeNewToken(file: string, how: 'link' | 'rename'): string {
  const token = randomBytes(32).toString('hex')
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    writeFileSync(temporary, `${token}\n`, { mode: 0o600, flag: 'wx' })
    // The umask can only remove bits, but make the mode explicit anyway.
    chmodSync(temporary, 0o600)
    if (how === 'link') linkSync(temporary, file)
    else renameSync(temporary, file)
    return token
  } catch (err) {
    if (how === 'link' && (err as NodeJS.ErrnoException).code === 'EEXIST') return readToken(file) ?? invalidToken(file)
    throw new SandlotError('DATA_FOLDER', `Cannot write the API token file ${file}: ${(err as Error).message}`, 'Check that the data folder is writable.', {
      cause: err
    })
  } finally {
    rmSync(temporary, { force: true })
  }
}

/** Whether a presented token is the right one, in constant time: both sides are hashed to equal lengths first. */
export function tokenMatches(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false
  return timingSafeEqual(tokenDigest(expected), tokenDigest(presented))
}

/** A token's SHA-256: what a server keeps to recognise a token later without holding on to the token itself. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

function readToken(file: string): string | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new SandlotError('DATA_FOLDER', `Cannot read the API token file ${file}: ${(err as Error).message}`, 'Check the permissions of the data folder.', {
      cause: err
    })
  }
  const token = text.trim()
  if (!TOKEN_PATTERN.test(token)) return invalidToken(file)
  if (process.platform !== 'win32') keepPrivate(file)
  return token
}

/** Anyone who can read the token can drive Sandlot: the file is made private again if it was copied or loosened. */
function keepPrivate(file: string): void {
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
  } catch (err) {
    // Typically EPERM: the data folder was created under sudo, so the file belongs to another user.
    throw new SandlotError(
      'DATA_FOLDER',
      `Cannot make the API token file ${file} private: ${(err as Error).message}`,
      `chown the data folder to your user (it was probably created with sudo): sudo chown -R "$USER" "${dirname(file)}"`,
      { cause: err }
    )
  }
}

function invalidToken(file: string): never {
  throw new SandlotError('DATA_FOLDER', `The API token file ${file} does not hold a valid token.`, 'Delete the file: Sandlot creates a new token on the next start.')
}
