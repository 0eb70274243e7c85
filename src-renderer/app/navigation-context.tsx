import { createContext, useContext } from 'react'

/** Views move to another view by its NAVIGATION id (the Workspaces list to "New workspace" and back). */
export const NavigationContext = createContext<(id: string) => void>(() => undefined)

export function useNavigate(): (id: string) => void {
  return useContext(NavigationContext)
}
