import { branchProblem, parseGitUrl } from '../../src-main/core/sources/git-url'

/** What is wrong with a typed repository URL and branch, as the create would say it; nothing while still empty. */
export function repositoryProblem(url: string, branch: string): string | undefined {
  if (url.trim() === '') return undefined
  const parsed = parseGitUrl(url)
  if ('problem' in parsed) return `The URL ${parsed.problem}.`
  const problem = branch === '' ? undefined : branchProblem(branch)
  return problem === undefined ? undefined : `The branch ${problem}.`
}

/** A repository's last path part as the start of a workspace name: `https://h/acme/My_App.git` → `my-app`. */
export function repositorySlug(url: string): string {
  const parsed = parseGitUrl(url)
  return slugOf('problem' in parsed ? '' : (parsed.normalized.split('/').pop() ?? ''), 'repo')
}

/** A name part as a workspace name's start: lowercase letters, digits and dashes, `fallback` when nothing is left. */
export function slugOf(text: string, fallback: string): string {
  const slug = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50)
  return slug === '' ? fallback : slug
}

/** The URL as shown: without any password or token typed into it. */
export function repositoryLabel(url: string): string {
  const parsed = parseGitUrl(url)
  return 'problem' in parsed ? url : parsed.safe
}
