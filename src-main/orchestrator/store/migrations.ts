/// <reference types="vite/client" />
import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { SandlotError } from '../../core/sandlot-error'
import type { OrchestratorDb } from './database'
import journal from './migrations/meta/_journal.json'

/**
 * The drizzle-kit migrations of the orchestrator's schema, embedded in the bundle (no SQL files looked up on disk)
 * and applied at start by both drivers. Two orchestrators may start on one PostgreSQL server at once: the check and
 * the changes run in one transaction holding an advisory lock, and a database written by a newer Sandlot is refused
 * instead of half-understood.
 */
const sqlFiles = import.meta.glob<string>('./migrations/*.sql', { query: '?raw', import: 'default', eager: true })

export interface PgMigration {
  tag: string
  /** drizzle-kit's creation time, the migration's ordering key. */
  when: number
  statements: string[]
  hash: string
}

/** Any constant shared by every orchestrator: the key of the advisory lock migrations hold. */
const MIGRATION_LOCK = 7_373_016

export function bundledMigrations(): PgMigration[] {
  return journal.entries.map((entry) => {
    const text = sqlFiles[`./migrations/${entry.tag}.sql`]
    if (text === undefined) throw new Error(`migration ${entry.tag} is in the journal but its SQL file is missing`)
    return {
      tag: entry.tag,
      when: entry.when,
      statements: text.split('--> statement-breakpoint').filter((s) => s.trim() !== ''),
      hash: createHash('sha256').update(text).digest('hex')
    }
  })
}

/** Applies what is pending, in one transaction; returns the tags applied. */
export async function applyMigrations(db: OrchestratorDb, migrations: PgMigration[] = bundledMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`)
    await tx.execute(sql`CREATE TABLE IF NOT EXISTS orchestrator_migrations (tag text PRIMARY KEY, hash text NOT NULL, created_at bigint NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
    const result = (await tx.execute(sql`SELECT max(created_at)::text AS last FROM orchestrator_migrations`)) as unknown as { rows: Array<{ last: string | null }> }
    // Both drivers answer raw queries with `rows`.
    const lastText = result.rows[0]?.last ?? null
    const last = lastText === null ? undefined : Number(lastText)
    const newest = migrations.at(-1)?.when ?? 0
    if (last !== undefined && last > newest) {
      throw new SandlotError(
        'DATABASE',
        'This orchestrator database was written by a newer version of Sandlot.',
        'Update Sandlot, or point --database or --data at another database.'
      )
    }
    const pending = migrations.filter((m) => last === undefined || m.when > last)
    for (const migration of pending) {
      for (const statement of migration.statements) await tx.execute(sql.raw(statement))
      await tx.execute(sql`INSERT INTO orchestrator_migrations (tag, hash, created_at) VALUES (${migration.tag}, ${migration.hash}, ${migration.when})`)
    }
    return pending.map((m) => m.tag)
  })
}
