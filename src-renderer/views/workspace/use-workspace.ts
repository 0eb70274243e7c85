import { useCallback, useEffect, useRef, useState } from 'react'
import type { Workspace } from '../../../src-main/core/contract'
import { callError, isLinkError, type CallError } from '../../bridge/bridge'
import { useBridge, useConnection } from '../../app/bridge-context'
import { useRefresh } from '../../app/use-refresh'

/** See use-workspace-list.ts: changes another process makes in the database alone send no event here. */
const FALLBACK_REFRESH_MS = 60_000

export interface WorkspaceState {
  workspace?: Workspace
  /** NOT_FOUND: there is no such workspace (removed, or a stale link). */
  error?: CallError
  refresh(): Promise<void>
  /** Shows its unread errors as seen at once (the core's own event follows). */
  markSeenLocally(): void
}

/** One workspace, kept current by `workspaces.changed` (its container, its app's state, its unread errors). */
export function useWorkspace(name: string): WorkspaceState {
  const bridge = useBridge()
  const open = useConnection().state === 'open'
  const [state, setState] = useState<{ workspace?: Workspace; error?: CallError }>({})
  // Events are newer than an answer that was on its way when they came.
  const changes = useRef(0)

  const refresh = useCallback(async () => {
    const before = changes.current
    try {
      const workspace = await bridge.call('workspaces.get', { name })
      if (changes.current === before) setState({ workspace })
    } catch (err) {
      const error = callError(err)
      if (!isLinkError(error) && changes.current === before) setState(error.code === 'NOT_FOUND' ? { error } : (current) => ({ ...current, error }))
    }
  }, [bridge, name])

  useEffect(() => {
    setState({})
    return bridge.subscribe('workspaces.changed', (change) => {
      if (change.name !== name) return
      changes.current += 1
      setState(change.workspace ? { workspace: change.workspace } : { error: { code: 'NOT_FOUND', message: `${name} was removed.` } })
    })
  }, [bridge, name])

  useRefresh(
    useCallback(() => void refresh(), [refresh]),
    FALLBACK_REFRESH_MS,
    open
  )

  const markSeenLocally = useCallback(() => {
    setState((current) => {
      const app = current.workspace?.app
      if (current.workspace === undefined || app === undefined || app.unreadErrors === 0) return current
      return { ...current, workspace: { ...current.workspace, app: { ...app, unreadErrors: 0 } } }
    })
  }, [])

  return { ...state, refresh, markSeenLocally }
}
