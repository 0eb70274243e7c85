import { SandlotError } from '../sandlot-error'
import { workspaces } from '../store/schema'
import type { WorkspaceDeps } from './workspace-deps'

/**
 * Refuses one more running workspace at the `workspaces.maxRunning` cap, naming those that run. Checked before
 * anything is made; two creates at once may both pass (the cap bounds use, it is no lock).
 */
export async function assertRoomToRun(deps: Pick<WorkspaceDeps, 'db' | 'engine' | 'pool' | 'maxRunning'>): Promise<void> {
  const cap = deps.maxRunning?.() ?? 0
  if (cap === 0) return
  // Labels cannot say which container is a workspace's (a claimed pool container keeps role=pool): the database does.
  const running = await deps.engine((docker) => docker.listContainers({ filters: { label: [`dev.sandlot.instance=${deps.pool.instanceId}`], status: ['running'] } }))
  const ids = new Set(running.map((c) => c.Id))
  const names = deps.db.select().from(workspaces).all().filter((row) => ids.has(row.containerId)).map((row) => row.name).sort()
  if (names.length < cap) return
  throw new SandlotError(
    'CONFLICT',
    `${names.length} ${names.length === 1 ? 'workspace runs' : 'workspaces run'} already, the most workspaces.maxRunning allows (${cap}): ${names.join(', ')}.`,
    'Stop one first (`sandlot stop NAME`), or raise the cap: `sandlot config set workspaces.maxRunning N` (0: no cap).'
  )
}
