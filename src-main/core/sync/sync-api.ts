import { hostname } from 'node:os'
import type BetterSqlite3 from 'better-sqlite3'
import packageJson from '../../../package.json'
import type { EventSources, MethodHandlers } from '../api'
import type { Settings, SyncStatus, SyncWorkspace, Workspace } from '../contract'
import { EventChannel } from '../event-channel'
import { SyncOutbox } from './sync-outbox'
import { SyncService, type SyncTiming } from './sync-service'

export interface SyncDeps {
  sqlite: BetterSqlite3.Database
  settings: () => Settings['sync']
  workspaces: () => Promise<Workspace[]>
  timing?: Partial<SyncTiming>
  onProblem?: (message: string) => void
}

/**
 * Sync as the core holds it: the service (run by long-lived processes), the `sync.status` method (any process:
 * it reads the database) and its event.
 */
export function createSync(deps: SyncDeps) {
  const statusChanged = new EventChannel<SyncStatus>()
  // Where the process logs (serve's terminal and serve.log): each failure once per cause, and the recovery.
  let reported: string | undefined
  const report = (status: SyncStatus): void => {
    const message = status.enabled ? status.lastError?.message : undefined
    if (message === reported) return
    if (message !== undefined) deps.onProblem?.(`Sync: ${message} ${status.lastError?.hint ?? ''}`.trim())
    else if (reported !== undefined && status.enabled) deps.onProblem?.('Sync: the orchestrator acknowledges again.')
    reported = message
  }
  const service = new SyncService({
    outbox: new SyncOutbox(deps.sqlite),
    settings: deps.settings,
    workspaces: async () => (await deps.workspaces()).map(syncWorkspace),
    agent: { hostname: hostname().slice(0, 255), version: packageJson.version },
    onStatus: (status) => {
      statusChanged.emit(status)
      report(status)
    },
    ...(deps.onProblem ? { onProblem: deps.onProblem } : {}),
    ...(deps.timing ? { timing: deps.timing } : {})
  })
  const handlers: Pick<MethodHandlers, 'sync.status'> = { 'sync.status': () => service.status() }
  const events: Pick<EventSources, 'sync.status'> = { 'sync.status': statusChanged.subscribe }
  return { service, handlers, events }
}

/** A workspace as the fleet page shows it: a failed or creating one by that, a running one by its app's state. */
export function syncWorkspace(workspace: Workspace): SyncWorkspace {
  const state = workspace.status !== 'ready' ? workspace.status : workspace.container !== 'running' ? workspace.container : (workspace.app?.state ?? 'running')
  return {
    name: workspace.name,
    template: workspace.templateId.slice(0, 128),
    state: state.slice(0, 32),
    container: workspace.containerId === '' ? null : workspace.containerId.slice(0, 64),
    createdAt: workspace.createdAt.slice(0, 64)
  }
}
