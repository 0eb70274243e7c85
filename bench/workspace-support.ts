// Shared by the workspace benchmarks: a throw-away Sandlot core (own data folder, own instance id), its
// cleanup, and the ways of getting an interactive shell whose first output byte is timed.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import type Dockerode from 'dockerode'
import type { SandlotCore } from '../src-main/core/sandlot-core'
import { instanceVolumeNames, workspaceNetworkName } from '../src-main/core/workspaces/container-spec'
import { execInContainer } from '../src-main/core/workspaces/container-exec'
import { BenchFailure, REPO } from './engine'
import { sleep } from './harness'

const OFFLINE_BASE = 'sandlot/base-offline:22-bookworm'

type CoreModule = typeof import('./workspace-core')
let coreModule: Promise<CoreModule> | undefined

/** The core, transformed by Vite as the app's build and vitest do (tsx cannot handle its `import.meta.glob`). */
export function loadCore(): Promise<CoreModule> {
  // Imported here, not at the top: `npx tsx bench/index.ts monitor` never loads Vite.
  coreModule ??= import('vite')
    .then(({ runnerImport }) => runnerImport<CoreModule>(join(REPO, 'bench/workspace-core.ts'), { root: REPO, logLevel: 'warn' }))
    .then((r) => r.module)
  return coreModule
}

export interface BenchCore {
  core: SandlotCore
  docker: Dockerode
  /** The core image this core's workspaces run (what `workspaces.create` builds or finds). */
  imageTag: string
  base: string
  /** Labels of the baseline containers the benchmark makes itself: cleaned up with the workspaces. */
  labels: (extra?: Record<string, string>) => Record<string, string>
  /** Removes every container and the npm cache volume of this instance, closes the core, deletes its data folder. */
  dispose(): Promise<void>
}

/**
 * A Sandlot core in a fresh temporary data folder (so: a fresh instance id and a fresh, empty npm cache
 * volume), with the image base the bench uses and the given pool settings. The core image sources are
 * read from a snapshot of container/ taken when the benchmark starts, so an edit of container/ by
 * someone else during the run cannot trigger a rebuild in the middle of a measurement.
 */
export async function openBenchCore(
  containerSnapshot: string,
  pool: { size: number; maxConcurrentCreates: number },
  log: (message: string) => void
): Promise<BenchCore> {
  const { openSandlotCore } = await loadCore()
  if (interrupted) throw new BenchFailure('interrupted')
  const home = mkdtempSync(join(tmpdir(), 'sandlot-bench-ws-'))
  let core: SandlotCore
  try {
    core = openSandlotCore({ home, env: { ...process.env, SANDLOT_HOME: home, SANDLOT_CONTAINER_DIR: containerSnapshot } })
  } catch (error) {
    rmSync(home, { recursive: true, force: true })
    throw error
  }
  const instance = core.instanceId
  const release = whenInterrupted(() => {
    removeInstanceSync(instance)
    rmSync(home, { recursive: true, force: true })
  })
  log(`Sandlot core of instance ${instance} (data folder ${home})`)
  let disposed = false
  const dispose = async (): Promise<void> => {
    if (disposed) return
    disposed = true
    try {
      await removeInstance(core.engine.connection.docker, instance)
    } finally {
      release()
      core.close()
      rmSync(home, { recursive: true, force: true })
    }
  }
  try {
    const docker = core.engine.connection.docker
    const base = await chooseBase(docker)
    await core.api.call('settings.update', { image: { base }, pool })
    const built = await core.api.call('image.build', { base })
    if (built.built) log(`built ${built.tag} from ${base} in ${((built.durationMs ?? 0) / 1000).toFixed(0)} s`)
    return {
      core,
      docker,
      imageTag: built.tag,
      base,
      labels: (extra = {}) => ({ 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': instance, 'dev.sandlot.bench': 'workspace', ...extra }),
      dispose
    }
  } catch (error) {
    await dispose()
    throw error
  }
}

/** The base the bench's core image is built from: as bench/engine.ts chooses it for the `monitor` benchmark. */
async function chooseBase(docker: Dockerode): Promise<string> {
  if (process.env.SANDLOT_BENCH_BASE) return process.env.SANDLOT_BENCH_BASE
  try {
    await docker.getImage(OFFLINE_BASE).inspect()
    return OFFLINE_BASE
  } catch {
    return 'node:22-bookworm-slim'
  }
}

/** A copy of the core image's build context (Dockerfile, dist/, certs/), read once. */
export function snapshotContainerDir(): { dir: string; remove: () => void } {
  if (interrupted) throw new BenchFailure('interrupted')
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-bench-container-'))
  const source = join(REPO, 'container')
  cpSync(join(source, 'Dockerfile'), join(dir, 'Dockerfile'))
  cpSync(join(source, 'dist'), join(dir, 'dist'), { recursive: true })
  if (existsSync(join(source, 'certs'))) cpSync(join(source, 'certs'), join(dir, 'certs'), { recursive: true })
  const remove = () => rmSync(dir, { recursive: true, force: true })
  const release = whenInterrupted(remove)
  return {
    dir,
    remove: () => {
      release()
      remove()
    }
  }
}

/** Every container labelled with this instance id (workspaces, pool, baselines), then its volumes. */
export async function removeInstance(docker: Dockerode, instance: string): Promise<void> {
  let found: Dockerode.ContainerInfo[] = []
  try {
    found = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${instance}`] } })
  } catch (error) {
    process.stderr.write(`bench: could not list the containers of ${instance}: ${(error as Error).message}\n`)
  }
  await Promise.all(
    found.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch((error: { statusCode?: number; message?: string }) => {
          if (error.statusCode !== 404) process.stderr.write(`bench: could not remove ${c.Id.slice(0, 12)}: ${error.message}\n`)
        })
    )
  )
  for (const volume of instanceVolumeNames(instance)) {
    await docker
      .getVolume(volume)
      .remove()
      .catch((error: { statusCode?: number; message?: string }) => {
        if (error.statusCode !== 404) process.stderr.write(`bench: could not remove the volume ${volume}: ${error.message}\n`)
      })
  }
  await docker
    .getNetwork(workspaceNetworkName(instance))
    .remove()
    .catch((error: { statusCode?: number; message?: string }) => {
      if (error.statusCode !== 404) process.stderr.write(`bench: could not remove the network ${workspaceNetworkName(instance)}: ${error.message}\n`)
    })
}

/**
 * On Ctrl-C or SIGTERM, bench/index.ts removes the containers of its own run id and exits, not those of a
 * benchmark core's instance: the cleanups registered here run then, synchronously (the docker CLI, rmSync),
 * so they are done before index.ts exits; and no new core is opened afterwards. Each registration returns
 * the function that takes it off again.
 */
const onInterrupt = new Set<() => void>()
let interrupted = false

function interruptHandler(): void {
  interrupted = true
  for (const cleanup of [...onInterrupt]) {
    onInterrupt.delete(cleanup)
    try {
      cleanup()
    } catch (error) {
      process.stderr.write(`bench: cleaning up after the interruption failed: ${(error as Error).message}\n`)
    }
  }
}

export function whenInterrupted(cleanup: () => void): () => void {
  if (interrupted) throw new BenchFailure('interrupted')
  if (onInterrupt.size === 0) {
    process.on('SIGINT', interruptHandler)
    process.on('SIGTERM', interruptHandler)
  }
  onInterrupt.add(cleanup)
  return () => {
    onInterrupt.delete(cleanup)
    if (onInterrupt.size === 0) {
      process.off('SIGINT', interruptHandler)
      process.off('SIGTERM', interruptHandler)
    }
  }
}

/** The containers of the instance, then its volumes; again while a volume is still in use (a create in flight). */
function removeInstanceSync(instance: string): void {
  for (const volume of instanceVolumeNames(instance)) removeVolumeSync(instance, volume)
}

function removeVolumeSync(instance: string, volume: string): void {
  for (let attempt = 1; ; attempt++) {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=dev.sandlot.instance=${instance}`], { encoding: 'utf8', timeout: 15_000 })
      .split('\n')
      .filter(Boolean)
    if (ids.length > 0) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore', timeout: 30_000 })
    try {
      execFileSync('docker', ['network', 'rm', workspaceNetworkName(instance)], { stdio: 'ignore', timeout: 15_000 })
    } catch {
      // not created, or already gone
    }
    try {
      execFileSync('docker', ['volume', 'rm', volume], { stdio: 'pipe', timeout: 15_000 })
      return
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? '')
      if (/no such volume/i.test(stderr)) return
      if (attempt === 5) throw new Error(`docker volume rm ${volume}: ${stderr.trim()}`)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500)
    }
  }
}

export interface ShellTiming {
  /** performance.now() of the first output byte. */
  firstByteAt: number
  /** performance.now() once the output ends with a prompt (`$ ` or `# `). */
  promptAt: number
  /** The first chunk of output, as received. */
  firstChunk: string
}

const PROMPT = /[$#] ?$/
const SHELL_TIMEOUT_MS = 30_000
/** Between measurements of a shell's first prompt: a just-started container's monitor finishes booting, the engine calms down. */
export const SETTLE_MS = 1500

/** The baseline shell without Sandlot: a TTY exec of `bash -i` as node in /app, created and started hijacked with stdin. */
export async function rawTtyBash(container: Dockerode.Container): Promise<Duplex> {
  const exec = await container.exec({ Cmd: ['bash', '-i'], User: 'node', WorkingDir: '/app', Tty: true, AttachStdin: true, AttachStdout: true, AttachStderr: true })
  return (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex
}

/**
 * An interactive TTY exec of `bash -i` (rawTtyBash), as `sandlot shell` and `docker exec -it` do it: the time
 * of the first 'data' event. Then `exit`.
 */
export async function ttyExecShell(container: Dockerode.Container): Promise<ShellTiming> {
  const stream = await rawTtyBash(container)
  try {
    return await firstOutput(
      (onData) => stream.on('data', (chunk: Buffer) => onData(chunk.toString('utf8'))),
      () => stream.write('exit\n'),
      new Promise<void>((resolve) => {
        stream.once('end', resolve)
        stream.once('close', resolve)
      }),
      'the TTY exec of bash -i'
    )
  } finally {
    stream.destroy()
  }
}

/**
 * `docker run --rm -i -t --entrypoint bash <image> -i` under a pseudo-terminal (node-pty), as a user types
 * it: the time from spawning the CLI to the first byte it prints. Returns the spawn time too.
 */
export async function dockerRunShell(image: string, name: string, labels: Record<string, string>): Promise<ShellTiming & { spawnedAt: number }> {
  const args = ['run', '--rm', '-i', '-t', '--name', name, ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), '--entrypoint', 'bash', image, '-i']
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined))
  // Loaded on first use: a native module, so a build of it for Electron's ABI breaks only this benchmark.
  const { spawn } = await import('node-pty')
  const spawnedAt = performance.now()
  const child = spawn('docker', args, { name: 'xterm-256color', cols: 120, rows: 30, cwd: tmpdir(), env })
  let exited = false
  const exit = new Promise<void>((resolve) =>
    child.onExit(() => {
      exited = true
      resolve()
    })
  )
  try {
    const timing = await firstOutput((onData) => child.onData(onData), () => child.write('exit\r'), exit, '`docker run -it`')
    return { ...timing, spawnedAt }
  } finally {
    if (!exited) child.kill()
  }
}

export async function firstOutput(
  subscribe: (onData: (text: string) => void) => void,
  sendExit: () => void,
  ended: Promise<void>,
  what: string
): Promise<ShellTiming> {
  let firstByteAt: number | undefined
  let firstChunk = ''
  let output = ''
  const timing = await new Promise<ShellTiming>((resolve, reject) => {
    const timer = setTimeout(() => reject(new BenchFailure(`${what} printed no prompt within ${SHELL_TIMEOUT_MS / 1000} s; output: ${JSON.stringify(output.slice(-300))}`)), SHELL_TIMEOUT_MS)
    subscribe((text) => {
      const now = performance.now()
      if (firstByteAt === undefined) {
        firstByteAt = now
        firstChunk = text
      }
      output += text
      if (PROMPT.test(output)) {
        clearTimeout(timer)
        resolve({ firstByteAt, promptAt: now, firstChunk })
      }
    })
    void ended.then(() => reject(new BenchFailure(`${what} ended before printing a prompt; output: ${JSON.stringify(output.slice(-300))}`)))
  })
  sendExit()
  await Promise.race([ended, sleep(5_000)])
  return timing
}

/** sandlot-monitor answers on its control socket: the container has finished starting. */
export async function waitForMonitor(container: Dockerode.Container): Promise<void> {
  const deadline = Date.now() + 30_000
  let last = ''
  while (Date.now() < deadline) {
    const health = await execInContainer(container, ['monitor-cli', 'health', '--json'], { user: 'monitor' })
    if (health.exitCode === 0) return
    last = (health.stdout + health.stderr).trim()
    await sleep(100)
  }
  throw new BenchFailure(`sandlot-monitor in ${container.id.slice(0, 12)} did not answer within 30 s: ${last}`)
}

/** GET a URL on the host: status and body. */
export function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 10_000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)))
    req.on('error', reject)
    req.end()
  })
}

/** A printable excerpt of terminal output for the notes (escape sequences shown as \u001b…). */
export function printable(text: string, max = 80): string {
  const json = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text)
  return json.slice(1, -1).replace(/`/g, "'")
}

export const ms = (from: number, to: number): number => Math.round((to - from) * 10) / 10
