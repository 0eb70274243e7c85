import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { TerminalInfo, TerminalTarget } from '../../../src-main/core/contract'
import { useBridge } from '../../app/bridge-context'
import { callError, isLinkError, type CallError } from '../../bridge/bridge'
import { mac, matchShortcut, type ShortcutId } from './shortcuts'
import { HOST_GROUP, type LinkState } from './terminal-model'
import type { XtermView } from './xterm-view'

export function targetOf(group: string): TerminalTarget {
  return group === HOST_GROUP ? { kind: 'host' } : { kind: 'workspace', workspace: group }
}

export interface TerminalActions {
  open(group: string): Promise<TerminalInfo | undefined>
  close(id: string): Promise<void>
  rename(id: string, name: string): Promise<void>
  reorder(ids: string[]): Promise<void>
  /** The last refusal on this page, shown below its header until dismissed. */
  failure?: { action: string; error: CallError }
  dismiss(): void
}

/**
 * Open, close, rename and reorder, with the core's refusals kept for the page to show. A refusal belongs to the
 * page (`scope`, the route) it was asked from: moving to another page clears it, and one arriving after the
 * move is not shown there.
 */
export function useTerminalActions(scope: string): TerminalActions {
  const bridge = useBridge()
  const [failure, setFailure] = useState<TerminalActions['failure']>()
  const current = useRef(scope)
  useEffect(() => {
    current.current = scope
    setFailure(undefined)
  }, [scope])
  const attempt = useCallback(async <T>(action: string, run: () => Promise<T>): Promise<T | undefined> => {
    const askedFrom = current.current
    try {
      setFailure(undefined)
      return await run()
    } catch (err) {
      const error = callError(err)
      if (!isLinkError(error) && askedFrom === current.current) setFailure({ action, error })
      return undefined
    }
  }, [])
  return useMemo(
    () => ({
      open: (group) => attempt('Opening a terminal', () => bridge.call('terminals.open', { target: targetOf(group) })),
      close: async (id) => void (await attempt('Closing the terminal', () => bridge.call('terminals.close', { id }))),
      rename: async (id, name) => void (await attempt('Renaming the terminal', () => bridge.call('terminals.rename', { id, name }))),
      reorder: async (ids) => void (await attempt('Moving the tab', () => bridge.call('terminals.reorder', { ids }))),
      ...(failure === undefined ? {} : { failure }),
      dismiss: () => setFailure(undefined)
    }),
    [attempt, bridge, failure]
  )
}

/** Each mounted terminal's xterm view and connection state, as its pane reports them. */
export function useTerminalViews() {
  const views = useRef(new Map<string, XtermView>())
  const [links, setLinks] = useState<Readonly<Record<string, LinkState>>>({})
  const onView = useCallback((id: string, view: XtermView | undefined) => {
    if (view === undefined) views.current.delete(id)
    else views.current.set(id, view)
  }, [])
  const onLink = useCallback((id: string, state: LinkState) => setLinks((previous) => (previous[id] === state ? previous : { ...previous, [id]: state })), [])
  return { views, links, onView, onLink }
}


/** The page's shortcuts, from anywhere on the page (the terminal hands them on instead of sending them to the shell). */
export function usePageShortcuts(handle: (id: ShortcutId) => void): void {
  const latest = useRef(handle)
  latest.current = handle
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const id = matchShortcut(event, mac)
      if (id === undefined || id === 'copy' || id === 'paste') return
      event.preventDefault()
      latest.current(id)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
