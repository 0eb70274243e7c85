import type Dockerode from 'dockerode'
import { instanceVolumeNames, workspaceNetworkName } from '../../src-main/core/workspaces/container-spec'

/** Everything a test's data folder made on the engine: its containers (by label), volumes and networks. */
export async function removeInstanceObjects(docker: Dockerode, instanceId: string): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${instanceId}`] } })
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)))
  const labelled = (await docker.listVolumes({ filters: { label: [`dev.sandlot.instance=${instanceId}`] } })).Volumes ?? []
  for (const volume of [...instanceVolumeNames(instanceId), ...labelled.map((v) => v.Name)]) await docker.getVolume(volume).remove().catch(() => undefined)
  const networks = await docker.listNetworks({ filters: { name: [workspaceNetworkName(instanceId)] } })
  for (const network of networks) await docker.getNetwork(network.Id).remove().catch(() => undefined)
}
