import { openSandlotCore } from '../../src-main/core/sandlot-core'
import { removeInstanceObjects } from './instance-cleanup'

/** Removes what a test's data folder made on the engine (containers, volumes, network of its instance). */
export async function removeDataFolderObjects(home: string): Promise<void> {
  const core = openSandlotCore({ home })
  try {
    await removeInstanceObjects(core.engine.connection.docker, core.instanceId)
  } finally {
    core.close()
  }
}
