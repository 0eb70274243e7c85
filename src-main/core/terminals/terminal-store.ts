import { asc, eq } from 'drizzle-orm'
import { TerminalId, TerminalSize, TerminalTarget, type TerminalInfo } from '../contract'
import type { SandlotDb } from '../store/database'
import { terminals } from '../store/schema'
import type { SavedTerminal } from './terminal-service'

/** The terminals table: each open terminal's layout and its last screen, for reviving them after a restart. */
export class TerminalStore {
  readonly #db: SandlotDb
  readonly #now: () => string

  constructor(db: SandlotDb, now: () => string = () => new Date().toISOString()) {
    this.#db = db
    this.#now = now
  }

  /** Saves a terminal's layout (a new one, or a rename, resize or move), keeping its saved screen. */
  saveLayout(info: TerminalInfo): void {
    const layout = { name: info.name, target: JSON.stringify(info.target), position: info.position, cols: info.cols, rows: info.rows, updatedAt: this.#now() }
    this.#db
      .insert(terminals)
      .values({ id: info.id, ...layout, createdAt: info.createdAt })
      .onConflictDoUpdate({ target: terminals.id, set: layout })
      .run()
  }

  /** Saves several layouts at once (a new order of the tabs), in one transaction. */
  saveLayouts(infos: readonly TerminalInfo[]): void {
    // better-sqlite3 is synchronous: the saves on the same connection run inside the transaction.
    this.#db.transaction(() => {
      for (const info of infos) this.saveLayout(info)
    })
  }

  saveScreen(id: string, screen: string): void {
    this.#db.update(terminals).set({ screen, updatedAt: this.#now() }).where(eq(terminals.id, id)).run()
  }

  remove(id: string): void {
    this.#db.delete(terminals).where(eq(terminals.id, id)).run()
  }

  /** Saved terminals in layout order. A row that does not read back as a terminal is dropped and reported. */
  load(onProblem: (message: string) => void = () => undefined): SavedTerminal[] {
    const saved: SavedTerminal[] = []
    for (const row of this.#db.select().from(terminals).orderBy(asc(terminals.position)).all()) {
      let target: TerminalTarget | undefined
      try {
        target = TerminalTarget.parse(JSON.parse(row.target))
      } catch {
        target = undefined
      }
      const size = TerminalSize.safeParse({ cols: row.cols, rows: row.rows })
      if (target === undefined || !TerminalId.safeParse(row.id).success || !size.success) {
        onProblem(`A saved terminal (${row.id}) could not be read back and was dropped.`)
        this.remove(row.id)
        continue
      }
      saved.push({ id: row.id, name: row.name, target, position: row.position, ...size.data, createdAt: row.createdAt, screen: row.screen })
    }
    return saved
  }
}
