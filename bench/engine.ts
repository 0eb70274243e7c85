import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type Dockerode from 'dockerode'
import { EngineConnection, resolveEngineEndpoint } from '../src-main/core/engine'
import type { EngineEndpoint, EngineServerInfo } from '../src-main/core/contract'

export const REPO = fileURLToPath(new URL('..', import.meta.url))
const OFFLINE_BASE = 'sandlot/base-offline:22-bookworm'

/** A failure the bench reports as such: what went wrong and what to do, no stack trace. */
export class BenchFailure extends Error {
  constructor(
    message: string,
    readonly hint?: string
  ) {
    super(message)
    this.name = 'BenchFailure'
  }
}

export interface Engine {
  docker: Dockerode
  endpoint: EngineEndpoint
  server: EngineServerInfo
  close(): void
}

/** The engine Sandlot would use (DOCKER_HOST, the Docker context, the platform socket), checked once. */
export async function connectEngine(): Promise<Engine> {
  const endpoint = resolveEngineEndpoint({ env: process.env, platform: process.platform, homedir: homedir() })
  const connection = new EngineConnection(endpoint)
  const status = await connection.check()
  if (status.state !== 'connected') {
    connection.close()
    throw new BenchFailure(status.message, status.hint)
  }
  return { docker: connection.docker, endpoint, server: status.server, close: () => connection.close() }
}

/**
 * The core image the benchmarks run: SANDLOT_BENCH_IMAGE when set, else whatever `sandlot image build`
 * says is current (a no-op when the engine already has the tag; a build, with progress on stderr,
 * when container/ or the base changed). The base: SANDLOT_BENCH_BASE, else the offline base when the
 * engine has it, else Sandlot's default (pulled). Without a registry, the offline base is built first.
 */
export async function ensureCoreImage(docker: Dockerode, log: (message: string) => void): Promise<string> {
  const given = process.env.SANDLOT_BENCH_IMAGE
  if (given) {
    if (!(await imageExists(docker, given))) throw new BenchFailure(`SANDLOT_BENCH_IMAGE=${given} is not on the engine.`, 'Unset it to let the bench build the core image.')
    return given
  }
  await ensureBuilt(log)
  const explicitBase = process.env.SANDLOT_BENCH_BASE
  const base = explicitBase ?? ((await imageExists(docker, OFFLINE_BASE)) ? OFFLINE_BASE : undefined)
  const first = await cliImageBuild(base, log)
  if ('tag' in first) return first.tag
  if (first.code === 'IMAGE_MISSING' && explicitBase === undefined && base === undefined) {
    log(`the default base image is not available (${first.message}); building the offline base with container/base/build-offline-base.sh`)
    const offline = await run('bash', [join(REPO, 'container/base/build-offline-base.sh')], { captureStdout: true })
    if (offline.code !== 0) throw new BenchFailure('Building the offline base image failed (its output is above).', 'Run container/base/build-offline-base.sh by hand, then the bench again.')
    const second = await cliImageBuild(offline.stdout.trim() || OFFLINE_BASE, log)
    if ('tag' in second) return second.tag
    throw new BenchFailure(`Building the core image failed: ${second.message}`, second.hint)
  }
  throw new BenchFailure(`Building the core image failed: ${first.message}`, first.hint)
}

type CliBuildResult = { tag: string } | { code: string; message: string; hint?: string }

async function cliImageBuild(base: string | undefined, log: (message: string) => void): Promise<CliBuildResult> {
  const home = mkdtempSync(join(tmpdir(), 'sandlot-bench-home-'))
  try {
    const args = [join(REPO, 'bin/sandlot.js'), 'image', 'build', '--json', ...(base ? ['--base', base] : [])]
    log(`checking the core image: sandlot image build${base ? ` --base ${base}` : ''}`)
    const result = await run(process.execPath, args, { captureStdout: true, env: { ...process.env, SANDLOT_HOME: home } })
    let doc: { tag?: string; built?: boolean; durationMs?: number; error?: { code: string; message: string; hint?: string } }
    try {
      doc = JSON.parse(result.stdout) as typeof doc
    } catch {
      return { code: 'CLI_FAILED', message: `sandlot image build exited ${result.code} without a JSON answer: ${result.stdout.slice(0, 500)}` }
    }
    if (doc.error) return doc.error
    if (!doc.tag) return { code: 'CLI_FAILED', message: `sandlot image build answered without a tag: ${result.stdout.slice(0, 500)}` }
    log(doc.built ? `built ${doc.tag} in ${((doc.durationMs ?? 0) / 1000).toFixed(0)} s` : `using ${doc.tag} (up to date)`)
    return { tag: doc.tag }
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}

/** The CLI bundle and the monitor bundles come from `npm run build`; run it when they are missing. */
async function ensureBuilt(log: (message: string) => void): Promise<void> {
  const cli = join(REPO, 'out/main/cli.js')
  const monitor = join(REPO, 'container/dist/monitor.js')
  if (!existsSync(cli) || !existsSync(monitor) || !existsSync(join(REPO, 'container/dist/monitor-cli.js'))) {
    log('out/main/cli.js or container/dist is missing: running npm run build')
    const result = await run('npm', ['run', 'build'], { cwd: REPO })
    if (result.code !== 0) throw new BenchFailure('npm run build failed (its output is above).')
    return
  }
  const built = statSync(monitor).mtimeMs
  const newer = readdirSync(join(REPO, 'container/src')).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && statSync(join(REPO, 'container/src', f)).mtimeMs > built
  )
  if (newer.length > 0) {
    log(
      `warning: container/src (${newer.slice(0, 3).join(', ')}${newer.length > 3 ? ', …' : ''}) is newer than container/dist: ` +
        'the image gets the monitor as last built. Run `npm run build` (or `node container/build-monitor.mjs`) to measure your changes.'
    )
  }
}

async function imageExists(docker: Dockerode, reference: string): Promise<boolean> {
  try {
    await docker.getImage(reference).inspect()
    return true
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false
    throw error
  }
}

/** Runs a command with its stderr (and stdout, unless captured) on our stderr: progress stays visible. */
function run(
  command: string,
  args: string[],
  options: { captureStdout?: boolean; env?: NodeJS.ProcessEnv; cwd?: string } = {}
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? REPO, env: options.env ?? process.env, stdio: ['ignore', options.captureStdout ? 'pipe' : 2, 2] })
    const chunks: Buffer[] = []
    child.stdout?.on('data', (c: Buffer) => chunks.push(c))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('utf8') }))
  })
}
