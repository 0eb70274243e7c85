import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import pg from 'pg'
import { SandlotError } from '../../core/sandlot-error'
import { acquireFolderLock } from './folder-lock'
import { applyMigrations, type PgMigration } from './migrations'
import * as schema from './schema'

/** The same drizzle API over either driver: node-postgres for a PostgreSQL server, PGlite embedded. */
export type OrchestratorDb = PgDatabase<PgQueryResultHKT, typeof schema>

export interface OrchestratorDatabase {
  db: OrchestratorDb
  driver: 'postgres' | 'pglite'
  /** Where the data lives, for messages: the server (without its password) or the folder. */
  where: string
  /** Tags of the migrations this open applied. */
  applied: string[]
  close(): Promise<void>
}

export type DatabaseTarget =
  /** A PostgreSQL server: `postgres://user:password@host:port/database`. */
  | { url: string }
  /** PGlite in this folder (created if needed); no folder keeps it in memory (tests). */
  | { folder: string | undefined }

export async function openOrchestratorDatabase(target: DatabaseTarget, migrations?: PgMigration[]): Promise<OrchestratorDatabase> {
  const opened = 'url' in target ? await openPostgres(target.url) : await openPglite(target.folder)
  try {
    const applied = await applyMigrations(opened.db, migrations)
    return { ...opened, applied }
  } catch (err) {
    await opened.close()
    throw err instanceof SandlotError ? err : new SandlotError('DATABASE', `Cannot prepare the orchestrator database (${opened.where}): ${(err as Error).message}`)
  }
}

async function openPostgres(url: string): Promise<Omit<OrchestratorDatabase, 'applied'>> {
  const where = redactedUrl(url)
  const pool = new pg.Pool({ connectionString: url, max: 8 })
  // An idle client losing its server (a restart) must not end the process: the next query reconnects.
  pool.on('error', () => undefined)
  try {
    const client = await pool.connect()
    client.release()
  } catch (err) {
    await pool.end()
    throw new SandlotError(
      'DATABASE',
      `Cannot connect to PostgreSQL at ${where}: ${(err as Error).message}`,
      'Check that the server is running and that the URL, user and password are right (postgres://user:password@host:port/database).',
      { cause: err }
    )
  }
  return { db: drizzleNodePostgres(pool, { schema }) as unknown as OrchestratorDb, driver: 'postgres', where, close: () => pool.end() }
}

async function openPglite(folder: string | undefined): Promise<Omit<OrchestratorDatabase, 'applied'>> {
  // PGlite is one process's database: a second process on the same folder would corrupt it.
  const lock = folder === undefined ? undefined : acquireFolderLock(folder)
  try {
    const dataDir = folder === undefined ? undefined : join(folder, 'pgdata')
    if (folder !== undefined) mkdirSync(folder, { recursive: true, mode: 0o700 })
    const client = await PGlite.create(dataDir)
    return {
      db: drizzlePglite(client, { schema }) as unknown as OrchestratorDb,
      driver: 'pglite',
      where: folder ?? 'memory',
      close: async () => {
        try {
          await client.close()
        } finally {
          lock?.release()
        }
      }
    }
  } catch (err) {
    lock?.release()
    throw err instanceof SandlotError
      ? err
      : new SandlotError('DATABASE', `Cannot open the embedded database in ${folder ?? 'memory'}: ${(err as Error).message}`, 'Check that the folder is writable.', {
          cause: err
        })
  }
}

/** The URL without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the given --database URL'
  }
}
