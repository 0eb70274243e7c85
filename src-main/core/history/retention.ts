import { setImmediate as yieldToIngest } from 'node:timers/promises'
import type BetterSqlite3 from 'better-sqlite3'

export interface RetentionSettings {
  /** The newest this many log lines of each workspace are kept. */
  logLinesPerWorkspace: number
  /** Log lines older than this are dropped. */
  logDays: number
  /** Timeline entries and error occurrences older than this are dropped; error groups not seen since, too. */
  eventDays: number
}

/** Rows per delete: a few milliseconds of write lock, so ingest (here and in other processes) never waits long. */
const BATCH = 1000
const DAY_MS = 86_400_000

/**
 * Keeps the history bounded. Every delete is a small batch in its own transaction and the event loop turns
 * between batches, so a prune of a million lines interleaves with the ingest instead of stopping it.
 */
export class HistoryRetention {
  readonly #sqlite: BetterSqlite3.Database
  readonly #settings: () => RetentionSettings
  readonly #now: () => number

  constructor(sqlite: BetterSqlite3.Database, settings: () => RetentionSettings, now: () => number = Date.now) {
    this.#sqlite = sqlite
    this.#settings = settings
    this.#now = now
  }

  /** One pass over every workspace with history; returns the rows deleted. */
  async prune(): Promise<number> {
    const settings = this.#settings()
    let deleted = 0
    for (const { workspace } of this.#sqlite.prepare('SELECT DISTINCT workspace FROM history_cursors').all() as { workspace: string }[]) {
      deleted += await this.pruneLogs(workspace, settings)
    }
    const eventsBefore = this.#now() - settings.eventDays * DAY_MS
    deleted += await this.#inBatches('DELETE FROM history_events WHERE id IN (SELECT id FROM history_events WHERE ts < ? LIMIT ?)', [eventsBefore])
    deleted += await this.#inBatches('DELETE FROM error_occurrences WHERE id IN (SELECT id FROM error_occurrences WHERE ts < ? LIMIT ?)', [eventsBefore])
    deleted += await this.#inBatches('DELETE FROM error_groups WHERE rowid IN (SELECT rowid FROM error_groups WHERE last_seen < ? LIMIT ?)', [eventsBefore])
    return deleted
  }

  /** A workspace's log lines beyond its count or older than the age limit. */
  async pruneLogs(workspace: string, settings = this.#settings()): Promise<number> {
    let deleted = await this.#inBatches('DELETE FROM log_lines WHERE id IN (SELECT id FROM log_lines WHERE workspace = ? AND ts < ? LIMIT ?)', [
      workspace,
      this.#now() - settings.logDays * DAY_MS
    ])
    // The id of the newest line past the count limit: it and everything older of this workspace go.
    const over = this.#sqlite.prepare('SELECT id FROM log_lines WHERE workspace = ? ORDER BY id DESC LIMIT 1 OFFSET ?').get(workspace, settings.logLinesPerWorkspace) as
      | { id: number }
      | undefined
    if (over) {
      deleted += await this.#inBatches('DELETE FROM log_lines WHERE id IN (SELECT id FROM log_lines WHERE workspace = ? AND id <= ? ORDER BY id LIMIT ?)', [workspace, over.id])
    }
    return deleted
  }

  /** Everything stored of a workspace (`sandlot rm --purge`). */
  async purge(workspace: string): Promise<number> {
    let deleted = 0
    for (const table of ['log_lines', 'history_events', 'error_occurrences']) {
      deleted += await this.#inBatches(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE workspace = ? LIMIT ?)`, [workspace])
    }
    deleted += this.#sqlite.prepare('DELETE FROM error_groups WHERE workspace = ?').run(workspace).changes
    deleted += this.#sqlite.prepare('DELETE FROM history_cursors WHERE workspace = ?').run(workspace).changes
    return deleted
  }

  async #inBatches(sql: string, args: unknown[]): Promise<number> {
    const statement = this.#sqlite.prepare(sql)
    let total = 0
    for (;;) {
      const { changes } = statement.run(...args, BATCH)
      total += changes
      if (changes < BATCH) return total
      await yieldToIngest()
    }
  }
}
