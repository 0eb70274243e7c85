/**
 * (Plain code without Node imports: the contract, and so the window, use it.)
 * Repository addresses a workspace may be made from, checked before git ever sees them: git reads some
 * "URLs" as commands (`ext::sh -c …`) or as options (`--upload-pack=…`), so only plain transports pass.
 */
export interface GitUrl {
  /** As git is given it (credentials included, if the user put them in the URL). */
  url: string
  /** The same without any user or password: what is shown, stored and set as the checkout's `origin`. */
  safe: string
  /** Scheme, host and path in one spelling, so `HTTPS://Host/a.git` and `https://host/a/` share a cache. */
  normalized: string
}

const SCHEMES = new Set(['https:', 'http:', 'ssh:', 'git:', 'file:'])
/** `git@github.com:owner/repo.git`, as ssh reads it. */
const SCP_LIKE = /^([A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):(?!\/\/)([^\s]+)$/
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The URL understood, or why it is refused (a sentence that ends without a period). */
export function parseGitUrl(input: string): GitUrl | { problem: string } {
  const url = input.trim()
  if (url === '') return { problem: 'is empty' }
  if (url.length > 2048) return { problem: 'is longer than 2048 characters' }
  if (url.startsWith('-')) return { problem: 'starts with a dash, which git would read as an option' }
  // git hands `<transport>::<address>` to a remote helper (only as a prefix: `[::1]` is an IPv6 host).
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(url)) return { problem: 'uses a git remote helper (`name::…`, such as ext::), which could run commands' }
  if (/[\s\x00-\x1f\x7f]/.test(url)) return { problem: 'contains spaces or control characters' }
  const scp = SCP_LIKE.exec(url)
  if (scp && !/^[A-Za-z]$/.test(scp[2]!)) {
    const [, user = '', host, path] = scp
    const clean = `${user}${host}:${path}`
    return { url, safe: clean, normalized: `ssh://${host!.toLowerCase()}/${trimRepoPath(path!)}` }
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { problem: 'is not a repository URL: use https://host/owner/repo.git, ssh://git@host/owner/repo.git, git@host:owner/repo.git or git://host/repo' }
  }
  if (!SCHEMES.has(parsed.protocol)) return { problem: `uses ${parsed.protocol.replace(/:$/, '')}://, which is not one of https, ssh, git or file` }
  // Plain http sends any password in the clear: only for a server on this machine (a test, a local mirror).
  if (parsed.protocol === 'http:' && !LOOPBACK.has(parsed.hostname)) return { problem: 'uses http:// to another machine: use https://' }
  if (parsed.protocol !== 'file:' && parsed.hostname === '') return { problem: 'has no host name' }
  // The user name of ssh (`git@`) is not a secret; a password or token in an https URL is, and stays out.
  const keepUser = parsed.protocol === 'ssh:' && parsed.password === ''
  const safe = new URL(url)
  if (!keepUser) safe.username = ''
  safe.password = ''
  return { url, safe: safe.href, normalized: `${parsed.protocol}//${parsed.host.toLowerCase()}/${trimRepoPath(decodeURIComponent(parsed.pathname))}` }
}

function trimRepoPath(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '')
}

/** Branch and tag names as git allows them (`git check-ref-format`), and nothing option-like. */
export function branchProblem(branch: string): string | undefined {
  if (branch === '' || branch.length > 255) return 'must be 1 to 255 characters'
  if (branch.startsWith('-')) return 'must not start with a dash'
  if (/[\s\x00-\x1f\x7f~^:?*[\\]/.test(branch) || branch.includes('..') || branch.includes('@{') || branch.includes('//')) {
    return 'is not a valid branch name (no spaces, ~ ^ : ? * [ \\, .. or @{)'
  }
  if (branch.startsWith('/') || branch.endsWith('/') || branch.endsWith('.') || branch.endsWith('.lock') || branch === '@') return 'is not a valid branch name'
  return undefined
}
