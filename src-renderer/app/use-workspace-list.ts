import { useCallback, useEffect, useRef, useState } from 'react'
import type { Workspace } from '../../src-main/core/contract'
import { callError, isLinkError, type CallError } from '../bridge/bridge'
import { withChange } from '../views/workspace-model'
import { useBridge } from './bridge-context'
import { reuseUnchanged } from './reuse-unchanged'
import { useRefresh } from './use-refresh'

/**
 * The list follows `workspaces.changed` (created, removed, container started or stopped, app state moved, new
 * errors) and creations' progress. It is still asked again this rarely: a workspace another process changes
 * in the database alone (a create that fails before it has a container, `sandlot rm` of one whose container is
 * gone) moves no container and no monitor, so this process's core has nothing to tell.
 */
const REFRESH_MS = 60_000
/** Progress events come in bursts (install output): the list is asked once they pause this long. */
const PROGRESS_SETTLE_MS = 800

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

  useEffect(() => {
    if (!enabled) return
    let settle: ReturnType<typeof setTimeout> | undefined
    const stops = [
      bridge.subscribe('workspaces.changed', (change) => {
        // Newer than any answer still on its way: those are dropped.
        const dropping = inFlight.current > 0
        shown.current = asked.current + 1
        setState((previous) => (previous.workspaces === undefined ? previous : { ...previous, workspaces: withChange(previous.workspaces, change) }))
        // The answers dropped may be newer than the event's own reading (a remove's refresh after a late stop
        // event): ask again, so the list never keeps a stale row until the fallback refresh.
        if (dropping) void refresh()
      }),
      bridge.subscribe('workspaces.progress', () => {
        clearTimeout(settle)
        settle = setTimeout(tick, PROGRESS_SETTLE_MS)
      })
    ]
    return () => {
      clearTimeout(settle)
      stops.forEach((stop) => stop())
    }
  }, [bridge, enabled, tick, refresh])

  return { ...state, refresh }
}
