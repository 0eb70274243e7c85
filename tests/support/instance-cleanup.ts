import type Dockerode from 'dockerode'
import { instanceVolumeNames } from '../../src-main/core/workspaces/container-spec'
import { removeWorkspaceNetwork } from '../../src-main/core/workspaces/workspace-network'

/** Everything a test's data folder made on the engine: its containers (by label), volumes and networks. */
export async function removeInstanceObjects(docker: Dockerode, instanceId: string): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${instanceId}`] } })
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)))
  // Before the volumes: its host guard rule (network.blockHostAccess) goes with it, found through its marker volume.
  await removeWorkspaceNetwork(docker, instanceId)
  const labelled = (await docker.listVolumes({ filters: { label: [`dev.sandlot.instance=${instanceId}`] } })).Volumes ?? []
  for (const volume of [...instanceVolumeNames(instanceId), ...labelled.map((v) => v.Name)]) await docker.getVolume(volume).remove().catch(() => undefined)
}
