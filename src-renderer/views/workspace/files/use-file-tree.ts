import { useCallback, useEffect, useRef, useState } from 'react'
import { callError } from '../../../bridge/bridge'
import { useBridge } from '../../../app/bridge-context'
import { emptyTree, expand, needsListing, openFolders, ROOT, showMore, toggle, withError, withListing, withLoading, type TreeState } from './file-tree-model'

export interface FileTree {
  state: TreeState
  toggle(folder: string): void
  more(folder: string): void
  /** Lists the open folders again (all of them, or one after an upload into it, which opens it). */
  refresh(folder?: string): Promise<void>
}

/** A workspace's /app as a tree whose folders are listed (files.list) when they are first opened. */
export function useFileTree(workspace: string): FileTree {
  const bridge = useBridge()
  const [state, setState] = useState<TreeState>(emptyTree)
  const current = useRef(state)
  current.current = state

  const list = useCallback(
    async (folder: string) => {
      setState((s) => withLoading(s, folder))
      try {
        const entries = await bridge.call('files.list', { name: workspace, path: folder })
        setState((s) => withListing(s, folder, entries))
      } catch (err) {
        setState((s) => withError(s, folder, callError(err)))
      }
    },
    [bridge, workspace]
  )

  useEffect(() => {
    setState(emptyTree)
    void list(ROOT)
  }, [list])

  const onToggle = useCallback(
    (folder: string) => {
      const next = toggle(current.current, folder)
      setState(next)
      if (needsListing(next, folder)) void list(folder)
    },
    [list]
  )

  const refresh = useCallback(
    async (folder?: string) => {
      if (folder !== undefined) {
        setState((s) => expand(s, folder))
        await list(folder)
        return
      }
      // Outermost first: a folder that went away is forgotten before its insides are asked for.
      for (const open of openFolders(current.current)) if (current.current.expanded.has(open)) await list(open)
    },
    [list]
  )

  return { state, toggle: onToggle, more: useCallback((folder: string) => setState((s) => showMore(s, folder)), []), refresh }
}
