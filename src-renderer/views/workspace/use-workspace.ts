import { useCallback, useEffect, useState } from 'react'
import type { AppStatus, Workspace } from '../../../src-main/core/contract'
import { callError, isLinkError, type CallError } from '../../bridge/bridge'
import { useBridge, useConnection } from '../../app/bridge-context'
import { useRefresh } from '../../app/use-refresh'
import { withApp } from '../workspace-model'

/**
 * Container state changes made elsewhere (the CLI, `docker stop`) send no event: the page asks again this
 * often. Everything the monitor reports (the app's state) arrives as events at once.
 */
const FALLBACK_REFRESH_MS = 20_000

export interface WorkspaceState {
  workspace?: Workspace
  /** NOT_FOUND: there is no such workspace (removed, or a stale link). */
  error?: CallError
  refresh(): Promise<void>
}

/** One workspace, with its app status kept current by `history.events`. */
export function useWorkspace(name: string): WorkspaceState {
  const bridge = useBridge()
  const open = useConnection().state === 'open'
  const [state, setState] = useState<{ workspace?: Workspace; error?: CallError }>({})

  const refresh = useCallback(async () => {
    try {
      const workspace = await bridge.call('workspaces.get', { name })
      setState((current) => ({ workspace: keepNewerApp(current.workspace, workspace) }))
    } catch (err) {
      const error = callError(err)
      if (!isLinkError(error)) setState((current) => ({ ...current, error }))
    }
  }, [bridge, name])

  useEffect(() => {
    setState({})
    return bridge.subscribe('history.events', ({ workspace, app }) => {
      if (workspace !== name) return
      setState((current) => (current.workspace === undefined ? current : { ...current, workspace: withApp(current.workspace, app) }))
    })
  }, [bridge, name])

  useRefresh(
    useCallback(() => void refresh(), [refresh]),
    FALLBACK_REFRESH_MS,
    open
  )
  return { ...state, refresh }
}

/** An answer may be older than an app status pushed while it was out: the later `since` wins. */
function keepNewerApp(current: Workspace | undefined, next: Workspace): Workspace {
  const held: AppStatus | undefined = current?.name === next.name ? appOfWorkspace(current) : undefined
  const fresh = appOfWorkspace(next)
  if (held !== undefined && (fresh === undefined || held.since > fresh.since)) return withApp(next, held)
  return next
}

function appOfWorkspace(workspace: Workspace | undefined): AppStatus | undefined {
  return (workspace as { app?: AppStatus } | undefined)?.app
}
