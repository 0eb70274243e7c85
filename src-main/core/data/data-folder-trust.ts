import { lstatSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs'
import { userInfo } from 'node:os'
import { dirname, join } from 'node:path'
import { SandlotError } from '../sandlot-error'
import type { DataPaths } from './data-folder'

/**
 * What Sandlot reads from its data folder drives it: `settings.json` names the engine it talks to, templates
 * run in workspaces, `api-token` lets a caller drive everything. Another local user who can write any of them
 * (or the folder holding them) could take over, so, as `ssh` does for `~/.ssh`, Sandlot refuses to start
 * with such a folder and says how to fix it. POSIX only: on Windows the folder under %APPDATA% is private by
 * its ACL, and modes and owners as Node reports them there mean nothing, so these checks are skipped.
 */
export interface TrustContext {
  platform: NodeJS.Platform
  /** The user Sandlot runs as; files of theirs or of root are trusted. */
  uid: number
  /**
   * The user's private group (named after them, no other members), as Debian and Ubuntu give every user with
   * umask 002: group-writable is as private as owner-writable there, so it is accepted (as Debian's ssh does).
   */
  privateGid?: number
}

export function currentTrustContext(): TrustContext {
  const uid = process.getuid?.() ?? -1
  return { platform: process.platform, uid, privateGid: process.platform === 'win32' ? undefined : privateGroup(userInfo().username, process.getgid?.()) }
}

/** The gid of `user`'s own group from /etc/group, when it is their primary group and has no other members. */
export function privateGroup(user: string, gid: number | undefined, groupFile = '/etc/group'): number | undefined {
  let text: string
  try {
    text = readFileSync(groupFile, 'utf8')
  } catch {
    return undefined
  }
  for (const line of text.split('\n')) {
    const [name, , id, members = ''] = line.split(':')
    if (name === user && Number(id) === gid && members.split(',').every((m) => m === '' || m === user)) return gid
  }
  return undefined
}

/** Refuses (DATA_FOLDER, with the fixing command) a data folder another local user could write into. */
export function checkDataFolderTrust(paths: DataPaths, context: TrustContext = currentTrustContext()): void {
  if (context.platform === 'win32') return
  checkAncestors(paths.root, context)
  checkPath(paths.root, context)
  for (const file of [paths.settings, paths.apiToken, paths.database, `${paths.database}-wal`, `${paths.database}-shm`]) checkPath(file, context)
  checkTree(paths.templates, context)
}

/** Each folder above the data folder: replacing the data folder itself must be impossible for others too. */
function checkAncestors(root: string, context: TrustContext): void {
  for (let folder = dirname(root); ; folder = dirname(folder)) {
    const stats = statSync(folder, { throwIfNoEntry: false })
    // A sticky folder (/tmp) lets others create names but not replace or remove ours.
    if (stats && (stats.mode & 0o1000) === 0) check(folder, stats, context, false)
    if (dirname(folder) === folder) return
  }
}

function checkPath(path: string, context: TrustContext): void {
  // Followed: what counts is the file read, wherever a link put it. A link itself can only be made by
  // someone who can write the folder holding it, which is checked too.
  const stats = statSync(path, { throwIfNoEntry: false })
  if (stats) check(path, stats, context, stats.isDirectory())
}

/** The templates folder, and inside it whatever others can reach (a folder they cannot enter hides its content). */
function checkTree(folder: string, context: TrustContext): void {
  const stats = lstatSync(folder, { throwIfNoEntry: false })
  if (!stats) return
  check(folder, stats, context, true)
  if (!stats.isDirectory() || (stats.mode & 0o011) === 0) return
  for (const name of readdirSync(folder)) {
    const path = join(folder, name)
    const entry = lstatSync(path)
    if (entry.isDirectory()) checkTree(path, context)
    else if (!entry.isSymbolicLink()) check(path, entry, context, false)
  }
}

/** `recursive`: the fix is for the folder and what it holds (a data folder's own), not for a folder above it. */
function check(path: string, stats: Stats, context: TrustContext, recursive: boolean): void {
  if (stats.uid !== context.uid && stats.uid !== 0) {
    throw new SandlotError(
      'DATA_FOLDER',
      `${path} belongs to another user (uid ${stats.uid}), so Sandlot does not trust it: that user could change what Sandlot runs.`,
      `If it is yours (made with sudo, say), take it back: sudo chown ${recursive ? '-R ' : ''}"$(id -u)" ${shellQuote(path)}. Otherwise use a data folder of your own (SANDLOT_HOME).`
    )
  }
  const groupIsMine = context.privateGid !== undefined && stats.gid === context.privateGid
  if ((stats.mode & (groupIsMine ? 0o002 : 0o022)) !== 0) {
    const who = (stats.mode & 0o002) !== 0 ? 'every user' : 'its group'
    throw new SandlotError(
      'DATA_FOLDER',
      `${path} is writable by ${who} (mode ${(stats.mode & 0o7777).toString(8).padStart(4, '0')}), so Sandlot does not trust it, as ssh does not trust a loose ~/.ssh.`,
      `Make it writable by you only: chmod ${recursive ? '-R ' : ''}go-w ${shellQuote(path)}`
    )
  }
}

function shellQuote(path: string): string {
  return `'${path.replaceAll("'", `'\\''`)}'`
}
