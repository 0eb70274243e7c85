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
