import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { SandlotDb } from './database'
import { meta } from './schema'

const INSTANCE_KEY = 'instance_id'

/**
 * The id that containers of this data folder carry (label `dev.sandlot.instance`), so two data folders on
 * one engine never touch each other's containers. Created once; a concurrent first open keeps the winner's.
 */
export function instanceId(db: SandlotDb): string {
  db.insert(meta).values({ key: INSTANCE_KEY, value: randomBytes(8).toString('hex') }).onConflictDoNothing().run()
  const row = db.select().from(meta).where(eq(meta.key, INSTANCE_KEY)).get()
  if (!row) throw new Error('instance id missing right after it was written')
  return row.value
}
