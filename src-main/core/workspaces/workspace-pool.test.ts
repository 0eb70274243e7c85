import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../store/database'
import { poolContainers } from '../store/schema'
import { WorkspacePool } from './workspace-pool'

const opened: Database[] = []
afterEach(() => opened.splice(0).forEach((d) => d.close()))

function database(file: string): Database {
  const d = openDatabase({ file, backupsDir: join(file, '..') })
  opened.push(d)
  return d
}

function pool(db: Database): WorkspacePool {
  const noEngine = () => Promise.reject(new Error('no engine in this test'))
  return new WorkspacePool({ db: db.db, instanceId: 'i', engine: noEngine, settings: () => ({ size: 2, maxConcurrentCreates: 1 }) })
}

function seed(db: Database, count: number, imageTag = 'sandlot/core:aaaaaaaaaaaa'): void {
  for (let i = 0; i < count; i++) {
    db.db.insert(poolContainers).values({ containerId: imageTag.endsWith('a') ? `c${i}` : `other${i}`, imageTag, previewPort: 40000 + i, createdAt: `2026-01-01T00:00:0${i}Z` }).run()
  }
}

describe('pool claims', () => {
  it('hands out the oldest warm container of the right image, each once', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-pool-')), 'sandlot.db')
    const db = database(file)
    seed(db, 2)
    seed(db, 1, 'sandlot/core:bbbbbbbbbbbb')
    const p = pool(db)
    expect(p.claim('w1', 'sandlot/core:aaaaaaaaaaaa')).toEqual({ containerId: 'c0', previewPort: 40000 })
    expect(p.claim('w2', 'sandlot/core:aaaaaaaaaaaa')).toEqual({ containerId: 'c1', previewPort: 40001 })
    expect(p.claim('w3', 'sandlot/core:aaaaaaaaaaaa')).toBeUndefined()
    p.unclaim('c1')
    expect(p.claim('w4', 'sandlot/core:aaaaaaaaaaaa')?.containerId).toBe('c1')
  })

  it('never gives one container to two processes claiming at the same moment', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-pool-')), 'sandlot.db')
    seed(database(file), 8)
    const here = (name: string) => new URL(name, import.meta.url).pathname
    // Each process spins until one shared instant, then claims as fast as it can until the pool is empty.
    // (The database is already migrated above; each process opens its own connection, as separate processes do.)
    const script = `import BetterSqlite3 from 'better-sqlite3'
      import { drizzle } from 'drizzle-orm/better-sqlite3'
      import * as schema from ${JSON.stringify(here('../store/schema.ts'))}
      import { WorkspacePool } from ${JSON.stringify(here('./workspace-pool.ts'))}
      const db = drizzle(new BetterSqlite3(process.argv[1], { timeout: 10000 }), { schema })
      const pool = new WorkspacePool({ db, instanceId: 'i', engine: async () => { throw new Error('none') }, settings: () => ({ size: 0, maxConcurrentCreates: 1 }) })
      while (Date.now() < Number(process.argv[2])) {}
      const got = []
      for (;;) { const c = pool.claim('p' + process.pid, 'sandlot/core:aaaaaaaaaaaa'); if (!c) break; got.push(c.containerId) }
      console.log(JSON.stringify(got))`
    const startAt = String(Date.now() + 3_000)
    const runs = Array.from({ length: 4 }, () => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file, startAt]))
    const claimed = (await Promise.all(runs)).flatMap(({ stdout }) => JSON.parse(stdout) as string[])
    expect(claimed.sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'])
  }, 60_000)
})
