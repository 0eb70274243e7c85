import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testBaseImage } from '../../support/core-image'
import { removeInstanceObjects } from './instance'
import { repoPath } from './repo'

const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 30_000

/** Settings for a server that makes workspaces: the core image built FROM the test base, a pool of `poolSize`. */
export function testSettings(poolSize: number): Record<string, unknown> {
  return { image: { base: testBaseImage() }, pool: { size: poolSize } }
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv
  /** An existing data folder (a restart); a fresh one when left out. */
  home?: string
  port?: number
  /** Written as the data folder's settings.json before the server starts. */
  settings?: Record<string, unknown>
}

export interface ServeInfo {
  url: string
  port: number
  token: string
}

/** A real `sandlot serve` child process, as a user starts it, with its own data folder. */
export class ServeProcess {
  readonly info: ServeInfo
  readonly home: string
  readonly #child: ChildProcess
  readonly #exited: Promise<number | null>

  private constructor(info: ServeInfo, home: string, child: ChildProcess, exited: Promise<number | null>) {
    this.info = info
    this.home = home
    this.#child = child
    this.#exited = exited
  }

  /** Starts `node bin/sandlot.js serve --json` and waits for its one JSON document. */
  static async start(options: StartOptions = {}): Promise<ServeProcess> {
    const home = options.home ?? (await mkdtemp(join(tmpdir(), 'sandlot-e2e-')))
    if (options.settings !== undefined) await writeFile(join(home, 'settings.json'), JSON.stringify(options.settings))
    const args = [repoPath('bin/sandlot.js'), 'serve', '--port', String(options.port ?? 0), '--json']
    const child = spawn(process.execPath, args, {
      cwd: repoPath(),
      env: { ...process.env, ...options.env, SANDLOT_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

    const deadline = Date.now() + START_TIMEOUT_MS
    for (;;) {
      const info = parseDocument(stdout)
      if (info !== undefined) return new ServeProcess(info, home, child, exited)
      if (child.exitCode !== null) throw new Error(`sandlot serve exited with ${child.exitCode}:\n${stdout}${stderr}`)
      if (Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`sandlot serve printed no JSON document within ${START_TIMEOUT_MS / 1000} s:\n${stdout}${stderr}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  get origin(): string {
    return new URL(this.info.url).origin
  }

  get wsUrl(): string {
    return `ws://${new URL(this.info.url).host}/ws`
  }

  /** SIGTERM, as a service manager stops it; resolves to its exit code (0 after a graceful shutdown). */
  async stop(): Promise<number | null> {
    if (this.#child.exitCode !== null) return this.#child.exitCode
    this.#child.kill('SIGTERM')
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    try {
      return await this.#exited
    } finally {
      clearTimeout(timer)
    }
  }

  /** Stops the server, removes its instance's engine objects (containers, volume, network) and its data folder. */
  async dispose(): Promise<void> {
    await this.stop()
    await removeInstanceObjects(this.home)
    await rm(this.home, { recursive: true, force: true })
  }
}

function parseDocument(stdout: string): ServeInfo | undefined {
  try {
    return JSON.parse(stdout) as ServeInfo
  } catch {
    return undefined
  }
}
