import { createServer } from 'node:net'
import type Dockerode from 'dockerode'
import { WORKSPACE_NETWORK_OPTIONS, workspaceNetworkName } from './container-spec'
import { applyHostGuard, liftHostGuard } from './host-access-guard'

type NetworkInfo = Dockerode.NetworkInspectInfo
const ensuring = new Map<string, Promise<NetworkInfo>>()
/** Per network id, the host guard state this process last applied (see host-access-guard.ts). */
const guarded = new Map<string, Promise<void>>()

export interface HostGuardChoice {
  /** The `network.blockHostAccess` setting. */
  block: boolean
  /** An image with `chroot` for the helper that writes the rule (the core image). */
  image: string
}

/**
 * Creates the instance's workspace network once. The engine's duplicate check is racy (two creations at once
 * both succeed, and the name then fails every container create as ambiguous): creations in this process
 * share one call, and a duplicate made by another process at the same moment is removed again. With `guard`,
 * traffic from the network to the host's own addresses is blocked or allowed as the setting says (once per
 * process and state: the rule is the engine host's, shared by every process).
 */
export async function ensureWorkspaceNetwork(docker: Dockerode, instanceId: string, guard?: HostGuardChoice): Promise<void> {
  let running = ensuring.get(instanceId)
  if (!running) {
    running = createOnce(docker, instanceId).finally(() => ensuring.delete(instanceId))
    ensuring.set(instanceId, running)
  }
  const network = await running
  if (!guard) return
  const key = `${network.Id}:${guard.block}`
  let applying = guarded.get(key)
  if (!applying) {
    guarded.delete(`${network.Id}:${!guard.block}`)
    applying = applyHostGuard(docker, instanceId, network, guard.block, guard.image)
    // A failure is tried again next time, not remembered.
    applying.catch(() => guarded.delete(key))
    guarded.set(key, applying)
  }
  await applying
}

/** Removes the instance's workspace network, lifting the host guard's rule first if one was set. */
export async function removeWorkspaceNetwork(docker: Dockerode, instanceId: string): Promise<void> {
  const name = workspaceNetworkName(instanceId)
  for (const network of (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name)) {
    await liftHostGuard(docker, instanceId, network)
    await docker.getNetwork(network.Id).remove().catch(() => undefined)
    for (const key of guarded.keys()) if (key.startsWith(`${network.Id}:`)) guarded.delete(key)
  }
}

async function createOnce(docker: Dockerode, instanceId: string): Promise<NetworkInfo> {
  const name = workspaceNetworkName(instanceId)
  const named = async () => (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name)
  let existing = await named()
  if (existing.length === 0) {
    await docker
      .createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Options: { ...WORKSPACE_NETWORK_OPTIONS },
        Labels: { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': instanceId }
      })
      .catch((err: { statusCode?: number }) => {
        if (err.statusCode !== 409) throw err
      })
    existing = await named()
  }
  // Every process keeps the same one: the oldest. One already in use cannot be removed, and is left alone.
  const [kept, ...extra] = existing.sort((a, b) => Date.parse(a.Created) - Date.parse(b.Created) || a.Id.localeCompare(b.Id))
  for (const network of extra) await docker.getNetwork(network.Id).remove().catch(() => undefined)
  if (!kept) throw new Error(`the network ${name} vanished while it was being created`)
  return kept
}

/**
 * A free port on this machine's loopback, for a preview published at a fixed host port: Docker would pick a
 * new one at every start, and the URL a user bookmarked would break. (Engines on other machines come later.)
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
