import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TerminalInfo } from '../contract'
import { openDatabase, type Database } from '../store/database'
import { terminals } from '../store/schema'
import { TerminalStore } from './terminal-store'

const opened: { db: Database; dir: string }[] = []
afterEach(() =>
  opened.splice(0).forEach(({ db, dir }) => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })
)

function store(): { db: Database; store: TerminalStore } {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-terminal-store-'))
  const db = openDatabase({ file: join(dir, 'sandlot.db'), backupsDir: dir })
  opened.push({ db, dir })
  return { db, store: new TerminalStore(db.db, () => '2026-01-01T00:00:00.000Z') }
}

const info = (id: string, position: number): TerminalInfo => ({
  id,
  name: id,
  target: { kind: 'host' },
  state: 'running',
  exitCode: null,
  cols: 80,
  rows: 24,
  position,
  createdAt: '2026-01-01T00:00:00.000Z',
  revived: false
})

describe('TerminalStore', () => {
  it('saves a new order of several layouts and reads it back in that order', () => {
    const { store: terminalStore } = store()
    terminalStore.saveLayouts([info('tfirst', 1), info('tsecond', 0)])
    expect(terminalStore.load().map((t) => [t.id, t.position])).toEqual([
      ['tsecond', 0],
      ['tfirst', 1]
    ])
  })

  it('drops a saved terminal whose size is outside the terminal size limits, and says so', () => {
    const { db, store: terminalStore } = store()
    terminalStore.saveLayouts([info('tgood1', 0), info('tbad01', 1)])
    db.db.update(terminals).set({ cols: 5000 }).run()
    terminalStore.saveLayout(info('tgood1', 0))
    const problems: string[] = []
    expect(terminalStore.load((message) => problems.push(message)).map((t) => t.id)).toEqual(['tgood1'])
    expect(problems).toEqual([expect.stringContaining('tbad01')])
  })
})
