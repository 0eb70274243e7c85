import { useCallback, useRef, useState } from 'react'
import type { Workspace } from '../../src-main/core/contract'
import { callError, isLinkError, type CallError } from '../bridge/bridge'
import { useBridge } from './bridge-context'
import { reuseUnchanged } from './reuse-unchanged'
import { useRefresh } from './use-refresh'

/** Other processes (the CLI, another window) change workspaces too: the list is asked for this often. */
const REFRESH_MS = 3_000

interface ListState {
  /** Undefined until the first answer. */
  workspaces?: readonly Workspace[]
  /** The last refresh failed (the list above is from before). */
  error?: CallError
}

export interface WorkspaceList extends ListState {
  /** Asks now; resolves once the answer (or a newer one) is shown. */
  refresh(): Promise<void>
}

/** `workspaces.list`, kept current while `enabled`; answers arriving out of order never replace newer ones. */
export function useWorkspaceList(enabled: boolean): WorkspaceList {
  const bridge = useBridge()
  const [state, setState] = useState<ListState>({})
  const asked = useRef(0)
  const shown = useRef(0)
  const inFlight = useRef(0)

  const refresh = useCallback(async (): Promise<void> => {
    const ask = ++asked.current
    inFlight.current += 1
    const show = (next: (previous: ListState) => ListState): void => {
      if (ask < shown.current) return
      shown.current = ask
      setState(next)
    }
    try {
      const answer = await bridge.call('workspaces.list', {})
      // Most answers repeat the last one: the same state (and the same row objects) re-renders nothing.
      show((previous) => {
        const workspaces = reuseUnchanged(previous.workspaces, answer, (w) => w.name)
        return workspaces === previous.workspaces && previous.error === undefined ? previous : { workspaces }
      })
    } catch (err) {
      // A dropped link has its own banner; the list stays as it was.
      const error = callError(err)
      if (!isLinkError(error)) show((previous) => ({ ...previous, error }))
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
