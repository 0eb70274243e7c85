import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type Dockerode from 'dockerode'
import type { EngineEndpoint } from '../../src-main/core/contract'

const START_TIMEOUT_MS = 90_000
const STOP_TIMEOUT_MS = 60_000

/**
 * A disposable dockerd beside the main engine, for tests that stop and restart an engine. Everything it owns
 * (data, exec root, socket, pid file, its own containerd) lives in one short /tmp folder: unix socket paths are
 * limited to 108 bytes. Several can run at once.
 */
export class SecondEngine {
  readonly dir: string
  #process: ChildProcess | undefined

  private constructor(dir: string) {
    this.dir = dir
  }

  /** Creates the folder and starts the engine. */
  static async create(): Promise<SecondEngine> {
    const engine = new SecondEngine(await mkdtemp('/tmp/sl-'))
    // An empty config file, so a daemon.json of the machine (hosts, data-root) cannot leak in.
    await writeFile(path.join(engine.dir, 'daemon.json'), '{}')
    await engine.start()
    return engine
  }

  get socketPath(): string {
    return path.join(this.dir, 'docker.sock')
  }

  get endpoint(): EngineEndpoint {
    return { kind: 'unix', url: `unix://${this.socketPath}`, source: 'settings' }
  }

  /** Starts dockerd (again) on the same folder and socket, and waits until it answers. */
  async start(): Promise<void> {
    if (this.#process !== undefined) throw new Error('the second engine is already running')
    const log = openSync(path.join(this.dir, 'dockerd.log'), 'a')
    // Its own network namespace: a dockerd started with `--bridge none` deletes the host's docker0, which would
    // cut the main engine's containers off. unshare execs dockerd in place, so signals still reach it.
    const child = spawn('unshare', ['--net', 'dockerd', ...this.#args()], { stdio: ['ignore', log, log] })
    closeSync(log)
    this.#process = child
    let failure: Error | undefined
    const ended = (error: Error): void => {
      failure ??= error
      if (this.#process === child) this.#process = undefined
    }
    child.once('error', ended)
    child.once('exit', (code, signal) => ended(new Error(`dockerd exited (${signal ?? code})`)))
    const deadline = Date.now() + START_TIMEOUT_MS
    while (!(await this.#answers())) {
      if (failure !== undefined) throw new Error(`${failure.message} while starting:\n${this.#logTail()}`)
      if (Date.now() > deadline) throw new Error(`dockerd did not answer within ${START_TIMEOUT_MS / 1000} s:\n${this.#logTail()}`)
      await sleep(200)
    }
  }

  /** SIGTERM, then waits for dockerd to exit: the socket goes away with it. */
  async stop(): Promise<void> {
    const child = this.#process
    if (child === undefined) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const giveUp = new AbortController()
    const timedOut = sleep(STOP_TIMEOUT_MS, undefined, { signal: giveUp.signal }).then(
      () => false,
      () => false
    )
    const stopped = await Promise.race([exited.then(() => true), timedOut])
    giveUp.abort()
    if (!stopped) {
      child.kill('SIGKILL')
      await exited
    }
  }

  /** Stops the engine and removes its folder. */
  async dispose(): Promise<void> {
    await this.stop()
    await rm(this.dir, { recursive: true, force: true, maxRetries: 5 })
  }

  #args(): string[] {
    const d = this.dir
    // Own containerd namespaces too, in case the machine runs a shared containerd.
    const namespace = `sandlot-${path.basename(d)}`
    return [
      '--config-file', path.join(d, 'daemon.json'),
      '--data-root', path.join(d, 'data'),
      '--exec-root', path.join(d, 'exec'),
      '--pidfile', path.join(d, 'pid'),
      '-H', `unix://${this.socketPath}`,
      '--bridge', 'none',
      '--iptables=false',
      '--ip-masq=false',
      '--containerd-namespace', namespace,
      '--containerd-plugins-namespace', `${namespace}-plugins`
    ]
  }

  #answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = request({ socketPath: this.socketPath, path: '/_ping' }, (res) => {
        res.resume()
        resolve(res.statusCode === 200)
      })
      req.on('error', () => resolve(false))
      req.end()
    })
  }

  #logTail(): string {
    return readFileSync(path.join(this.dir, 'dockerd.log'), 'utf8').split('\n').slice(-20).join('\n')
  }
}

/**
 * Imports an image with no files at all: enough to create (not start) a container, with no registry and no
 * base image on the engine. Labelled so it can be recognised as a test's.
 */
export async function importEmptyImage(
  docker: Dockerode,
  reference: string,
  labels: Record<string, string>
): Promise<void> {
  // An empty tar archive is two 512-byte zero blocks.
  const emptyTar = Buffer.alloc(1024)
  const [repo, tag] = reference.split(':')
  const changes = Object.entries(labels).map(([key, value]) => `LABEL ${key}=${value}`)
  const stream = await docker.importImage(emptyTar as unknown as NodeJS.ReadableStream, { repo, tag, changes })
  await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve(undefined)))
  )
}
