/// <reference types="vite/client" />
import { createHash } from 'node:crypto'
import type BetterSqlite3 from 'better-sqlite3'
import { SandlotError } from '../sandlot-error'
import journal from './migrations/meta/_journal.json'

/**
 * The drizzle-kit migrations, embedded in the bundle so the app, the CLI and tests never look for SQL files
 * on disk. Applied here rather than with drizzle's migrator because two Sandlot processes may open a
 * database at once: the check and the changes run in one IMMEDIATE transaction, and a database written by a
 * newer Sandlot is refused instead of half-understood. The bookkeeping table is drizzle's own.
 */
const sqlFiles = import.meta.glob<string>('./migrations/*.sql', { query: '?raw', import: 'default', eager: true })

export interface Migration {
  tag: string
  /** drizzle-kit's creation time, the migration's ordering key. */
  when: number
  statements: string[]
  hash: string
}

const MIGRATIONS_TABLE = '__drizzle_migrations'

export function bundledMigrations(): Migration[] {
  return journal.entries.map((entry) => {
    const sql = sqlFiles[`./migrations/${entry.tag}.sql`]
    if (sql === undefined) throw new Error(`migration ${entry.tag} is in the journal but its SQL file is missing`)
    return {
      tag: entry.tag,
      when: entry.when,
      statements: sql.split('--> statement-breakpoint').filter((s) => s.trim() !== ''),
      hash: createHash('sha256').update(sql).digest('hex')
    }
  })
}

function lastAppliedWhen(sqlite: BetterSqlite3.Database): number | undefined {
  const table = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`).get(MIGRATIONS_TABLE)
  if (!table) return undefined
  const row = sqlite.prepare(`SELECT max(created_at) AS last FROM ${MIGRATIONS_TABLE}`).get() as { last: number | null }
  return row.last === null ? undefined : Number(row.last)
}

export function pendingMigrations(sqlite: BetterSqlite3.Database, migrations: Migration[]): Migration[] {
  const last = lastAppliedWhen(sqlite)
  const newest = migrations.at(-1)?.when ?? 0
  if (last !== undefined && last > newest) {
    throw new SandlotError(
      'DATABASE',
      'This data folder was written by a newer version of Sandlot.',
      'Update Sandlot, or point SANDLOT_HOME at another data folder.'
    )
  }
  return migrations.filter((m) => last === undefined || m.when > last)
}

/** Applies what is pending; returns the tags applied. Safe when another process migrates at the same time. */
export function applyMigrations(sqlite: BetterSqlite3.Database, migrations: Migration[]): string[] {
  return sqlite
    .transaction(() => {
      sqlite.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric)`)
      const pending = pendingMigrations(sqlite, migrations)
      const record = sqlite.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at) VALUES (?, ?)`)
      for (const migration of pending) {
        for (const statement of migration.statements) sqlite.exec(statement)
        record.run(migration.hash, migration.when)
      }
      return pending.map((m) => m.tag)
    })
    .immediate()
}
