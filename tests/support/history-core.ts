// What a second ingesting process needs, loaded through Vite's module runner (see history-ingester.ts): the
// store embeds its SQL migrations with `import.meta.glob`, which only Vite understands. Only the history's
// own wiring, not the whole core: the runner cannot load node-pty (the terminals) as the app's bundle does.
import { EngineSession } from '../../src-main/core/engine-session'
import { HistoryService } from '../../src-main/core/history/history-service'
import { ensureDataFolder } from '../../src-main/core/data/data-folder'
import { readSettings } from '../../src-main/core/settings/settings-file'
import { openDatabase } from '../../src-main/core/store/database'
import { instanceId } from '../../src-main/core/store/instance'

export function openHistory(home: string, onProblem: (message: string) => void): { history: HistoryService; close(): void } {
  const paths = ensureDataFolder(home)
  const settings = () => readSettings(paths.settings).settings
  const engine = new EngineSession(settings().engine, { env: process.env })
  const database = openDatabase({ file: paths.database, backupsDir: paths.backups })
  const history = new HistoryService({
    sqlite: database.sqlite,
    instanceId: instanceId(database.db),
    engine: (work) => engine.use(work),
    events: () => engine.connection,
    retention: () => settings().history,
    describe: async () => undefined,
    onProblem
  })
  return {
    history,
    close() {
      history.stop()
      engine.close()
      database.close()
    }
  }
}
