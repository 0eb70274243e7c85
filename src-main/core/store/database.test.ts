import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from './database'
import { instanceId } from './instance'
import { applyMigrations, bundledMigrations, type Migration } from './migrations'

const opened: Database[] = []
afterEach(() => {
  for (const d of opened.splice(0)) d.close()
})

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-db-'))
  return { file: join(dir, 'sandlot.db'), backupsDir: dir }
}

function open(options: Parameters<typeof openDatabase>[0]): Database {
  const d = openDatabase(options)
  opened.push(d)
  return d
}

/** A later schema change, as a future drizzle-kit migration would add it. */
const laterMigration: Migration = {
  tag: '9999_later',
  when: Number.MAX_SAFE_INTEGER,
  statements: ['CREATE TABLE later (id integer PRIMARY KEY, note text NOT NULL)', 'INSERT INTO later (note) VALUES (\'migrated\')'],
  hash: 'later'
}

describe('database', () => {
  it('creates a WAL database with every bundled migration applied and no backup', () => {
    const f = folder()
    const d = open(f)
    expect(d.applied).toEqual(bundledMigrations().map((m) => m.tag))
    expect(d.backup).toBeUndefined()
    expect(d.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
  })

  it('upgrades a database created by each older migration, keeping its data and a copy', () => {
    const all = [...bundledMigrations(), laterMigration]
    for (let k = 1; k < all.length; k++) {
      const f = folder()
      // A real file as an older Sandlot left it: the first k migrations and some data.
      const old = new BetterSqlite3(f.file)
      applyMigrations(old, all.slice(0, k))
      old.prepare(`INSERT INTO meta (key, value) VALUES ('instance_id', 'old-instance')`).run()
      old.close()

      const d = open({ ...f, migrations: all })
      expect(d.applied).toEqual(all.slice(k).map((m) => m.tag))
      expect(instanceId(d.db)).toBe('old-instance')
      expect(d.sqlite.prepare('SELECT note FROM later').get()).toEqual({ note: 'migrated' })
      expect(d.backup).toBeDefined()
      const copy = new BetterSqlite3(d.backup!, { readonly: true })
      expect(copy.prepare(`SELECT name FROM sqlite_master WHERE name = 'later'`).get()).toBeUndefined()
      expect(copy.prepare(`SELECT value FROM meta`).get()).toEqual({ value: 'old-instance' })
      copy.close()
    }
  })

  it('does nothing and copies nothing when the schema is current', () => {
    const f = folder()
    open(f).close()
    opened.pop()
    const again = open(f)
    expect(again.applied).toEqual([])
    expect(again.backup).toBeUndefined()
  })

  it('keeps only the newest three pre-migration copies', () => {
    const f = folder()
    const base = bundledMigrations()
    open(f).close()
    opened.pop()
    for (let i = 0; i < 5; i++) {
      const next = { ...laterMigration, tag: `999${i}_later`, when: Number.MAX_SAFE_INTEGER - 10 + i, statements: [`CREATE TABLE t${i} (id integer)`] }
      base.push(next)
      open({ ...f, migrations: [...base], now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, i)) }).close()
      opened.pop()
    }
    expect(readdirSync(f.backupsDir).filter((n) => n.endsWith('.db') && n.includes('-before-'))).toHaveLength(3)
  })

  it('refuses a database written by a newer Sandlot and leaves it untouched', () => {
    const f = folder()
    open({ ...f, migrations: [...bundledMigrations(), laterMigration] }).close()
    opened.pop()
    expect(() => openDatabase(f)).toThrow(/newer version of Sandlot/)
  })

  it('rolls back a failing migration completely', () => {
    const f = folder()
    open(f).close()
    opened.pop()
    const broken: Migration = { ...laterMigration, statements: ['CREATE TABLE half (id integer)', 'THIS IS NOT SQL'] }
    expect(() => openDatabase({ ...f, migrations: [...bundledMigrations(), broken] })).toThrow(/Cannot open the database/)
    const check = open(f)
    expect(check.sqlite.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined()
  })

  it('keeps one instance id across opens and concurrent connections', () => {
    const f = folder()
    const a = open(f)
    const b = open(f)
    const id = instanceId(a.db)
    expect(id).toMatch(/^[0-9a-f]{16}$/)
    expect(instanceId(b.db)).toBe(id)
  })
})
