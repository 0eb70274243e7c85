import { createServer } from 'node:net'
import type Dockerode from 'dockerode'
import { WORKSPACE_NETWORK_OPTIONS, workspaceNetworkName } from './container-spec'

/** Creates the instance's workspace network once; a concurrent creation by another process is fine. */
export async function ensureWorkspaceNetwork(docker: Dockerode, instanceId: string): Promise<void> {
  const name = workspaceNetworkName(instanceId)
  const existing = await docker.listNetworks({ filters: { name: [name] } })
  if (existing.some((n) => n.Name === name)) return
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
