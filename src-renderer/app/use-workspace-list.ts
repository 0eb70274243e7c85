import { useCallback, useEffect, useRef, useState } from 'react'
import type { Workspace } from '../../src-main/core/contract'
import { callError, isLinkError, type CallError } from '../bridge/bridge'
import { withApp } from '../views/workspace-model'
import { useBridge } from './bridge-context'
import { reuseUnchanged } from './reuse-unchanged'
import { useRefresh } from './use-refresh'

/**
 * The list follows events: the app's state (`history.events`, from the monitor of every workspace, whoever
 * made it) and creations (`workspaces.progress`). A container started, stopped or removed by another process
 * (the CLI, `docker stop`) sends no event to this one, so the list is still asked again this often.
 */
const REFRESH_MS = 30_000
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
  const listed = useRef(state.workspaces)
  listed.current = state.workspaces

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
      bridge.subscribe('history.events', ({ workspace, app }) => {
        // A workspace this list has not seen yet (made by another process): ask for the list.
        if (listed.current !== undefined && !listed.current.some((w) => w.name === workspace)) tick()
        setState((previous) => {
          const index = previous.workspaces?.findIndex((w) => w.name === workspace) ?? -1
          if (index < 0 || previous.workspaces === undefined) return previous
          const workspaces = [...previous.workspaces]
          workspaces[index] = withApp(workspaces[index]!, app)
          return { ...previous, workspaces }
        })
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
  }, [bridge, enabled, tick])

  return { ...state, refresh }
}
