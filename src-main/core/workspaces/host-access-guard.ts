import type Dockerode from 'dockerode'
import { SandlotError } from '../sandlot-error'
import { unlessMissing } from '../engine'

/**
 * The `network.blockHostAccess` setting. Workspaces cannot reach the host's loopback-only services, but
 * everything the host offers on its other addresses (0.0.0.0) answers them through the network's gateway.
 * Traffic from a container to any address of the engine's host enters the host's INPUT chain on the network's
 * bridge; one rule there drops it (replies to connections the host opened, such as the preview's, still
 * pass). Docker offers no setting for that on the engines Sandlot supports (20.10+), so the rule is written
 * with the host's own iptables, by a short-lived helper container on the engine's host: in the host's network
 * namespace with NET_ADMIN, the host's root mounted (its iptables is the one the engine uses). On Docker Desktop the "host" is Desktop's Linux VM,
 * so the rule guards the VM's addresses (host.docker.internal is forwarded by Desktop itself and is not
 * covered). Rootless engines cannot change the host's rules: the helper fails and the create says so.
 *
 * Where the rule was set is remembered by a labelled marker volume, so turning the setting off removes the rule
 * again at the next container Sandlot creates, and removing the network removes the rule first.
 */

function hostGuardMarkerName(instanceId: string): string {
  return `sandlot-host-guard-${instanceId}`
}

/** The bridge interface Docker made for a network: its own name option, or `br-` and the id's first 12 characters. */
export function bridgeInterface(network: { Id: string; Options?: Record<string, string> }): string {
  return network.Options?.['com.docker.network.bridge.name'] ?? `br-${network.Id.slice(0, 12)}`
}

/** The shell script the helper runs on the host: idempotent both ways (`-C` before `-I`; `-D` until none is left). */
export function guardScript(action: 'add' | 'remove', bridge: string): string {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(bridge)) throw new Error(`not an interface name: ${bridge}`)
  // No comment match: xt_comment may not be loaded on the host, and the helper cannot load modules.
  const rule = `INPUT -i ${bridge} -m conntrack ! --ctstate ESTABLISHED,RELATED -j DROP`
  const body = action === 'add' ? `iptables -C ${rule} 2>/dev/null || iptables -I ${rule}` : `while iptables -D ${rule} 2>/dev/null; do :; done`
  return `PATH=/usr/sbin:/sbin:/usr/bin:/bin; ${body}`
}

/** Sets (block) or lifts the rule for the network; `image` is any image with `chroot` (the core image). */
export async function applyHostGuard(docker: Dockerode, instanceId: string, network: { Id: string; Options?: Record<string, string> }, block: boolean, image: string): Promise<void> {
  const marker = hostGuardMarkerName(instanceId)
  const marked = (await unlessMissing(docker.getVolume(marker).inspect())) !== undefined
  if (!block && !marked) return
  await runOnHost(docker, image, guardScript(block ? 'add' : 'remove', bridgeInterface(network)), instanceId)
  if (block && !marked) {
    await docker
      .createVolume({ Name: marker, Labels: { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': instanceId, 'dev.sandlot.helper-image': image } })
      .catch((err: { statusCode?: number }) => {
        if (err.statusCode !== 409) throw err
      })
  }
  if (!block) await unlessMissing(docker.getVolume(marker).remove())
}

/** Lifts the rule of a network about to be removed, if one was set (the marker names the helper image). */
export async function liftHostGuard(docker: Dockerode, instanceId: string, network: { Id: string; Options?: Record<string, string> }): Promise<void> {
  const marker = await unlessMissing(docker.getVolume(hostGuardMarkerName(instanceId)).inspect())
  const image = marker?.Labels?.['dev.sandlot.helper-image']
  if (image) await applyHostGuard(docker, instanceId, network, false, image)
}

async function runOnHost(docker: Dockerode, image: string, script: string, instanceId: string): Promise<void> {
  const container = await docker.createContainer({
    Image: image,
    User: '0',
    Entrypoint: ['chroot', '/host', 'sh', '-c', script],
    Cmd: [],
    Labels: { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': instanceId, 'dev.sandlot.role': 'host-guard' },
    // NET_ADMIN is all iptables needs; --privileged would also ask for capabilities some engines cannot grant.
    HostConfig: { NetworkMode: 'host', CapAdd: ['NET_ADMIN', 'NET_RAW'], Binds: ['/:/host'], AutoRemove: false }
  })
  try {
    await container.start()
    const { StatusCode } = (await container.wait()) as { StatusCode: number }
    if (StatusCode !== 0) {
      // Docker's stream framing and any control characters out: this text ends up in an error message.
      const logs = String(await container.logs({ stdout: true, stderr: true }).catch(() => ''))
        .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
        .slice(-500)
      // The engine cannot honour the setting (no error code is the engine's own short of unreachable): CONFLICT.
      throw new SandlotError(
        'CONFLICT',
        `Could not set the rule that blocks workspaces from the host's addresses (network.blockHostAccess): the helper exited with ${StatusCode}.`,
        `It needs a Linux engine that manages its own iptables (not rootless). To create workspaces without it: \`sandlot config set network.blockHostAccess false\`. Helper output: ${logs.trim() || '(none)'}`
      )
    }
  } finally {
    await container.remove({ force: true }).catch(() => undefined)
  }
}
