import { describe, expect, it } from 'vitest'
import { gitFailure, scrub } from './git-checkout'
import { parseGitUrl, type GitUrl } from './git-url'

const url = parseGitUrl('https://bob:ghp_tok@github.com/owner/repo.git') as GitUrl

describe("git's failures as errors a user can act on", () => {
  it.each([
    ["fatal: could not read Username for 'https://github.com': terminal prompts disabled", 'AUTH_FAILED'],
    ['remote: HTTP Basic: Access denied\nfatal: Authentication failed for', 'AUTH_FAILED'],
    ['git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.', 'AUTH_FAILED'],
    ["fatal: unable to access 'https://github.com/owner/repo.git/': Could not resolve host: github.com", 'HOST_UNREACHABLE'],
    ['ssh: connect to host example.com port 22: Connection refused', 'HOST_UNREACHABLE'],
    ["remote: Repository not found.\nfatal: repository 'https://github.com/owner/repo.git/' not found", 'NOT_FOUND'],
    ['fatal: remote error: access denied or repository not exported: /x.git', 'NOT_FOUND'],
    ['fatal: the remote end hung up unexpectedly', 'GIT_FAILED']
  ])('%s → %s', (stderr, code) => {
    const err = gitFailure(stderr, url)
    expect(err.code).toBe(code)
    expect(err.message).toContain('https://github.com/owner/repo.git')
  })

  it('never quotes a credential', () => {
    const said = scrub("fatal: unable to access 'https://bob:ghp_tok@github.com/owner/repo.git/': 500, also https://x:y@other.host/", url)
    expect(said).not.toMatch(/ghp_tok|x:y/)
    expect(said).toContain('https://github.com/owner/repo.git')
  })
})
