import { mkdtempSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../store/database'
import { runClaims, workspaces } from '../store/schema'
import { claimRoomToRun } from './running-cap'
import type { WorkspacePool } from './workspace-pool'

const opened: Database[] = []
afterEach(() => {
  for (const d of opened.splice(0)) d.close()
})

/** Two connections to one database file: what two Sandlot processes on one data folder have. */
function twoConnections(): [Database, Database] {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-cap-'))
  const open = (): Database => {
    const d = openDatabase({ file: join(dir, 'sandlot.db'), backupsDir: dir })
    opened.push(d)
    return d
  }
  return [open(), open()]
}

/** The cap's deps with an engine where these container ids run (what the engine says before the transaction). */
function deps(database: Database, running: string[], cap = 1) {
  return {
    db: database.db,
    pool: { instanceId: 'test' } as WorkspacePool,
    maxRunning: () => cap,
    engine: async <T>(work: (docker: Dockerode) => Promise<T>): Promise<T> =>
      work({ listContainers: async () => running.map((Id) => ({ Id })) } as unknown as Dockerode)
  }
}

function addWorkspace(database: Database, name: string, containerId: string): void {
  const at = new Date().toISOString()
  database.db.insert(workspaces).values({ name, templateId: 'shell', containerId, status: 'ready', phase: 'ready', createdAt: at, updatedAt: at }).run()
}

describe('claimRoomToRun', () => {
  it('counts a slot claimed on another connection and not settled, and frees it once settled before the look', async () => {
    const [a, b] = twoConnections()
    const slot = await claimRoomToRun(deps(a, []), 'first')
    await expect(claimRoomToRun(deps(b, []), 'second')).rejects.toMatchObject({ code: 'CONFLICT', message: '1 workspace runs already, the most workspaces.maxRunning allows (1): first.' })
    slot.settle()
    // Settled before this look began and not running: room.
    await new Promise((resolve) => setTimeout(resolve, 5))
    await expect(claimRoomToRun(deps(b, []), 'second')).resolves.toBeDefined()
  })

  it('counts a slot settled after the look began (its container may have started after the engine was asked)', async () => {
    const [a, b] = twoConnections()
    const slot = await claimRoomToRun(deps(a, []), 'first')
    const engineAsked = deps(b, [])
    let settleDuringLook = (): void => slot.settle()
    const looking = claimRoomToRun(
      {
        ...engineAsked,
        engine: async (work) => {
          const answer = await engineAsked.engine(work)
          settleDuringLook()
          settleDuringLook = () => {}
          return answer
        }
      },
      'second'
    )
    await expect(looking).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('counts running workspaces, not itself, and frees the slot of a process that died', async () => {
    const [a] = twoConnections()
    addWorkspace(a, 'runs', 'c1')
    await expect(claimRoomToRun(deps(a, ['c1']), 'other')).rejects.toMatchObject({ message: '1 workspace runs already, the most workspaces.maxRunning allows (1): runs.' })
    // Starting the one that runs again (a start racing a start of the same workspace) is not refused by itself.
    await expect(claimRoomToRun(deps(a, ['c1']), 'runs')).resolves.toBeDefined()
    a.db.delete(runClaims).run()
    a.db.insert(runClaims).values({ workspace: 'ghost', claimant: 'nowhere-host-that-is-not-this:1', at: new Date().toISOString() }).run()
    // Another host's claim cannot be checked: it counts.
    await expect(claimRoomToRun(deps(a, []), 'other')).rejects.toMatchObject({ message: expect.stringContaining(': ghost.') })
    // One on this host whose process is gone: free.
    a.db.update(runClaims).set({ claimant: `${hostname()}:2147483646` }).run()
    await expect(claimRoomToRun(deps(a, []), 'other')).resolves.toBeDefined()
  })

  it('leaves nothing when the work done with the claim throws, and at cap 0 records the slot without asking the engine', async () => {
    const [a] = twoConnections()
    await expect(
      claimRoomToRun(deps(a, []), 'w', () => {
        addWorkspace(a, 'w', 'c9')
        throw new Error('taken')
      })
    ).rejects.toThrow('taken')
    expect(a.db.select().from(workspaces).all()).toEqual([])
    expect(a.db.select().from(runClaims).all()).toEqual([])
    const noEngine = { ...deps(a, [], 0), engine: async () => Promise.reject(new Error('the engine was asked')) }
    await claimRoomToRun(noEngine, 'w')
    expect(a.db.select().from(runClaims).all().map((c) => c.workspace)).toEqual(['w'])
  })
})
