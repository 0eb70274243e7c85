import { z } from 'zod'
import { SyncStatus } from './sync'

/** Sync to a team orchestrator, as the desktop's faces see it (the wire to the orchestrator is in sync.ts). */
export const syncMethods = {
  /** On or off, what the orchestrator acknowledged last, what waits, how late, what was dropped, the last error and what to do. */
  'sync.status': { params: z.object({}).strict(), result: SyncStatus }
} as const

export const syncEvents = {
  /** The status after each batch sent or refused, and after a settings change (long-lived processes). */
  'sync.status': SyncStatus
} as const
