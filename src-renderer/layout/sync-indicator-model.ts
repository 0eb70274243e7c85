import type { SyncStatus } from '../../src-main/core/contract'
import { describeDuration } from '../../src-main/core/sync/sync-status-text'

/** Records waiting longer than this count as far behind (a batch goes every few seconds when all is well). */
export const FAR_BEHIND_MS = 10 * 60_000

export interface SyncIndicator {
  tone: 'error' | 'warn'
  /** A few words for the status bar. */
  text: string
  /** The whole story, for the tooltip. */
  title: string
}

/** What the status bar says about sync: only when it is on and failing or far behind; nothing otherwise. */
export function syncIndicator(status: SyncStatus | undefined): SyncIndicator | undefined {
  if (status === undefined || !status.enabled) return undefined
  const waiting = `${status.waiting} ${status.waiting === 1 ? 'record' : 'records'} waiting`
  if (status.lastError) {
    return { tone: 'error', text: 'Sync failing', title: `${status.lastError.message} ${waiting}. Open Settings for what to do.` }
  }
  if (status.waiting > 0 && status.lagMs >= FAR_BEHIND_MS) {
    return { tone: 'warn', text: `Sync ${describeDuration(status.lagMs)} behind`, title: `${waiting}, the oldest for ${describeDuration(status.lagMs)}. Open Settings to see the sync status.` }
  }
  return undefined
}
