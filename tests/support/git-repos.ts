import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { freePort } from './http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Real repositories on this machine for the git source tests: made with git, served by `git daemon`. */

const IDENTITY = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.test', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.test' }

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...IDENTITY }, encoding: 'utf8' })
}

/**
 * A bare repository `<base>/<name>.git` holding a small Node app: on `main` a server that answers "main" on
 * PORT (no port declared anywhere but template.json), on `feature` one that answers "feature".
 */
export function makeAppRepository(base: string, name: string): string {
  const work = mkdtempSync(join(tmpdir(), 'sandlot-repo-'))
  const server = (answer: string): string =>
    `require('http').createServer((q, s) => s.end(${JSON.stringify(answer)} + ' ' + (process.env.GREETING || '') + ' PORT=' + process.env.PORT)).listen(Number(process.env.PORT), '0.0.0.0', () => console.log('listening'))\n`
  git(['init', '-q', '-b', 'main'], work)
  writeFileSync(join(work, 'template.json'), JSON.stringify({ id: name, name, start: 'node server.js', port: 4100, readyPattern: 'listening' }))
  writeFileSync(join(work, 'server.js'), server('main'))
  git(['add', '.'], work)
  git(['commit', '-q', '-m', 'main'], work)
  git(['checkout', '-q', '-b', 'feature'], work)
  writeFileSync(join(work, 'server.js'), server('feature'))
  git(['commit', '-q', '-am', 'feature'], work)
  git(['checkout', '-q', 'main'], work)
  mkdirSync(base, { recursive: true })
  const bare = join(base, `${name}.git`)
  git(['clone', '-q', '--bare', work, bare], base)
  return bare
}

/** A commit on top of `branch` of a bare repository (to see a fetch bring it). */
export function pushCommit(bare: string, branch: string, file: string, content: string): void {
  const work = mkdtempSync(join(tmpdir(), 'sandlot-push-'))
  git(['clone', '-q', '--branch', branch, bare, work], tmpdir())
  writeFileSync(join(work, file), content)
  git(['add', file], work)
  git(['commit', '-q', '-m', `add ${file}`], work)
  git(['push', '-q', 'origin', branch], work)
}

/** `git daemon` serving every repository under `base` on loopback: `git://127.0.0.1:<port>/<name>.git`. */
export async function startGitDaemon(base: string): Promise<{ url: (name: string) => string; stop: () => void }> {
  const port = await freePort()
  const daemon: ChildProcess = spawn('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${base}`, '--listen=127.0.0.1', `--port=${port}`, base], { stdio: 'ignore' })
  const url = (name: string): string => `git://127.0.0.1:${port}/${name}.git`
  // Ready once it answers.
  for (let attempt = 0; ; attempt++) {
    try {
      execFileSync('git', ['ls-remote', '--', `git://127.0.0.1:${port}/`], { stdio: ['ignore', 'ignore', 'pipe'] })
      break
    } catch (err) {
      // "not a repository" still means it answered; a refused connection is status 128 too, so look at stderr.
      const stderr = String((err as { stderr?: Buffer }).stderr ?? '')
      if (attempt > 100) throw new Error(`git daemon did not start on port ${port}`)
      if (stderr !== '' && !/Connection refused|unable to connect/i.test(stderr)) break
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  return { url, stop: () => daemon.kill() }
}

/** A `git` that records each call's arguments (one line each) before running the real one. */
export function countingGit(dir: string): { git: string; calls: () => string[] } {
  const log = join(dir, 'git-calls.log')
  const path = join(dir, 'git')
  writeFileSync(log, '')
  writeFileSync(path, `#!/bin/sh\necho "$*" >> '${log}'\nexec git "$@"\n`)
  chmodSync(path, 0o755)
  return { git: path, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) }
}

/**
 * `git http-backend` behind basic auth on loopback, as a private repository on a forge:
 * `http://127.0.0.1:<port>/<name>.git`, readable only with `user` and `password`.
 */
export async function startPrivateGitServer(base: string, user: string, password: string): Promise<{ url: (name: string) => string; stop: () => void }> {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
  const server = createHttpServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' }).end('unauthorized')
      return
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: base,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: user,
        REMOTE_ADDR: '127.0.0.1'
      },
      stdio: ['pipe', 'pipe', 'ignore']
    })
    req.pipe(cgi.stdin)
    // CGI output: headers, a blank line, the body.
    let head = Buffer.alloc(0)
    let headersDone = false
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk)
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) return
      headersDone = true
      let status = 200
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':')
        const name = line.slice(0, colon).trim()
        const value = line.slice(colon + 1).trim()
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10)
        else res.setHeader(name, value)
      }
      res.writeHead(status)
      res.write(head.subarray(end + 4))
    })
    cgi.stdout.on('end', () => res.end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: (name) => `http://127.0.0.1:${port}/${name}.git`, stop: () => server.close() }
}
