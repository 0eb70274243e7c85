import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SandlotError } from '../sandlot-error'
import { parseGitUrl, type GitUrl } from './git-url'

/**
 * A repository checked out on the host with the user's own git, so their credential helpers, SSH agent and
 * config apply. Each repository is kept once per data folder as a bare clone (`<cache>/<hash>.git`): the
 * first workspace clones it, later ones fetch; the checkout is a local clone of it in a temporary folder.
 * No credential reaches the checkout: its `origin` is the URL without user or password.
 */
export interface GitCheckout {
  /** The working tree, `.git` included. */
  dir: string
  /** True when the repository was already in the cache (a fetch, not a clone). */
  cached: boolean
  commit: string
  /** The URL without credentials. */
  url: string
  /** Removes the temporary checkout. */
  remove(): void
}

export interface GitCheckoutOptions {
  /** `<data>/git-cache`. */
  cacheDir: string
  /** The git program (tests wrap it to count what runs). */
  git?: string
  timeoutMs?: number
  onProgress?: (message: string) => void
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000
const MAX_STDERR = 64 * 1024

export async function checkoutRepository(source: { url: string; branch?: string }, options: GitCheckoutOptions): Promise<GitCheckout> {
  const parsed = parseGitUrl(source.url)
  if ('problem' in parsed) throw new SandlotError('BAD_REQUEST', `The repository URL ${parsed.problem}.`, 'Give an https://, ssh://, git:// or git@host:path address.')
  const run = (args: string[]): Promise<string> => runGit(options.git ?? 'git', args, parsed, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  mkdirSync(options.cacheDir, { recursive: true, mode: 0o700 })
  sweepAbandonedClones(options.cacheDir)
  const cache = join(options.cacheDir, `${gitCacheKey(parsed)}.git`)
  const cached = existsSync(cache)
  if (cached) {
    options.onProgress?.(`Fetching ${parsed.safe} into the cache`)
    // The URL is given each time, so no credential is ever kept in the cache's config.
    await run(['-C', cache, 'fetch', '--prune', '--quiet', '--', parsed.url, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'])
  } else {
    options.onProgress?.(`Cloning ${parsed.safe} into the cache`)
    await cloneIntoCache(run, parsed, options.cacheDir, cache)
  }
  if (source.branch !== undefined) await requireBranch(run, cache, parsed, source.branch)

  const work = mkdtempSync(join(tmpdir(), 'sandlot-git-'))
  try {
    const dir = join(work, repoFolderName(parsed))
    options.onProgress?.(`Checking out ${source.branch ?? 'the default branch'}`)
    // --no-hardlinks: the checkout's objects are its own files (the archive refuses hard links).
    await run(['clone', '--quiet', '--no-hardlinks', ...(source.branch === undefined ? [] : ['--branch', source.branch]), '--', cache, dir])
    await run(['-C', dir, 'remote', 'set-url', 'origin', '--', parsed.safe])
    const commit = (await run(['-C', dir, 'rev-parse', 'HEAD'])).trim()
    return { dir, cached, commit, url: parsed.safe, remove: () => rmSync(work, { recursive: true, force: true }) }
  } catch (err) {
    rmSync(work, { recursive: true, force: true })
    throw err
  }
}

/** The cache folder's name for a repository: one per normalized URL, never anything the URL could steer. */
export function gitCacheKey(url: GitUrl): string {
  return createHash('sha256').update(url.normalized).digest('hex').slice(0, 24)
}

/** A first clone cut short (Ctrl+C, a crash) leaves its temporary folder; one an hour old is no one's any more. */
const ABANDONED_AFTER_MS = 60 * 60_000

function sweepAbandonedClones(cacheDir: string): void {
  for (const name of readdirSync(cacheDir)) {
    if (!name.startsWith('.clone-')) continue
    const path = join(cacheDir, name)
    const stats = lstatSync(path, { throwIfNoEntry: false })
    if (stats?.isDirectory() && Date.now() - stats.mtimeMs > ABANDONED_AFTER_MS) rmSync(path, { recursive: true, force: true })
  }
}

/** A first clone goes to a temporary name and is renamed into place: a failed one leaves nothing behind. */
async function cloneIntoCache(run: (args: string[]) => Promise<string>, url: GitUrl, cacheDir: string, cache: string): Promise<void> {
  const temp = mkdtempSync(join(cacheDir, '.clone-'))
  try {
    const bare = join(temp, 'repo.git')
    await run(['clone', '--bare', '--quiet', '--', url.url, bare])
    await run(['-C', bare, 'remote', 'set-url', 'origin', '--', url.safe])
    try {
      renameSync(bare, cache)
    } catch (err) {
      // Another process cloned the same repository meanwhile: theirs serves as well.
      if (!existsSync(cache)) throw err
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

async function requireBranch(run: (args: string[]) => Promise<string>, cache: string, url: GitUrl, branch: string): Promise<void> {
  const refs = (await run(['-C', cache, 'for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/tags'])).split('\n').filter(Boolean)
  if (refs.includes(`refs/heads/${branch}`) || refs.includes(`refs/tags/${branch}`)) return
  const branches = refs.filter((r) => r.startsWith('refs/heads/')).map((r) => r.slice('refs/heads/'.length))
  throw new SandlotError(
    'NOT_FOUND',
    `${url.safe} has no branch or tag named "${branch}".`,
    branches.length === 0 ? 'The repository has no branches yet.' : `Its branches: ${branches.slice(0, 10).join(', ')}${branches.length > 10 ? ', …' : ''}.`
  )
}

/** The checkout's folder is named after the repository, so an inferred template id reads as the project. */
function repoFolderName(url: GitUrl): string {
  const last = url.normalized.split('/').filter(Boolean).pop() ?? ''
  const name = last.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[.-]+/, '')
  return name === '' ? 'repo' : name.slice(0, 63)
}

/**
 * The user's environment, so their credential helpers and SSH agent work, but never waiting on a prompt that
 * no one sees: git, credential managers and ssh answer "no credential" instead, and messages are in English
 * so they can be told apart.
 */
function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GCM_INTERACTIVE: 'never',
    GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
    LC_ALL: 'C'
  }
}

function runGit(git: string, args: string[], url: GitUrl, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(git, args, { env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-MAX_STDERR)))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(
        err.code === 'ENOENT'
          ? new SandlotError('GIT_FAILED', 'git is not installed on this machine (or not on the PATH).', 'Install git (https://git-scm.com/downloads) and try again.')
          : err
      )
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) return resolve(stdout)
      if (signal === 'SIGKILL') return reject(new SandlotError('HOST_UNREACHABLE', `git did not finish with ${url.safe} within ${Math.round(timeoutMs / 60_000)} minutes.`, 'Check the network and the address, and try again.'))
      reject(gitFailure(scrub(stderr, url), url))
    })
  })
}

/** git may quote the URL it was given: whatever credentials were in it never reach a message. */
export function scrub(text: string, url: GitUrl): string {
  return text.split(url.url).join(url.safe).replace(/(\/\/)[^/@\s]+@/g, '$1')
}

/** git's words (LC_ALL=C) as one of the errors a user can act on. */
export function gitFailure(stderr: string, url: GitUrl): SandlotError {
  const said = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-5)
    .join('\n')
  const detail = said === '' ? '' : `\ngit said: ${said}`
  if (/could not read (Username|Password)|terminal prompts disabled|Authentication failed|Permission denied \(publickey|HTTP Basic: Access denied|returned error: 40[13]|Host key verification failed/i.test(stderr)) {
    return new SandlotError(
      'AUTH_FAILED',
      `git could not sign in to ${url.safe}: it has no credential for it, or the credential was refused.${detail}`,
      'Set up git on this machine to reach it (a credential helper or `gh auth login` for https, a key in your SSH agent for ssh), check that your account can read the repository, and try again.'
    )
  }
  if (/Could not resolve host|Could not resolve hostname|Connection refused|Connection timed out|Network is unreachable|No route to host|unable to connect|Operation timed out|Connection reset/i.test(stderr)) {
    return new SandlotError('HOST_UNREACHABLE', `The host of ${url.safe} could not be reached.${detail}`, 'Check the address and your network (VPN, proxy), and try again.')
  }
  if (/not found|does not appear to be a git repository|does not exist|not exported|returned error: 404|No such file or directory/i.test(stderr)) {
    return new SandlotError('NOT_FOUND', `There is no repository at ${url.safe}.${detail}`, 'Check the address (copy it from the repository\'s Clone button).')
  }
  return new SandlotError('GIT_FAILED', `git failed with ${url.safe}.${detail}`, 'Check the address and that `git clone` of it works in a terminal.')
}
