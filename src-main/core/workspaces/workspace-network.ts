import { createServer } from 'node:net'
import type Dockerode from 'dockerode'
import { WORKSPACE_NETWORK_OPTIONS, workspaceNetworkName } from './container-spec'

const ensuring = new Map<string, Promise<void>>()

/**
 * Creates the instance's workspace network once. The engine's duplicate check is racy (two creations at once
 * both succeed, and the name then fails every container create as ambiguous): creations in this process
 * share one call, and a duplicate made by another process at the same moment is removed again.
 */
export function ensureWorkspaceNetwork(docker: Dockerode, instanceId: string): Promise<void> {
  const running = ensuring.get(instanceId)
  if (running) return running
  const work = createOnce(docker, instanceId).finally(() => ensuring.delete(instanceId))
  ensuring.set(instanceId, work)
  return work
}

async function createOnce(docker: Dockerode, instanceId: string): Promise<void> {
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
  const [, ...extra] = existing.sort((a, b) => Date.parse(a.Created) - Date.parse(b.Created) || a.Id.localeCompare(b.Id))
  for (const network of extra) await docker.getNetwork(network.Id).remove().catch(() => undefined)
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
