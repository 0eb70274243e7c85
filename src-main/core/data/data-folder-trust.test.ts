import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../cli/program'
import { capturedIo } from '../../cli/testing/captured-io'
import { openDatabase } from '../store/database'
import { dataPaths, ensureDataFolder } from './data-folder'
import { privateGroup, type TrustContext } from './data-folder-trust'

// As root (CI machines), a made-up user id stands for the user Sandlot runs as, and files are given to it (or to
// a third user) with chown, so ownership is really checked. Otherwise the files are the real user's, and a
// "foreign" file is seen from a made-up user's side.
const isRoot = process.getuid?.() === 0
const ME = isRoot ? 4242 : process.getuid!()
const OTHER = 4343
const asMe: TrustContext = { platform: 'linux', uid: ME }
/** Makes `path` another user's: really (as root), or by looking from another user's side. */
function foreign(path: string): TrustContext {
  if (!isRoot) return { platform: 'linux', uid: ME + 1 }
  chownSync(path, OTHER, OTHER)
  return asMe
}

/** A data folder owned by ME, right in the (sticky) temporary folder. */
function myDataFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'sandlot-trust-'))
  mkdirSync(join(root, 'templates'), { mode: 0o700 })
  if (isRoot) for (const path of [root, join(root, 'templates')]) chownSync(path, ME, ME)
  return root
}

function mine(path: string, content: string, mode: number): string {
  writeFileSync(path, content, { mode })
  chmodSync(path, mode)
  if (isRoot) chownSync(path, ME, ME)
  return path
}

function refusal(root: string, context = asMe): { message: string; hint: string } | undefined {
  try {
    ensureDataFolder(root, context)
    return undefined
  } catch (err) {
    return { message: (err as Error).message, hint: (err as { hint?: string }).hint ?? '' }
  }
}

describe('a data folder other users can write into is refused at start', () => {
  it('accepts a private folder, and makes what others could read private', () => {
    const root = myDataFolder()
    chmodSync(root, 0o755)
    mine(join(root, 'settings.json'), '{}', 0o644)
    expect(refusal(root)).toBeUndefined()
    expect(statSync(root).mode & 0o777).toBe(0o700)
    expect(statSync(join(root, 'settings.json')).mode & 0o777).toBe(0o600)
  })

  it('refuses a world-writable data folder, saying how to fix it', () => {
    const root = myDataFolder()
    chmodSync(root, 0o777)
    expect(refusal(root)).toEqual({
      message: expect.stringContaining(`${root} is writable by every user (mode 0777)`),
      hint: `Make it writable by you only: chmod -R go-w '${root}'`
    })
  })

  it('refuses a group-writable settings.json (another user could point engine.host at their endpoint)', () => {
    const root = myDataFolder()
    const settings = mine(join(root, 'settings.json'), JSON.stringify({ engine: { host: 'tcp://203.0.113.9:2375' } }), 0o664)
    expect(refusal(root)).toEqual({ message: expect.stringContaining(`${settings} is writable by its group (mode 0664)`), hint: `Make it writable by you only: chmod go-w '${settings}'` })
  })

  it('refuses an api-token or a settings.json owned by another user, saying how to take it back', () => {
    const root = myDataFolder()
    const token = mine(join(root, 'api-token'), `${'a'.repeat(64)}\n`, 0o600)
    const seenBy = foreign(token)
    const refused = isRoot ? token : root
    expect(refusal(root, seenBy)).toEqual({
      message: expect.stringContaining(`${refused} belongs to another user (uid ${isRoot ? OTHER : ME})`),
      hint: expect.stringContaining(`sudo chown ${isRoot ? '' : '-R '}"$(id -u)" '${refused}'`)
    })
  })

  it('refuses a data folder owned by another user', () => {
    const root = myDataFolder()
    expect(refusal(root, foreign(root))?.message).toMatch(new RegExp(`^${root} belongs to another user`))
  })

  it('refuses a planted template others can reach, but not files hidden in a folder only its owner can enter', () => {
    const root = myDataFolder()
    const hidden = join(root, 'templates', 'private')
    mkdirSync(hidden, { mode: 0o700 })
    if (isRoot) chownSync(hidden, ME, ME)
    mine(join(hidden, 'server.js'), '', 0o666)
    expect(refusal(root)).toBeUndefined()

    const open = join(root, 'templates', 'open')
    mkdirSync(open, { mode: 0o755 })
    chmodSync(open, 0o755)
    if (isRoot) chownSync(open, ME, ME)
    const planted = mine(join(open, 'template.json'), '{}', 0o646)
    chmodSync(join(root, 'templates'), 0o711)
    expect(refusal(root)?.message).toContain(`${planted} is writable by every user`)
  })

  it('refuses a data folder inside a folder others can write (they could replace it), but not inside a sticky one', () => {
    const parent = mkdtempSync(join(tmpdir(), 'sandlot-trust-'))
    chmodSync(parent, 0o777)
    const root = join(parent, 'Sandlot')
    mkdirSync(root, { mode: 0o700 })
    if (isRoot) for (const path of [parent, root]) chownSync(path, ME, ME)
    expect(refusal(root)).toEqual({ message: expect.stringContaining(`${parent} is writable by every user`), hint: `Make it writable by you only: chmod go-w '${parent}'` })
    chmodSync(parent, 0o1777)
    expect(refusal(root)).toBeUndefined()
  })

  it("accepts group-writable files of the user's private group (umask 002 on Debian and Ubuntu), and only those", () => {
    const root = myDataFolder()
    const settings = mine(join(root, 'settings.json'), '{}', 0o664)
    if (isRoot) chownSync(settings, ME, ME)
    const gid = statSync(settings).gid
    expect(refusal(root, { ...asMe, privateGid: gid + 1 })?.message).toContain('writable by its group')
    expect(refusal(root, { ...asMe, privateGid: gid })).toBeUndefined()
    const groups = join(root, 'group')
    writeFileSync(groups, `staff:x:50:alice,bob\nalice:x:1000:\nbob:x:1001:bob\nshared:x:1002:carol,dave\n`)
    expect(privateGroup('alice', 1000, groups)).toBe(1000)
    expect(privateGroup('bob', 1001, groups)).toBe(1001)
    expect(privateGroup('alice', 50, groups)).toBeUndefined()
    expect(privateGroup('carol', 1002, groups)).toBeUndefined()
  })

  it('skips modes and owners on Windows, where they mean nothing', () => {
    const root = myDataFolder()
    chmodSync(root, 0o777)
    expect(refusal(root, { platform: 'win32', uid: ME })).toBeUndefined()
  })
})

describe('what the data folder holds is owner-only', () => {
  it('creates sandlot.db and its -wal and -shm files 0600', () => {
    const paths = ensureDataFolder(join(mkdtempSync(join(tmpdir(), 'sandlot-private-')), 'home'))
    const database = openDatabase({ file: paths.database, backupsDir: paths.backups })
    try {
      database.sqlite.prepare('CREATE TABLE IF NOT EXISTS t (x)').run()
      const files = readdirSync(paths.root).filter((name) => name.startsWith('sandlot.db'))
      expect(files.sort()).toEqual(['sandlot.db', 'sandlot.db-shm', 'sandlot.db-wal'])
      for (const name of files) expect([name, statSync(join(paths.root, name)).mode & 0o777]).toEqual([name, 0o600])
      expect(statSync(paths.root).mode & 0o777).toBe(0o700)
    } finally {
      database.close()
    }
  })

  it('the CLI refuses to start on a world-writable data folder, saying what to run', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'sandlot-private-')), 'home')
    mkdirSync(home)
    chmodSync(home, 0o777)
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ engine: { host: 'tcp://203.0.113.9:2375' } }))
    const io = capturedIo({ SANDLOT_HOME: home })
    expect(await runCli(['ls'], io)).toBe(1)
    expect(io.err()).toContain(`${home} is writable by every user`)
    expect(io.err()).toContain(`Hint: Make it writable by you only: chmod -R go-w '${home}'`)
    expect(dataPaths(home).root).toBe(home)
  })
})
