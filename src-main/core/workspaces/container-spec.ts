import type Dockerode from 'dockerode'

/** The one container port every workspace publishes; the monitor forwards it to the app's own port. */
export const PREVIEW_CONTAINER_PORT = 4700

/** npm's cache folder for `npm ci` installs (container/Dockerfile); only its content store is shared. */
export const SHARED_NPM_CACHE_FOLDER = '/home/node/.npm-shared'
/** npm's content-addressed blobs: named by their digest, and checked against it whenever npm reads one. */
export const SHARED_NPM_CONTENT = `${SHARED_NPM_CACHE_FOLDER}/_cacache/content-v2`
/** Where every workspace sees the instance's dependency snapshots, read-only. */
export const DEPENDENCY_SNAPSHOTS_DIR = '/opt/sandlot/deps'

/**
 * Who runs what in a workspace container: tini and the monitor as root, holding only these capabilities (every
 * other one dropped, no-new-privileges): setuid and setgid to start the app as `node`, kill to signal it across
 * users. The app and every exec run as `node` (uid 1000) with none, and cannot open the monitor's descriptors
 * (its record stream), signal it, or reach its control socket. Only `monitor-cli` execs run as the container's
 * own user (root), see container-exec.ts.
 */
export const MONITOR_CAPABILITIES = ['SETUID', 'SETGID', 'KILL'] as const
/** The container's own user: the monitor's. */
export const MONITOR_USER = 'root'

/** Resource limits when a template names none: enough for a dev server and an install, bounded all the same. */
export const DEFAULT_LIMITS = { memoryMb: 4096, cpus: 2, pids: 1024 } as const
export type ResourceLimits = { memoryMb: number; cpus: number; pids: number }

export interface WorkspaceContainerOptions {
  imageTag: string
  instanceId: string
  /** `sandlot-<workspace>` or `sandlot-pool-<id>`. */
  name: string
  role: 'pool' | 'workspace'
  workspace?: string
  templateId?: string
  /** The instance's workspace network, where containers cannot reach each other. */
  network: string
  /** The preview's host port, chosen once so the URL survives stops and starts. */
  previewHostPort: number
}

/**
 * A workspace container, hardened by default and the same for every template, so a warm one can serve any
 * of them: what only create can fix (published port, mounts, user, security) is fixed here; limits and the
 * app come at claim time (container update, monitor spec).
 */
export function workspaceContainerSpec(o: WorkspaceContainerOptions): Dockerode.ContainerCreateOptions {
  const labels: Record<string, string> = {
    'dev.sandlot.managed': 'true',
    'dev.sandlot.instance': o.instanceId,
    'dev.sandlot.role': o.role,
    'dev.sandlot.image-hash': o.imageTag.split(':')[1] ?? ''
  }
  if (o.workspace) labels['dev.sandlot.workspace'] = o.workspace
  if (o.templateId) labels['dev.sandlot.template'] = o.templateId
  const preview = `${PREVIEW_CONTAINER_PORT}/tcp`
  return {
    name: o.name,
    Image: o.imageTag,
    User: MONITOR_USER,
    WorkingDir: '/app',
    Labels: labels,
    ExposedPorts: { [preview]: {} },
    // Longer than the monitor's own graceful stop of the app, so `docker stop` never cuts its last record.
    StopTimeout: 15,
    HostConfig: {
      // Loopback only: a preview is never reachable from the network. Docker picks a free host port.
      PortBindings: { [preview]: [{ HostIp: '127.0.0.1', HostPort: String(o.previewHostPort) }] },
      NetworkMode: o.network,
      CapDrop: ['ALL'],
      CapAdd: [...MONITOR_CAPABILITIES],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: DEFAULT_LIMITS.pids,
      Memory: DEFAULT_LIMITS.memoryMb * 1024 * 1024,
      MemorySwap: DEFAULT_LIMITS.memoryMb * 1024 * 1024,
      NanoCpus: DEFAULT_LIMITS.cpus * 1e9,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
      Mounts: [
        // Only npm's content blobs are shared, used only by `npm ci` from a lockfile pinning every package by
        // integrity (install-plan.ts). What npm looks up by URL (its cache index: registry metadata, git
        // dependencies) stays in each container, as does everything else npm does there (npm install, npx):
        // shared, those would let one workspace plant code in another.
        { Type: 'volume', Source: npmContentVolumeName(o.instanceId), Target: SHARED_NPM_CONTENT },
        // Dependency snapshots, written only by a container that runs nothing but the install; read-only here.
        { Type: 'volume', Source: dependencySnapshotVolumeName(o.instanceId), Target: DEPENDENCY_SNAPSHOTS_DIR, ReadOnly: true }
      ],
      RestartPolicy: { Name: 'no' }
    }
  }
}

/** The limits a template asks for, applied at claim with a container update. */
export function limitsUpdate(limits: Partial<ResourceLimits> | undefined): Record<string, number> {
  const l = { ...DEFAULT_LIMITS, ...limits }
  return { Memory: l.memoryMb * 1024 * 1024, MemorySwap: l.memoryMb * 1024 * 1024, NanoCpus: Math.round(l.cpus * 1e9), PidsLimit: l.pids }
}

/** The host port Docker chose for the preview, from `inspect`. */
export function publishedPreviewPort(info: Dockerode.ContainerInspectInfo): number | undefined {
  const binding = info.NetworkSettings?.Ports?.[`${PREVIEW_CONTAINER_PORT}/tcp`]?.[0]
  return binding ? Number(binding.HostPort) : undefined
}

/** CONVENTIONS.md: `sandlot-<purpose>-<key>`; per instance, so two data folders never share a cache. */
export function npmContentVolumeName(instanceId: string): string {
  return `sandlot-npm-content-${instanceId}`
}

/** CONVENTIONS.md naming; one per data folder: the installed dependencies kept for reuse. */
export function dependencySnapshotVolumeName(instanceId: string): string {
  return `sandlot-deps-${instanceId}`
}

/** Every volume a data folder's workspaces use (what removing an instance removes). */
export function instanceVolumeNames(instanceId: string): string[] {
  return [npmContentVolumeName(instanceId), dependencySnapshotVolumeName(instanceId)]
}

/** CONVENTIONS.md naming; one per data folder. */
export function workspaceNetworkName(instanceId: string): string {
  return `sandlot-net-${instanceId}`
}

/**
 * The bridge options of the workspace network: containers reach the registries (outbound, masqueraded) but
 * not each other (inter-container traffic off), so one workspace cannot call into another's dev server.
 */
export const WORKSPACE_NETWORK_OPTIONS = { 'com.docker.network.bridge.enable_icc': 'false' } as const
