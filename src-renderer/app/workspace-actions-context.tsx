import { createContext, useContext, useMemo, type ReactNode } from 'react'
import { useBridge } from './bridge-context'
import { useStore } from './store'
import { ActionStore, type ActionState } from './workspace-actions'

const ActionsContext = createContext<ActionStore | undefined>(undefined)

/** Above the views, like the creations: an action outlives a switch to another view. */
export function WorkspaceActionsProvider({ children }: { children: ReactNode }) {
  const bridge = useBridge()
  const store = useMemo(() => new ActionStore(bridge), [bridge])
  return <ActionsContext.Provider value={store}>{children}</ActionsContext.Provider>
}

export function useWorkspaceActions(): { state: ActionState; store: ActionStore } {
  const store = useContext(ActionsContext)
  if (store === undefined) throw new Error('useWorkspaceActions needs a WorkspaceActionsProvider above it')
  return { state: useStore(store), store }
}
