import { describe, expect, it } from 'vitest'
import { repositoryLabel, repositoryProblem, repositorySlug } from './repository-model'

describe('a repository typed into the New workspace view', () => {
  it('is checked as the create checks it', () => {
    expect(repositoryProblem('', '')).toBeUndefined()
    expect(repositoryProblem('https://github.com/acme/app.git', 'dev')).toBeUndefined()
    expect(repositoryProblem('ext::sh -c id', '')).toMatch(/^The URL uses a git remote helper/)
    expect(repositoryProblem('ftp://h/r', '')).toBe('The URL uses ftp://, which is not one of https, ssh, git or file.')
    expect(repositoryProblem('https://github.com/acme/app', '--upload-pack=x')).toBe('The branch must not start with a dash.')
  })

  it('names the workspace after the repository and never shows a token', () => {
    expect(repositorySlug('https://github.com/acme/My_App.git')).toBe('my-app')
    expect(repositorySlug('git@github.com:acme/site.git')).toBe('site')
    expect(repositorySlug('not a url')).toBe('repo')
    expect(repositoryLabel('https://x:ghp_secret@github.com/acme/app.git')).toBe('https://github.com/acme/app.git')
  })
})
