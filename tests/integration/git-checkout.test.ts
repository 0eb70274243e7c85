import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SandlotError } from '../../src-main/core/sandlot-error'
import { checkoutRepository, type GitCheckout } from '../../src-main/core/sources/git-checkout'
import { freePort } from '../support/http'
import { countingGit, makeAppRepository, pushCommit, startGitDaemon, startPrivateGitServer } from '../support/git-repos'

// Real git against repositories served on loopback: no engine needed, but real processes and sockets.
let root: string
let served: string
let daemon: Awaited<ReturnType<typeof startGitDaemon>>
let privateServer: Awaited<ReturnType<typeof startPrivateGitServer>>
const checkouts: GitCheckout[] = []

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sandlot-git-it-'))
  served = join(root, 'served')
  makeAppRepository(served, 'app')
  daemon = await startGitDaemon(served)
  privateServer = await startPrivateGitServer(served, 'alice', 'tok-3f9a')
})

afterAll(() => {
  daemon?.stop()
  privateServer?.stop()
  for (const checkout of checkouts) checkout.remove()
  rmSync(root, { recursive: true, force: true })
})

async function checkout(url: string, branch: string | undefined, cacheDir: string, git?: string): Promise<GitCheckout> {
  const result = await checkoutRepository({ url, ...(branch ? { branch } : {}) }, { cacheDir, ...(git ? { git } : {}) })
  checkouts.push(result)
  return result
}

async function refusal(work: Promise<unknown>): Promise<SandlotError> {
  const err = await work.then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(SandlotError)
  return err as SandlotError
}

function ourTempFolders(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('sandlot-git-') && !root.endsWith(name))
}

describe('git checkouts through the cache', () => {
  it('clones a branch once, then fetches: the second checkout sees a new commit without cloning again', async () => {
    const cacheDir = join(root, 'cache-1')
    const counted = countingGit(mkdtempSync(join(root, 'bin-')))
    const first = await checkout(daemon.url('app'), 'feature', cacheDir, counted.git)
    expect(first.cached).toBe(false)
    expect(readFileSync(join(first.dir, 'server.js'), 'utf8')).toContain('"feature"')
    expect(existsSync(join(first.dir, '.git', 'HEAD'))).toBe(true)
    expect(execFileSync('git', ['-C', first.dir, 'remote', 'get-url', 'origin'], { encoding: 'utf8' }).trim()).toBe(daemon.url('app'))
    expect(execFileSync('git', ['-C', first.dir, 'branch', '--show-current'], { encoding: 'utf8' }).trim()).toBe('feature')

    pushCommit(join(served, 'app.git'), 'feature', 'NEW.md', 'new\n')
    // Another spelling of the same repository shares its cache.
    const second = await checkout(daemon.url('app').replace(/\.git$/, ''), 'feature', cacheDir, counted.git)
    expect(second.cached).toBe(true)
    expect(readFileSync(join(second.dir, 'NEW.md'), 'utf8')).toBe('new\n')
    const calls = counted.calls()
    expect(calls.filter((c) => c.startsWith('clone --bare'))).toHaveLength(1)
    expect(calls.filter((c) => / fetch /.test(` ${c} `))).toHaveLength(1)
    expect(readdirSync(cacheDir)).toHaveLength(1)

    second.remove()
    expect(existsSync(second.dir)).toBe(false)
  })

  it('checks out the default branch of a file:// repository, sweeping a first clone abandoned long ago but not a recent one', async () => {
    const cacheDir = join(root, 'cache-2')
    mkdirSync(join(cacheDir, '.clone-old'), { recursive: true })
    mkdirSync(join(cacheDir, '.clone-recent'))
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000)
    utimesSync(join(cacheDir, '.clone-old'), twoHoursAgo, twoHoursAgo)
    const result = await checkout(`file://${join(served, 'app.git')}`, undefined, cacheDir)
    expect(readdirSync(cacheDir).filter((n) => n.startsWith('.clone-'))).toEqual(['.clone-recent'])
    expect(readFileSync(join(result.dir, 'server.js'), 'utf8')).toContain('"main"')
    // Its own objects, no links into the cache: the archive refuses hard links.
    expect(execFileSync('find', [join(result.dir, '.git'), '-type', 'f', '-links', '+1'], { encoding: 'utf8' })).toBe('')
  })

  it('refuses a wrong URL, a wrong branch and an unreachable host, each in its own words, leaving nothing behind', async () => {
    const cacheDir = join(root, 'cache-3')
    const before = ourTempFolders()
    const missing = await refusal(checkout(daemon.url('nope'), undefined, cacheDir))
    expect(missing.code).toBe('NOT_FOUND')
    expect(missing.message).toMatch(/^There is no repository at git:\/\/127\.0\.0\.1:\d+\/nope\.git/)
    expect(readdirSync(cacheDir)).toEqual([])

    const branch = await refusal(checkout(daemon.url('app'), 'nope', cacheDir))
    expect(branch.code).toBe('NOT_FOUND')
    expect(branch.message).toMatch(/has no branch or tag named "nope"/)
    expect(branch.hint).toBe('Its branches: feature, main.')

    const closed = await freePort()
    const unreachable = await refusal(checkout(`git://127.0.0.1:${closed}/app.git`, undefined, cacheDir))
    expect(unreachable.code).toBe('HOST_UNREACHABLE')
    expect(unreachable.message).toMatch(/could not be reached/)

    const bad = await refusal(checkout('ext::sh -c id', undefined, cacheDir))
    expect(bad.code).toBe('BAD_REQUEST')
    // Only the cache of the one repository that exists stays; no temporary clone or checkout.
    expect(readdirSync(cacheDir).filter((n) => !n.endsWith('.git'))).toEqual([])
    expect(ourTempFolders()).toEqual(before)
  })

  it('reaches a private repository with credentials, refuses a missing or wrong one, and keeps them out of the checkout', async () => {
    const cacheDir = join(root, 'cache-4')
    const url = privateServer.url('app')
    const none = await refusal(checkout(url, undefined, cacheDir))
    expect(none.code).toBe('AUTH_FAILED')
    expect(none.message).toMatch(/could not sign in/)

    const wrong = await refusal(checkout(url.replace('http://', 'http://alice:wrong@'), undefined, cacheDir))
    expect(wrong.code).toBe('AUTH_FAILED')
    expect(`${wrong.message} ${wrong.hint}`).not.toContain('wrong@')

    const result = await checkout(url.replace('http://', 'http://alice:tok-3f9a@'), 'feature', cacheDir)
    expect(readFileSync(join(result.dir, 'server.js'), 'utf8')).toContain('"feature"')
    const grep = (dir: string): string => execFileSync('grep', ['-rl', 'tok-3f9a', dir, '--include=*'], { encoding: 'utf8' }).trim()
    expect(() => grep(result.dir)).toThrow()
    expect(() => grep(cacheDir)).toThrow()
  })
})
