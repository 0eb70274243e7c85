import { randomBytes } from 'node:crypto'
import { desc, eq, ne } from 'drizzle-orm'
import type Dockerode from 'dockerode'
import { LogLineSplitter } from '../monitor/log-frames'
import type { SandlotDb } from '../store/database'
import { dependencySnapshots } from '../store/schema'
import { execInContainer } from './container-exec'
import { DEFAULT_LIMITS, DEPENDENCY_SNAPSHOTS_DIR, dependencySnapshotVolumeName, npmContentVolumeName, SHARED_NPM_CONTENT, workspaceNetworkName } from './container-spec'
import { CREATOR, creatorAlive } from './creator'
import { teeTemplateArchive } from './install-inputs'
import { ensureWorkspaceNetwork } from './workspace-network'
import { ensureInstanceVolumes } from './instance-volumes'

export interface SnapshotDeps {
  db: SandlotDb
  instanceId: string
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  /** Where a failed capture or restore is told: it never fails a workspace, which installs instead. */
  onProblem?: (message: string) => void
  /** Snapshots kept, the most recently used first. */
  keep?: number
  /** A node_modules larger than this is not kept. */
  maxKiB?: number
  now?: () => Date
}

export interface SnapshotRequest {
  key: string
  templateId: string
  imageTag: string
  install: string
  env: Record<string, string>
  /** The template's archive again, and the digest it must have (the one the key was made from). */
  pack: () => Promise<NodeJS.ReadableStream>
  digest: string
}

/** Where a builder container puts node_modules for the writer (container/Dockerfile makes it node's). */
const BUILD_DIR = '/opt/sandlot/deps-build'
const KEEP = 8
const MAX_KIB = 2 * 1024 * 1024
/** The same bound as a workspace's own install. */
const BUILD_TIMEOUT_S = 15 * 60
const ROLE = { 'dev.sandlot.role': 'deps' }
const CREATOR_LABEL = 'dev.sandlot.creator'
/** Marks a snapshot whose copy finished: only complete ones are ever copied into a workspace. */
const COMPLETE = '.complete'

/**
 * node_modules kept per install (see install-plan.ts), so the next workspace with the same template, lockfile
 * and install copies them instead of installing. No workspace can change a snapshot: workspaces mount them
 * read-only, and they are made by two throw-away containers, a builder that runs the install from the
 * template alone (the workspace's own, possibly changed, node_modules are never taken) and a writer that runs
 * only `cp`, so not even a package's install script in the builder can reach other snapshots.
 */
export class DependencySnapshots {
  readonly #deps: SnapshotDeps
  readonly #running = new Map<string, Promise<void>>()

  constructor(deps: SnapshotDeps) {
    this.#deps = deps
  }

  has(key: string): boolean {
    return this.#deps.db.select().from(dependencySnapshots).where(eq(dependencySnapshots.key, key)).get() !== undefined
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
   * Copies a complete snapshot into the workspace's /app/node_modules. False when there is none or the copy
   * fails (the volume was pruned, a container made before snapshots existed): the half copy is removed, the
   * snapshot forgotten so the next install makes it again, and the caller installs.
   */
  async restore(container: Dockerode.Container, key: string): Promise<boolean> {
    if (!this.has(key)) return false
    const source = `${DEPENDENCY_SNAPSHOTS_DIR}/${key}`
    const copy = `test -e "$0/${COMPLETE}" || { echo "snapshot $0 is incomplete or gone" >&2; exit 3; }
rm -rf /app/node_modules && cp -R --preserve=mode,timestamps,links "$0/node_modules" /app/node_modules`
    const result = await execInContainer(container, ['bash', '-c', copy, source], { keep: 2000 })
    if (result.exitCode === 0) {
      this.#deps.db.update(dependencySnapshots).set({ usedAt: this.#now() }).where(eq(dependencySnapshots.key, key)).run()
      return true
    }
    this.#deps.db.delete(dependencySnapshots).where(eq(dependencySnapshots.key, key)).run()
    const cleanup = await execInContainer(container, ['rm', '-rf', '/app/node_modules'])
    if (cleanup.exitCode !== 0) throw new Error(`Removing a half-copied node_modules failed: ${cleanup.stderr.trim()}`)
    this.#deps.onProblem?.(`Copying the dependency snapshot ${key} failed, installing instead: ${result.stderr.trim()}`)
    return false
  }

  /** Makes the snapshot in the background (once per key at a time in this process); problems go to onProblem. */
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
    const { db } = this.#deps
    // Forgotten before their folders go: a workspace never copies a snapshot that is being removed.
    const prune = db
      .select({ key: dependencySnapshots.key })
      .from(dependencySnapshots)
      .where(ne(dependencySnapshots.key, request.key))
      .orderBy(desc(dependencySnapshots.usedAt))
      .all()
      .slice((this.#deps.keep ?? KEEP) - 1)
      .map((r) => r.key)
    for (const key of prune) db.delete(dependencySnapshots).where(eq(dependencySnapshots.key, key)).run()
    const kib = await this.#deps.engine(async (docker) => {
      await this.#removeLeftovers(docker)
      await ensureWorkspaceNetwork(docker, this.#deps.instanceId)
      await ensureInstanceVolumes(docker, this.#deps.instanceId)
      const volume = await docker.createVolume({ Name: `sandlot-deps-build-${this.#deps.instanceId}-${id}`, Labels: this.#labels() })
      try {
        await this.#build(docker, request, `sandlot-deps-${id}`, volume.name)
        return await this.#write(docker, request, `sandlot-deps-${id}-write`, volume.name, id, prune)
      } finally {
        await docker
          .getVolume(volume.name)
          .remove()
          .catch(() => undefined)
      }
    })
    const now = this.#now()
    db.insert(dependencySnapshots)
      .values({ key: request.key, templateId: request.templateId, imageTag: request.imageTag, bytes: kib * 1024, createdAt: now, usedAt: now })
      .onConflictDoNothing()
      .run()
  }

  /** The builder: the template in /app, the install, node_modules out to the build volume. Nothing else. */
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
        LogConfig: { Type: 'json-file', Config: {} },
        Mounts: [
          { Type: 'volume', Source: npmContentVolumeName(this.#deps.instanceId), Target: SHARED_NPM_CONTENT },
          { Type: 'volume', Source: buildVolume, Target: BUILD_DIR }
        ]
      }
    })
    try {
      const tee = teeTemplateArchive(await request.pack())
      await container.putArchive(tee.archive, { path: '/app' })
      // The key names what the first workspace got: a template edited since would be a different install.
      if ((await tee.digest) !== request.digest) throw new Error('the template changed since the workspace was made; the next workspace installs and keeps its own')
      await runToEnd(container, 'the install')
    } finally {
      await container.remove({ force: true }).catch(() => undefined)
    }
  }

  /**
   * The writer: copies the build into the snapshots volume under its key, by rename once complete (a key made
   * meanwhile by another process wins), and removes the pruned ones (renamed away first, so no copy reads
   * half of one). Root without capabilities but reading files: it owns what it copies, normalises the modes
   * (readable by all, writable by none but root, no setuid) and can always delete it again. Returns its KiB.
   */
  async #write(docker: Dockerode, request: SnapshotRequest, name: string, buildVolume: string, id: string, prune: readonly string[]): Promise<number> {
    const script = `set -e
cd ${DEPENDENCY_SNAPSHOTS_DIR}
size=$(du -sk /build/node_modules | cut -f1)
if [ "$size" -gt "$MAX_KIB" ]; then echo "node_modules is $((size / 1024)) MiB, more than the $((MAX_KIB / 1024)) MiB a snapshot may take" >&2; exit 3; fi
T=".tmp-$KEY-$ID"
trap 'if [ -e "$T" ]; then chmod -R u+rwX "$T"; rm -rf -- "$T"; fi' EXIT
mkdir "$T"
cp -R --preserve=mode,timestamps,links /build/node_modules "$T/"
chmod -R u+rwX,go+rX,go-w,ug-s "$T"
touch "$T/${COMPLETE}"
mv -T -- "$T" "$KEY" 2>/dev/null || true
for old in $PRUNE; do
  mv -T -- "$old" ".trash-$old-$ID" 2>/dev/null || continue
  chmod -R u+rwX ".trash-$old-$ID"; rm -rf -- ".trash-$old-$ID" || true
done
# What writers cut short (the end of their process, a full disk) left behind.
find . -maxdepth 1 \\( -name '.tmp-*' -o -name '.trash-*' \\) -mmin +120 -exec sh -c 'chmod -R u+rwX "$1"; rm -rf -- "$1"' _ {} \\;
du -sk "$KEY" | cut -f1`
    const container = await docker.createContainer({
      name,
      Image: request.imageTag,
      User: 'root',
      Entrypoint: ['bash', '-c', script],
      Env: [`KEY=${request.key}`, `ID=${id}`, `PRUNE=${prune.join(' ')}`, `MAX_KIB=${this.#deps.maxKiB ?? MAX_KIB}`],
      Labels: this.#labels(request.imageTag),
      Healthcheck: { Test: ['NONE'] },
      HostConfig: {
        NetworkMode: 'none',
        CapDrop: ['ALL'],
        CapAdd: ['DAC_READ_SEARCH'],
        SecurityOpt: ['no-new-privileges'],
        LogConfig: { Type: 'json-file', Config: {} },
        Mounts: [
          { Type: 'volume', Source: buildVolume, Target: '/build', ReadOnly: true },
          { Type: 'volume', Source: dependencySnapshotVolumeName(this.#deps.instanceId), Target: DEPENDENCY_SNAPSHOTS_DIR }
        ]
      }
    })
    try {
      const output = await runToEnd(container, 'keeping the snapshot')
      const kib = Number.parseInt(output.trim().split('\n').pop() ?? '', 10)
      return Number.isFinite(kib) ? kib : 0
    } finally {
      await container.remove({ force: true }).catch(() => undefined)
    }
  }

  /** What captures of processes that ended midway left behind; never what a living process is using. */
  async #removeLeftovers(docker: Dockerode): Promise<void> {
    const mine = [`dev.sandlot.instance=${this.#deps.instanceId}`, 'dev.sandlot.role=deps']
    const containers = await docker.listContainers({ all: true, filters: { label: mine } })
    for (const c of containers) if (!creatorAlive(c.Labels[CREATOR_LABEL])) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
    const { Volumes } = await docker.listVolumes({ filters: { label: mine } })
    for (const v of Volumes ?? []) if (!creatorAlive(v.Labels?.[CREATOR_LABEL])) await docker.getVolume(v.Name).remove().catch(() => undefined)
  }

  #labels(imageTag?: string): Record<string, string> {
    return {
      'dev.sandlot.managed': 'true',
      'dev.sandlot.instance': this.#deps.instanceId,
      ...ROLE,
      [CREATOR_LABEL]: CREATOR,
      ...(imageTag ? { 'dev.sandlot.image-hash': imageTag.split(':')[1] ?? '' } : {})
    }
  }

  #now(): string {
    return (this.#deps.now?.() ?? new Date()).toISOString()
  }
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
