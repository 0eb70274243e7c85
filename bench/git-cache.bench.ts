import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkoutRepository } from '../src-main/core/sources/git-checkout'
import { startGitDaemon } from '../tests/support/git-repos'
import { pairedRow, type Benchmark } from './harness'

/** Files of random (incompressible) content in the served repository: enough for a clone to move real data. */
const FILES = 400
const FILE_BYTES = 32 * 1024
const IDENTITY = { GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.test', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.test' }

/**
 * The clone phase of `sandlot create --git` (issue 15): per round, a fresh cache; the first workspace's
 * checkout (a bare clone from `git daemon` on loopback, then the local clone) against the second's of the same
 * repository (a fetch that brings nothing new, then the local clone). Loopback hides the network a real forge
 * adds, so the ratio here understates what the cache saves.
 */
export const gitCache: Benchmark = {
  name: 'git-cache',
  description: `the checkout for a second workspace of the same repository (cache fetch + local clone) against the first (clone), ${FILES} files of ${FILE_BYTES / 1024} KiB over git daemon on loopback`,
  async run(ctx) {
    const root = mkdtempSync(join(tmpdir(), 'sandlot-bench-git-'))
    const served = join(root, 'served')
    const work = join(root, 'work')
    mkdirSync(join(work, 'files'), { recursive: true })
    const git = (args: string[], cwd: string): void => void execFileSync('git', args, { cwd, env: { ...process.env, ...IDENTITY }, stdio: 'ignore' })
    git(['init', '-q', '-b', 'main'], work)
    for (let i = 0; i < FILES; i++) writeFileSync(join(work, 'files', `f${i}.bin`), randomBytes(FILE_BYTES))
    git(['add', '.'], work)
    git(['commit', '-q', '-m', 'files'], work)
    mkdirSync(served)
    git(['clone', '-q', '--bare', work, join(served, 'app.git')], root)
    const daemon = await startGitDaemon(served)
    const pairs: { value: number; baseline: number }[] = []
    try {
      for (let round = 0; round < ctx.rounds; round++) {
        const cacheDir = join(root, `cache-${round}`)
        const timed = async (): Promise<number> => {
          const started = performance.now()
          const checkout = await checkoutRepository({ url: daemon.url('app') }, { cacheDir })
          const ms = performance.now() - started
          checkout.remove()
          return ms
        }
        const first = await timed()
        const second = await timed()
        ctx.log(`git-cache round ${round + 1}: first ${first.toFixed(0)} ms, second ${second.toFixed(0)} ms`)
        pairs.push({ value: second, baseline: first })
      }
    } finally {
      daemon.stop()
      rmSync(root, { recursive: true, force: true })
    }
    return {
      rows: [pairedRow({ bench: 'git-cache', metric: 'checkout of the second workspace', unit: 'ms', baselineName: 'first workspace (clone)' }, pairs)],
      notes: ['git-cache: both checkouts include the local clone of the cache into a temporary folder; the second only fetches (nothing new) before it.']
    }
  }
}
