import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { desc, eq, ne } from 'drizzle-orm'
import { pack } from 'tar-stream'
import type Dockerode from 'dockerode'
import { LogLineSplitter } from '../monitor/log-frames'
import type { SandlotDb } from '../store/database'
import { dependencySnapshots } from '../store/schema'
import { APP_GID, APP_UID } from '../templates/template-archive'
import { execInContainer } from './container-exec'
import { DEFAULT_LIMITS, DEPENDENCY_SNAPSHOTS_DIR, dependencySnapshotVolumeName, npmCacheVolumeName, SHARED_NPM_CACHE_FOLDER, workspaceNetworkName } from './container-spec'
import type { InstallInputs } from './install-inputs'
import { ensureWorkspaceNetwork } from './workspace-network'

export interface SnapshotDeps {
  db: SandlotDb
  instanceId: string
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  /** Where a failed capture is told: it never fails a workspace, the next one just installs again. */
  onProblem?: (message: string) => void
  /** Snapshots kept, the most recently used first. */
  keep?: number
  now?: () => Date
}

export interface SnapshotRequest {
  key: string
  templateId: string
  imageTag: string
  install: string
  env: Record<string, string>
  inputs: InstallInputs
}

/** Where a builder container puts node_modules for the writer (container/Dockerfile makes it node's). */
const BUILD_DIR = '/opt/sandlot/deps-build'
const KEEP = 8
/** Limits of a snapshot's install: the same bound as a workspace's own install. */
const BUILD_TIMEOUT_S = 15 * 60

/**
 * node_modules kept per install inputs (see install-plan.ts), so the next workspace with the same lockfile
 * copies them instead of installing. No workspace can change a snapshot: workspaces mount them read-only, and
 * they are made by two throw-away containers, a builder that runs the install from the inputs alone (the
 * workspace's own, possibly changed, node_modules are never taken) and a writer that runs only `cp`, so not
 * even a package's install script in the builder can reach other snapshots.
 */
export class DependencySnapshots {
  readonly #deps: SnapshotDeps
  readonly #running = new Map<string, Promise<void>>()

  constructor(deps: SnapshotDeps) {
    this.#deps = deps
  }

  has(key: string): boolean {
    return this.#row(key) !== undefined
  }

  /** Snapshots being made by this process. */
  get pending(): number {
    return this.#running.size
  }

  /** Settles when this process has no snapshot in the making (a CLI waits before it exits). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()])
  }

  /**
   * Copies a snapshot into the workspace's /app/node_modules. False (and nothing left behind) when there is
   * none or the copy fails, for example in a container made before snapshots existed: the caller installs.
   */
  async restore(container: Dockerode.Container, key: string): Promise<boolean> {
    if (!this.has(key)) return false
    const source = `${DEPENDENCY_SNAPSHOTS_DIR}/${key}/node_modules`
    const result = await execInContainer(container, ['bash', '-c', 'rm -rf /app/node_modules && cp -R --preserve=mode,timestamps,links "$0" /app/node_modules', source], { keep: 2000 })
    if (result.exitCode !== 0) {
      await execInContainer(container, ['rm', '-rf', '/app/node_modules'])
      this.#deps.onProblem?.(`Copying dependency snapshot ${key} failed, installing instead: ${result.stderr.trim()}`)
      return false
    }
    this.#deps.db.update(dependencySnapshots).set({ usedAt: this.#now() }).where(eq(dependencySnapshots.key, key)).run()
    return true
  }

  /** Makes the snapshot in the background (once per key at a time); problems go to onProblem. */
  capture(request: SnapshotRequest): Promise<void> {
    const running = this.#running.get(request.key)
    if (running) return running
    if (this.has(request.key)) return Promise.resolve()
    const work = this.#capture(request)
      .catch((err: Error) => this.#deps.onProblem?.(`Keeping the dependencies of ${request.templateId} for the next workspace failed: ${err.message}`))
      .finally(() => this.#running.delete(request.key))
    this.#running.set(request.key, work)
    return work
  }

  async #capture(request: SnapshotRequest): Promise<void> {
    const id = randomBytes(4).toString('hex')
    const buildVolume = `sandlot-deps-build-${id}`
    const prune = this.#deps.db
      .select({ key: dependencySnapshots.key })
      .from(dependencySnapshots)
      .where(ne(dependencySnapshots.key, request.key))
      .orderBy(desc(dependencySnapshots.usedAt))
      .all()
      .slice((this.#deps.keep ?? KEEP) - 1)
      .map((r) => r.key)
    const kib = await this.#deps.engine(async (docker) => {
      await this.#removeLeftovers(docker)
      await ensureWorkspaceNetwork(docker, this.#deps.instanceId)
      try {
        await this.#build(docker, request, `sandlot-deps-${id}`, buildVolume)
        return await this.#write(docker, request, `sandlot-deps-${id}-write`, buildVolume, prune)
      } finally {
        await docker
          .getVolume(buildVolume)
          .remove()
          .catch(() => undefined)
      }
    })
    const now = this.#now()
    const { db } = this.#deps
    db.transaction((tx) => {
      tx.insert(dependencySnapshots)
        .values({ key: request.key, templateId: request.templateId, imageTag: request.imageTag, bytes: kib * 1024, createdAt: now, usedAt: now })
        .onConflictDoNothing()
        .run()
      for (const key of prune) tx.delete(dependencySnapshots).where(eq(dependencySnapshots.key, key)).run()
    })
  }

  /** The builder: the inputs in /app, the install, node_modules out to the build volume. Nothing else. */
  async #build(docker: Dockerode, request: SnapshotRequest, name: string, buildVolume: string): Promise<void> {
    const script = `set -e\ntimeout -k 10 ${BUILD_TIMEOUT_S} bash -c "$0"\ncp -R --preserve=mode,timestamps,links node_modules ${BUILD_DIR}/`
    const container = await docker.createContainer({
      name,
      Image: request.imageTag,
      User: 'node',
      WorkingDir: '/app',
      Entrypoint: ['tini', '--', 'bash', '-c', script, request.install],
      Env: Object.entries(request.env).map(([k, v]) => `${k}=${v}`),
      Labels: this.#labels(request.imageTag),
      Healthcheck: { Test: ['NONE'] },
      HostConfig: {
        NetworkMode: workspaceNetworkName(this.#deps.instanceId),
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        PidsLimit: DEFAULT_LIMITS.pids,
        Memory: DEFAULT_LIMITS.memoryMb * 1024 * 1024,
        NanoCpus: DEFAULT_LIMITS.cpus * 1e9,
        Mounts: [
          { Type: 'volume', Source: npmCacheVolumeName(this.#deps.instanceId), Target: `${SHARED_NPM_CACHE_FOLDER}/_cacache` },
          { Type: 'volume', Source: buildVolume, Target: BUILD_DIR }
        ]
      }
    })
    try {
      await container.putArchive(inputsArchive(request.inputs), { path: '/app' })
      await runToEnd(container, 'the install')
    } finally {
      await container.remove({ force: true }).catch(() => undefined)
    }
  }

  /**
   * The writer: copies the build into the snapshots volume under its key (atomically, by rename; a key made
   * meanwhile by another process wins) and removes the pruned ones. Root without capabilities but reading
   * files: it owns the volume; the snapshot ends up root's, read-only to everyone else. Returns its KiB.
   */
  async #write(docker: Dockerode, request: SnapshotRequest, name: string, buildVolume: string, prune: readonly string[]): Promise<number> {
    const script = [
      'set -e',
      `cd ${DEPENDENCY_SNAPSHOTS_DIR}`,
      'rm -rf -- ".tmp-$KEY" && mkdir ".tmp-$KEY"',
      'cp -R --preserve=mode,timestamps,links /build/node_modules ".tmp-$KEY/"',
      'if [ -e "$KEY" ]; then rm -rf -- ".tmp-$KEY"; else mv -T -- ".tmp-$KEY" "$KEY"; fi',
      'for old in $PRUNE; do rm -rf -- "$old"; done',
      'du -sk "$KEY" | cut -f1'
    ].join('\n')
    const container = await docker.createContainer({
      name,
      Image: request.imageTag,
      User: 'root',
      Entrypoint: ['bash', '-c', script],
      Env: [`KEY=${request.key}`, `PRUNE=${prune.join(' ')}`],
      Labels: this.#labels(request.imageTag),
      Healthcheck: { Test: ['NONE'] },
      HostConfig: {
        NetworkMode: 'none',
        CapDrop: ['ALL'],
        CapAdd: ['DAC_READ_SEARCH'],
        SecurityOpt: ['no-new-privileges'],
        Mounts: [
          { Type: 'volume', Source: buildVolume, Target: '/build', ReadOnly: true },
          { Type: 'volume', Source: dependencySnapshotVolumeName(this.#deps.instanceId), Target: DEPENDENCY_SNAPSHOTS_DIR }
        ]
      }
    })
    try {
      const output = await runToEnd(container, 'copying the snapshot')
      const kib = Number.parseInt(output.trim().split('\n').pop() ?? '', 10)
      return Number.isFinite(kib) ? kib : 0
    } finally {
      await container.remove({ force: true }).catch(() => undefined)
    }
  }

  /** What a capture cut short by the end of its process left behind: its stopped containers, their volumes. */
  async #removeLeftovers(docker: Dockerode): Promise<void> {
    const stopped = await docker.listContainers({
      all: true,
      filters: { label: [`dev.sandlot.instance=${this.#deps.instanceId}`, 'dev.sandlot.role=deps'], status: ['created', 'exited'] }
    })
    for (const c of stopped) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
    const { Volumes } = await docker.listVolumes({ filters: { dangling: ['true'] } })
    for (const v of Volumes ?? []) if (/^sandlot-deps-build-[0-9a-f]{8}$/.test(v.Name)) await docker.getVolume(v.Name).remove().catch(() => undefined)
  }

  #labels(imageTag: string): Record<string, string> {
    return { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': this.#deps.instanceId, 'dev.sandlot.role': 'deps', 'dev.sandlot.image-hash': imageTag.split(':')[1] ?? '' }
  }

  #row(key: string) {
    return this.#deps.db.select().from(dependencySnapshots).where(eq(dependencySnapshots.key, key)).get()
  }

  #now(): string {
    return (this.#deps.now?.() ?? new Date()).toISOString()
  }
}

/** The install inputs as a tar for /app, owned by node like every template file. */
function inputsArchive(inputs: InstallInputs): NodeJS.ReadableStream {
  const archive = pack()
  for (const [name, content] of inputs) {
    if (content) archive.entry({ name, size: content.length, mode: 0o644, uid: APP_UID, gid: APP_GID, uname: 'node', gname: 'node' }, content)
  }
  archive.finalize()
  return Readable.from(archive, { objectMode: false })
}

/** Starts a container, waits for it, and returns its output; a non-zero exit is an error with the tail. */
async function runToEnd(container: Dockerode.Container, what: string): Promise<string> {
  await container.start()
  const { StatusCode } = (await container.wait()) as { StatusCode: number }
  const lines: string[] = []
  const splitter = new LogLineSplitter((_stream, line) => lines.push(line))
  splitter.push((await container.logs({ stdout: true, stderr: true, tail: 30 })) as unknown as Buffer)
  splitter.end()
  const text = lines.join('\n')
  if (StatusCode !== 0) throw new Error(`${what} exited with code ${StatusCode}: ${text.trim().split('\n').slice(-10).join('\n')}`)
  return text
}
