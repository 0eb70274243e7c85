import type Dockerode from 'dockerode'
import { instanceVolumeNames } from './container-spec'

/**
 * Creates the data folder's volumes with Sandlot's labels before a container mounts them (the engine would
 * make them unlabelled), so they can be found like every other object of the instance. Creating an existing
 * volume returns it unchanged.
 */
export async function ensureInstanceVolumes(docker: Dockerode, instanceId: string): Promise<void> {
  const Labels = { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': instanceId }
  for (const Name of instanceVolumeNames(instanceId)) await docker.createVolume({ Name, Labels })
}
