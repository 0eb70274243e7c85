import { useCallback, useRef, useState } from 'react'
import type { Workspace } from '../../src-main/core/contract'
import { useBridge } from './bridge-context'
import { failureOf } from './creations-context'
import type { FailureInfo } from './creations'
import { useRefresh } from './use-refresh'

/** Other processes (the CLI, another window) change workspaces too: the list is asked for this often. */
const REFRESH_MS = 3_000

export interface WorkspaceList {
  /** Undefined until the first answer. */
  workspaces?: Workspace[]
  /** The last refresh failed (the list above is from before). */
  error?: FailureInfo
  /** Asks now; resolves once the answer (or a newer one) is shown. */
  refresh(): Promise<void>
}

/** `workspaces.list`, kept current while `enabled`; answers arriving out of order never replace newer ones. */
export function useWorkspaceList(enabled: boolean): WorkspaceList {
  const bridge = useBridge()
  const [state, setState] = useState<{ workspaces?: Workspace[]; error?: FailureInfo }>({})
  const asked = useRef(0)
  const shown = useRef(0)
  const inFlight = useRef(0)

  const refresh = useCallback(async (): Promise<void> => {
    const ask = ++asked.current
    inFlight.current += 1
    const show = (next: (previous: typeof state) => typeof state): void => {
      if (ask < shown.current) return
      shown.current = ask
      setState(next)
    }
    try {
      const workspaces = await bridge.call('workspaces.list', {})
      show(() => ({ workspaces }))
    } catch (err) {
      // A dropped link has its own banner; the list stays as it was.
      const error = failureOf(err)
      if (error.code !== 'DISCONNECTED') show((previous) => ({ ...previous, error }))
    } finally {
      inFlight.current -= 1
    }
  }, [bridge])

  // A slow engine must not pile up requests: a tick while one is out is skipped.
  const tick = useCallback(() => {
    if (inFlight.current === 0) void refresh()
  }, [refresh])
  useRefresh(tick, REFRESH_MS, enabled)

  return { ...state, refresh }
}
