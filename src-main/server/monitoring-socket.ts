import type { WebSocket } from 'ws'
import type { CoreApi } from '../core/api'
import type { EventPayload } from '../core/contract'

/** A client this far behind (a stalled reader) is dropped rather than buffered for. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024

/** What the monitoring stream carries: the app's process events, its error groups, and workspace changes. */
type MonitoringEvent = 'history.events' | 'history.errors' | 'workspaces.changed'

/**
 * The seeds' `/ws/monitoring`: live process events (starts, readiness, crashes, restarts), error groups and
 * workspace changes as JSON text frames `{ "type": "event", "event", "payload" }`, of one workspace when the URL
 * names one. Live only: the history routes and their SSE streams (with Last-Event-ID) catch up on what was missed.
 */
export function serveMonitoringSocket(ws: WebSocket, api: CoreApi, workspace: string | undefined): { end(): void } {
  const send = <E extends MonitoringEvent>(event: E, payload: EventPayload<E>): void => {
    if (ws.readyState !== ws.OPEN) return
    ws.send(JSON.stringify({ type: 'event', event, payload }))
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate()
  }
  const unsubscribes = [
    api.subscribe('history.events', (p) => (workspace === undefined || p.workspace === workspace) && send('history.events', p)),
    api.subscribe('history.errors', (p) => (workspace === undefined || p.workspace === workspace) && send('history.errors', p)),
    api.subscribe('workspaces.changed', (p) => (workspace === undefined || p.name === workspace) && send('workspaces.changed', p))
  ]
  const end = (): void => unsubscribes.splice(0).forEach((unsubscribe) => unsubscribe())
  // Client frames carry nothing here; the socket only listens.
  ws.on('close', end)
  return { end }
}
