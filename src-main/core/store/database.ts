import { chmodSync, closeSync, existsSync, openSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { SandlotError } from '../sandlot-error'
import { applyMigrations, bundledMigrations, pendingMigrations, type Migration } from './migrations'
import * as schema from './schema'

export type SandlotDb = BetterSQLite3Database<typeof schema>

export interface Database {
  sqlite: BetterSqlite3.Database
  db: SandlotDb
  /** Tags of the migrations this open applied. */
  applied: string[]
  /** The copy taken before migrating an existing database, if any. */
  backup: string | undefined
  close(): void
}

export interface OpenDatabaseOptions {
  file: string
  backupsDir: string
  /** Path of a better-sqlite3 binary built for this runtime (Electron); the module's own build otherwise. */
  nativeBinding?: string
  migrations?: Migration[]
  now?: () => Date
}

/** How many pre-migration copies to keep; older ones are removed. */
const BACKUPS_KEPT = 3

/**
 * Opens (creating if needed) the history database in WAL mode, so the app, `serve` and CLI calls can use it
 * at once, then brings its schema up to date, copying the file first when an existing database changes.
 */
export function openDatabase(options: OpenDatabaseOptions): Database {
  const migrations = options.migrations ?? bundledMigrations()
  const existed = existsSync(options.file)
  let sqlite: BetterSqlite3.Database
  try {
    // Created owner-only before SQLite opens it: SQLite gives the -wal and -shm files the database's mode.
    if (!existed) closeSync(openSync(options.file, 'a', 0o600))
    sqlite = new BetterSqlite3(options.file, { nativeBinding: options.nativeBinding, timeout: 10_000 })
  } catch (err) {
    throw databaseError(options.file, err)
  }
  try {
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('foreign_keys = ON')
    const backup = existed ? backupBeforeMigrating(sqlite, migrations, options) : undefined
    const applied = applyMigrations(sqlite, migrations)
    return { sqlite, db: drizzle(sqlite, { schema }), applied, backup, close: () => sqlite.close() }
  } catch (err) {
    sqlite.close()
    throw err instanceof SandlotError ? err : databaseError(options.file, err)
  }
}

function backupBeforeMigrating(sqlite: BetterSqlite3.Database, migrations: Migration[], options: OpenDatabaseOptions): string | undefined {
  const pending = pendingMigrations(sqlite, migrations)
  const first = pending[0]
  if (first === undefined) return undefined
  const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')
  const target = join(options.backupsDir, `sandlot-${stamp}-before-${first.tag}.db`)
  // VACUUM INTO writes a consistent, compact copy even while other connections use the database.
  sqlite.prepare('VACUUM INTO ?').run(target)
  // A copy of the history is as private as the history.
  chmodSync(target, 0o600)
  pruneBackups(options.backupsDir)
  return target
}

function pruneBackups(dir: string): void {
  const copies = readdirSync(dir)
    .filter((name) => /^sandlot-.*-before-.*\.db$/.test(name))
    .sort()
  for (const name of copies.slice(0, Math.max(0, copies.length - BACKUPS_KEPT))) rmSync(join(dir, name), { force: true })
}

function databaseError(file: string, err: unknown): SandlotError {
  const message = (err as Error).message ?? String(err)
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
    return new SandlotError(
      'DATABASE',
      `The SQLite module was built for another runtime: ${message}`,
      'Run `npm run native:electron` for the desktop app, or `npm rebuild better-sqlite3` for the CLI and tests.',
      { cause: err }
    )
  }
  return new SandlotError(
    'DATABASE',
    `Cannot open the database ${file}: ${message}`,
    'Check the data folder is writable and not on a network share; restore a copy from its backups folder if the file is damaged.',
    { cause: err }
  )
}
