import { and, eq } from 'drizzle-orm'
import { SandlotError } from '../sandlot-error'
import { runClaims, workspaces } from '../store/schema'
import { CREATOR, creatorAlive } from './creator'
import type { WorkspaceDeps } from './workspace-deps'

/** A workspace's slot under the cap, held while its container starts; settled once it runs or failed to. */
export interface RunSlot {
  settle(): void
}

/**
 * Takes a slot for one more running workspace, or refuses it at the `workspaces.maxRunning` cap, naming what
 * runs or is starting. The engine is looked at first (that is asynchronous); then one IMMEDIATE transaction
 * counts those running, the slots claimed and not settled, and those settled since the look began (their
 * container may have started after it), and takes the slot: across processes sharing the database, two
 * creates or starts at once cannot both take the last one. `alsoClaim` runs in that transaction (a create's
 * row: a create refused at the cap leaves nothing).
 */
export async function claimRoomToRun(
  deps: Pick<WorkspaceDeps, 'db' | 'engine' | 'pool' | 'maxRunning'>,
  name: string,
  alsoClaim: () => void = () => {}
): Promise<RunSlot> {
  const cap = deps.maxRunning?.() ?? 0
  // The machine's clock, not an injected one: slots are compared across processes.
  const now = (): string => new Date().toISOString()
  const lookedAt = now()
  // Labels cannot say which container is a workspace's (a claimed pool container keeps role=pool): the database does.
  const runningIds =
    cap === 0
      ? new Set<string>()
      : new Set((await deps.engine((docker) => docker.listContainers({ filters: { label: [`dev.sandlot.instance=${deps.pool.instanceId}`], status: ['running'] } }))).map((c) => c.Id))
  deps.db.transaction(
    (tx) => {
      if (cap > 0) {
        const busy = new Set(
          tx
            .select({ name: workspaces.name, containerId: workspaces.containerId })
            .from(workspaces)
            .all()
            .filter((row) => runningIds.has(row.containerId))
            .map((row) => row.name)
        )
        for (const claim of tx.select().from(runClaims).all()) {
          if (claim.claimant ? creatorAlive(claim.claimant) : claim.at >= lookedAt) busy.add(claim.workspace)
        }
        busy.delete(name)
        if (busy.size >= cap) throw atCap([...busy].sort(), cap)
      }
      alsoClaim()
      const claim = { claimant: CREATOR, at: now() }
      tx.insert(runClaims).values({ workspace: name, ...claim }).onConflictDoUpdate({ target: runClaims.workspace, set: claim }).run()
    },
    { behavior: 'immediate' }
  )
  return {
    settle: () => {
      deps.db
        .update(runClaims)
        .set({ claimant: null, at: now() })
        .where(and(eq(runClaims.workspace, name), eq(runClaims.claimant, CREATOR)))
        .run()
    }
  }
}

/** Forgets a removed workspace's slot. */
export function dropRunClaim(deps: Pick<WorkspaceDeps, 'db'>, name: string): void {
  deps.db.delete(runClaims).where(eq(runClaims.workspace, name)).run()
}

function atCap(names: string[], cap: number): SandlotError {
  return new SandlotError(
    'CONFLICT',
    `${names.length} ${names.length === 1 ? 'workspace runs' : 'workspaces run'} already, the most workspaces.maxRunning allows (${cap}): ${names.join(', ')}.`,
    'Stop one first (`sandlot stop NAME`), or raise the cap: `sandlot config set workspaces.maxRunning N` (0: no cap).'
  )
}
