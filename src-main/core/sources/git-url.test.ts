import { describe, expect, it } from 'vitest'
import { CreateWorkspaceParams } from '../contract'
import { gitCacheKey } from './git-checkout'
import { branchProblem, parseGitUrl, type GitUrl } from './git-url'

function ok(url: string): GitUrl {
  const parsed = parseGitUrl(url)
  if ('problem' in parsed) throw new Error(`${url}: ${parsed.problem}`)
  return parsed
}

describe('repository URLs', () => {
  it('takes https, ssh, git, file and scp-like addresses', () => {
    expect(ok('https://github.com/owner/repo.git').normalized).toBe('https://github.com/owner/repo')
    expect(ok('ssh://git@example.com:2222/owner/repo').safe).toBe('ssh://git@example.com:2222/owner/repo')
    expect(ok('git://127.0.0.1:9418/repo.git').normalized).toBe('git://127.0.0.1:9418/repo')
    expect(ok('file:///srv/git/repo.git').normalized).toBe('file:///srv/git/repo')
    expect(ok('git@github.com:owner/repo.git')).toMatchObject({ safe: 'git@github.com:owner/repo.git', normalized: 'ssh://github.com/owner/repo' })
  })

  it('keeps passwords and tokens out of the safe form', () => {
    expect(ok('https://user:ghp_secret@github.com/owner/repo.git').safe).toBe('https://github.com/owner/repo.git')
    expect(ok('https://ghp_secret@github.com/owner/repo.git').safe).toBe('https://github.com/owner/repo.git')
    expect(ok('ssh://git:pw@example.com/repo').safe).toBe('ssh://example.com/repo')
  })

  it('gives one cache key to spellings of the same repository', () => {
    const key = gitCacheKey(ok('https://github.com/owner/repo.git'))
    expect(gitCacheKey(ok('HTTPS://GitHub.com/owner/repo/'))).toBe(key)
    expect(gitCacheKey(ok('https://token@github.com/owner/repo'))).toBe(key)
    expect(gitCacheKey(ok('https://github.com/owner/other'))).not.toBe(key)
    expect(key).toMatch(/^[0-9a-f]{24}$/)
  })

  it.each([
    ['ext::sh -c touch% /tmp/pwned', /remote helper/],
    ['ext::sh', /remote helper/],
    ['fd::17', /remote helper/],
    ['my-helper+x.y::https://example.com/r', /remote helper/],
    ['--upload-pack=touch /tmp/x', /dash/],
    ['-oProxyCommand=x', /dash/],
    ['ftp://example.com/repo', /not one of/],
    ['http://example.com/repo', /https/],
    ['https://example.com/re\npo', /control/],
    ['', /empty/],
    ['not a url', /spaces/],
    ['just-a-word', /not a repository URL/],
    ['C:/Users/me/repo', /not one of|not a repository/]
  ])('refuses %j', (url, problem) => {
    const parsed = parseGitUrl(url)
    expect('problem' in parsed && parsed.problem).toMatch(problem)
  })

  it('allows plain http only to this machine', () => {
    expect(ok('http://127.0.0.1:8080/private.git').safe).toBe('http://127.0.0.1:8080/private.git')
    expect(ok('http://localhost/x.git').normalized).toBe('http://localhost/x')
    expect(ok('http://[::1]:8080/x.git').normalized).toBe('http://[::1]:8080/x')
    expect('problem' in parseGitUrl('http://[2001:db8::1]/x.git')).toBe(true)
  })

  it('takes IPv6 hosts', () => {
    expect(ok('https://[2001:db8::1]/owner/repo.git').normalized).toBe('https://[2001:db8::1]/owner/repo')
    expect(ok('ssh://git@[::1]:2222/repo').safe).toBe('ssh://git@[::1]:2222/repo')
  })
})

describe('branch names', () => {
  it.each(['main', 'feature/x', 'v1.2.3', 'release-2026'])('takes %s', (branch) => expect(branchProblem(branch)).toBeUndefined())
  it.each(['', '-x', '--upload-pack=x', 'a b', 'a..b', 'x.lock', 'a~1', 'a:b', '/x', 'x/', 'a@{1}'])('refuses %j', (branch) => expect(branchProblem(branch)).toBeDefined())
})

describe('create parameters', () => {
  it('take exactly one source', () => {
    expect(CreateWorkspaceParams.safeParse({ template: 'shell' }).success).toBe(true)
    expect(CreateWorkspaceParams.safeParse({ git: { url: 'https://github.com/o/r', branch: 'dev' } }).success).toBe(true)
    expect(CreateWorkspaceParams.safeParse({ folder: '/tmp/app', env: { A: '1' }, limits: { memoryMb: 512, cpus: 1 }, start: 'node .', port: 3000 }).success).toBe(true)
    expect(CreateWorkspaceParams.safeParse({}).error?.issues[0]?.message).toMatch(/exactly one/)
    expect(CreateWorkspaceParams.safeParse({ template: 'shell', folder: '/tmp/app' }).error?.issues[0]?.message).toMatch(/exactly one/)
  })

  it('check the URL, branch, folder and env', () => {
    expect(CreateWorkspaceParams.safeParse({ git: { url: 'ext::sh -c id' } }).error?.issues[0]?.message).toMatch(/^the repository URL/)
    expect(CreateWorkspaceParams.safeParse({ git: { url: 'https://h/r', branch: '--upload-pack=x' } }).error?.issues[0]?.message).toMatch(/^the branch/)
    expect(CreateWorkspaceParams.safeParse({ folder: 'relative/path' }).success).toBe(false)
    expect(CreateWorkspaceParams.safeParse({ template: 'shell', env: { '1BAD': 'x' } }).success).toBe(false)
    expect(CreateWorkspaceParams.safeParse({ template: 'shell', env: { OK: 'a\0b' } }).success).toBe(false)
    expect(CreateWorkspaceParams.safeParse({ template: 'shell', limits: { pids: 100 } }).success).toBe(false)
  })
})
