import { z } from 'zod'
import { AppState, Timestamp } from '../../../container/src/protocol'

/**
 * The app's state in a workspace, as the history derives it from the monitor's records. Its own file so that
 * both the workspace and the history contracts can use it without importing each other.
 */

/** The monitor's own states (one source, container/src/protocol.ts), `unhealthy` among them. */
export const AppStateName = AppState
export type AppStateName = z.infer<typeof AppStateName>

/** What the history knows of a workspace's app: shown in lists beside the container's state. */
export const AppStatus = z.object({
  state: AppStateName,
  /** When it entered that state (the record's time). */
  since: Timestamp,
  /** Automatic restarts (after crashes or failed health checks) in the monitor's current boot. */
  restarts: z.number().int().min(0),
  /** The last crash of the app, whichever boot it was in. */
  lastExit: z.object({ code: z.number().int().nullable(), signal: z.string().nullable(), at: Timestamp }).optional(),
  /** Errors (distinct fingerprints) first or again seen since the user last looked (`history.markSeen`). */
  unreadErrors: z.number().int().min(0)
})
export type AppStatus = z.infer<typeof AppStatus>

/** Each state in words, the same in the CLI (`sandlot ls`, `show`) and the window (capitalised there). */
export const APP_STATE_TEXT: Record<AppStateName, string> = {
  idle: 'no app',
  starting: 'starting',
  running: 'running',
  ready: 'ready',
  unhealthy: 'unhealthy',
  stopping: 'stopping',
  stopped: 'stopped',
  crashed: 'crashed',
  'backing-off': 'restarting',
  failed: 'gave up'
}

/**
 * The app's status as one short text for every face: its state, then its automatic restarts when there were
 * any, and the last exit while it is down or about to restart: "ready (5 restarts)", "crashed (1 restart, exit 1)".
 */
export function appStatusText(app: Pick<AppStatus, 'state' | 'restarts' | 'lastExit'>): string {
  const down = app.state === 'crashed' || app.state === 'failed' || app.state === 'backing-off'
  const exit = down && app.lastExit ? `exit ${app.lastExit.signal ?? app.lastExit.code ?? '?'}` : ''
  const detail = [app.restarts > 0 ? `${app.restarts} ${app.restarts === 1 ? 'restart' : 'restarts'}` : '', exit].filter(Boolean).join(', ')
  return `${APP_STATE_TEXT[app.state]}${detail ? ` (${detail})` : ''}`
}
