import type Dockerode from 'dockerode'

/** The one container port every workspace publishes; the monitor forwards it to the app's own port. */
export const PREVIEW_CONTAINER_PORT = 4700

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
  /** The shared, integrity-checked npm cache volume. */
  npmCacheVolume: string
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
    User: 'node',
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
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: DEFAULT_LIMITS.pids,
      Memory: DEFAULT_LIMITS.memoryMb * 1024 * 1024,
      MemorySwap: DEFAULT_LIMITS.memoryMb * 1024 * 1024,
      NanoCpus: DEFAULT_LIMITS.cpus * 1e9,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
      // Only npm's content-addressed store is shared: npm checks each package it takes from it against the
      // lockfile's integrity. The rest of ~/.npm (npx installs, logs) stays in each container: npx reuses
      // what it finds there unchecked, so sharing it would let one workspace run code in another.
      Mounts: [{ Type: 'volume', Source: o.npmCacheVolume, Target: '/home/node/.npm/_cacache' }],
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
export function npmCacheVolumeName(instanceId: string): string {
  return `sandlot-npm-cache-${instanceId}`
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
