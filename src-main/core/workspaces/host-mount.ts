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
