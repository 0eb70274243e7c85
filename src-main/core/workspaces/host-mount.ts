import { statSync } from 'node:fs'
import type Dockerode from 'dockerode'
import type { EngineEndpoint } from '../contract'
import { SandlotError } from '../sandlot-error'
import { CREATOR } from './creator'

/**
 * `create --folder PATH --mount`: the host folder bind-mounted at /app, so an edit on either side is the same
 * file, with /app/node_modules in a volume of its own, so host and container binaries never mix.
 */

/** CONVENTIONS.md naming: `sandlot-<purpose>-<key>`, one per workspace. */
export function modulesVolumeName(instanceId: string, workspace: string): string {
  return `sandlot-modules-${instanceId}-${workspace}`
}

/** The mounts a mounted workspace's container adds to the hardened spec. */
export function hostFolderMounts(folder: string, instanceId: string, workspace: string): Dockerode.MountSettings[] {
  return [
    { Type: 'bind', Source: folder, Target: '/app' },
    { Type: 'volume', Source: modulesVolumeName(instanceId, workspace), Target: '/app/node_modules' }
  ]
}

/**
 * Made before the container, with Sandlot's labels, so removing the workspace (or the instance) finds it, and
 * made node's: a new volume's root is root's, and nothing in a workspace container may chown. A one-shot helper
 * holding only CHOWN, without network, does it (the image has no /app/node_modules for Docker to copy an owner from,
 * which would put an empty one into every other workspace).
 */
export async function createModulesVolume(docker: Dockerode, instanceId: string, workspace: string, imageTag: string): Promise<void> {
  const name = modulesVolumeName(instanceId, workspace)
  await docker.createVolume({ Name: name, Labels: { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': instanceId, 'dev.sandlot.workspace': workspace } })
  const helper = await docker.createContainer({
    Image: imageTag,
    User: 'root',
    Entrypoint: ['chown', '1000:1000', '/modules'],
    // Role deps with its creator: a helper left by a process that died is removed as the snapshot helpers are.
    Labels: { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': instanceId, 'dev.sandlot.role': 'deps', 'dev.sandlot.creator': CREATOR },
    HostConfig: {
      Mounts: [{ Type: 'volume', Source: name, Target: '/modules' }],
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      CapAdd: ['CHOWN'],
      SecurityOpt: ['no-new-privileges']
    }
  })
  try {
    await helper.start()
    const { StatusCode } = (await helper.wait()) as { StatusCode: number }
    if (StatusCode !== 0) throw new SandlotError('INTERNAL', `Making the node_modules volume ${name} node's failed (chown exited with ${StatusCode}).`)
  } finally {
    await helper.remove({ force: true }).catch(() => undefined)
  }
}

/** Gone with its workspace; one that never existed (a copied workspace) is no error. */
export async function removeModulesVolume(docker: Dockerode, instanceId: string, workspace: string): Promise<void> {
  await docker
    .getVolume(modulesVolumeName(instanceId, workspace))
    .remove()
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err
    })
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

/**
 * A bind mount names a folder on the engine's machine: only an engine on this one (its socket or pipe, or TCP
 * on loopback) sees the user's folder there. Any other is refused before anything is made.
 */
export function assertLocalEngine(endpoint: EngineEndpoint, folder: string): void {
  if (endpoint.kind === 'unix' || endpoint.kind === 'npipe') return
  const host = endpoint.kind === 'tcp' ? new URL(endpoint.url).hostname : undefined
  if (host !== undefined && LOOPBACK.test(host)) return
  throw new SandlotError(
    'BAD_REQUEST',
    `--mount needs an engine on this machine: the engine at ${endpoint.url} cannot see ${folder}.`,
    'Leave out --mount to copy the folder in instead (a snapshot of it), or use a local engine.'
  )
}

/** The user every workspace runs its app, execs and terminals as (`node` in the core image). */
const WORKSPACE_UID = 1000

/**
 * On Linux a bind mount keeps the host's owners and modes, so the workspace's user (uid 1000) must be able to
 * enter and read the folder, or the app fails at `cd /app` after its restarts, with no word of why. Docker
 * Desktop (macOS, Windows) shares folders through its VM with its own ownership mapping: not checked there.
 */
export function assertWorkspaceUserCanOpen(folder: string, platform: NodeJS.Platform = process.platform, stat = statSync(folder)): void {
  if (platform !== 'linux') return
  const mode = stat.mode & 0o777
  const can = (bits: number): boolean =>
    (stat.uid === WORKSPACE_UID && (mode & (bits << 6)) === bits << 6) || (stat.gid === WORKSPACE_UID && (mode & (bits << 3)) === bits << 3) || (mode & bits) === bits
  if (can(0o5)) return
  throw new SandlotError(
    'BAD_REQUEST',
    `The workspace's user (uid ${WORKSPACE_UID}) cannot open ${folder}: it is mode ${mode.toString(8).padStart(4, '0')}, owned by uid ${stat.uid}.`,
    `Give it access (\`sudo chown -R ${WORKSPACE_UID} ${folder}\` to edit from both sides, or \`chmod o+rx ${folder}\` to read only), or leave out --mount to copy the folder in.`
  )
}
