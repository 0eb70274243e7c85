import type { MethodHandlers, EventSources } from '../api'
import { SandlotError } from '../sandlot-error'
import type { HistoryService } from './history-service'

type HistoryMethod = 'history.logs' | 'history.errors' | 'history.errorContext' | 'history.events' | 'history.markSeen' | 'history.workspaces'
type HistoryEvent = 'history.logs' | 'history.events' | 'history.errors' | 'workspaces.changed'

/**
 * The `history.*` methods. Each read first stores what the containers logged since the last stored record
 * (a no-op where the process follows them live), so a CLI call answers from a complete history.
 */
export function historyHandlers(history: HistoryService): Pick<MethodHandlers, HistoryMethod> {
  const prepare = async (workspace: string | undefined): Promise<void> => {
    if (workspace !== undefined && !history.knows(workspace)) {
      throw new SandlotError('NOT_FOUND', `No workspace named "${workspace}", and no history kept of one.`, 'See them with `sandlot ls`.')
    }
    await history.catchUp(workspace)
  }
  return {
    'history.logs': async (query) => {
      await prepare(query.workspace)
      return history.logs(query)
    },
    'history.errors': async ({ workspace }) => {
      await prepare(workspace)
      return history.errors(workspace)
    },
    'history.errorContext': async (query) => {
      await prepare(query.workspace)
      const context = history.errorContext(query)
      if (context === undefined) {
        throw new SandlotError('NOT_FOUND', `${query.workspace} has no error ${query.fingerprint}.`, `See its errors with \`sandlot errors ${query.workspace}\`.`)
      }
      return context
    },
    'history.events': async (query) => {
      await prepare(query.workspace)
      return history.events(query)
    },
    'history.workspaces': async () => {
      await history.catchUp(undefined)
      return history.workspaces()
    },
    'history.markSeen': async ({ workspace }) => {
      await prepare(workspace)
      history.markSeen(workspace)
      return { workspace }
    }
  }
}

export function historyEventSources(history: HistoryService): Pick<EventSources, HistoryEvent> {
  return {
    'history.logs': history.logLines.subscribe,
    'history.events': history.timeline.subscribe,
    'history.errors': history.errorGroups.subscribe,
    'workspaces.changed': history.workspaceChanges.subscribe
  }
}
