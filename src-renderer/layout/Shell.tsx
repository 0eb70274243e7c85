import { useCallback, useEffect, useLayoutEffect, useRef } from 'react'
import { useConnection } from '../app/bridge-context'
import { CreationsProvider } from '../app/creations-context'
import { useFirstView } from '../app/first-view'
import { NAVIGATION } from '../app/navigation'
import { NavigationContext } from '../app/navigation-context'
import { routeKey, routeView } from '../app/route'
import { RouteContext, useHashRoute } from '../app/route-context'
import { useAppearance } from '../app/use-appearance'
import { WorkspaceActionsProvider } from '../app/workspace-actions-context'
import { CrashToasts } from '../views/history/CrashToasts'
import { ConnectionBanner } from './ConnectionBanner'
import { NotFoundView } from './NotFoundView'
import { SettingsBanner } from './SettingsBanner'
import { Sidebar } from './Sidebar'
import { StatusBar } from './StatusBar'

/** The app frame every view slots into: sidebar, main area, status bar. */
export function Shell() {
  useAppearance()
  const stale = useConnection().state !== 'open'
  // A path (app/route.ts) kept in the URL's hash: a view's id, or `workspaces/<name>/<tab>`.
  // No path (the first open): Workspaces once the engine answers, else Engine (useFirstView); nothing until then.
  const [active, setActive] = useHashRoute('')
  useFirstView(active, setActive)
  // Tabs of one workspace page are one page: switching them keeps it (and the focus on the tab).
  const activeKey = routeKey(active)
  const view = useRef<HTMLDivElement>(null)
  const focusTitle = useRef(false)
  // A view's own links (New workspace, back to the list) replace the page under the focused button: focus
  // moves to the new page's title. The sidebar keeps its focus.
  const navigate = useCallback((id: string) => {
    focusTitle.current = true
    setActive(id)
  }, [setActive])
  useEffect(() => {
    if (!focusTitle.current) return
    focusTitle.current = false
    view.current?.querySelector<HTMLElement>('h1[tabindex]')?.focus()
  }, [activeKey])
  // An inert (stale) view loses the focus: it comes back with the link, if nothing else took it meanwhile.
  const focusBeforeStale = useRef<HTMLElement | null>(null)
  useLayoutEffect(() => {
    if (stale) {
      const focused = document.activeElement
      focusBeforeStale.current = focused instanceof HTMLElement && view.current?.contains(focused) ? focused : null
      return
    }
    const before = focusBeforeStale.current
    focusBeforeStale.current = null
    if (before?.isConnected && (document.activeElement === null || document.activeElement === document.body)) before.focus()
  }, [stale])
  const item = NAVIGATION.find((candidate) => candidate.id === routeView(active))
  const View = item?.view
  return (
    <NavigationContext.Provider value={navigate}>
      <RouteContext.Provider value={active}>
        <CreationsProvider>
          <WorkspaceActionsProvider>
            <div className="shell">
              <Sidebar items={NAVIGATION.filter((candidate) => candidate.within === undefined)} active={item?.within ?? item?.id ?? active} onSelect={setActive} />
              <main className="main">
                <ConnectionBanner />
                <SettingsBanner onSettingsPage={item?.id === 'settings'} />
                {/* Keyed by view: each starts scrolled to the top. Stale (the link is down), it is inert: no clicks, no keys. */}
                <div className={stale ? 'main__view main__view--stale' : 'main__view'} key={activeKey} ref={view} inert={stale}>
                  {View ? <View /> : <NotFoundView path={active} />}
                </div>
              </main>
              <StatusBar />
              <CrashToasts />
            </div>
          </WorkspaceActionsProvider>
        </CreationsProvider>
      </RouteContext.Provider>
    </NavigationContext.Provider>
  )
}
