import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { useConnection } from '../app/bridge-context'
import { CreationsProvider } from '../app/creations-context'
import { NAVIGATION } from '../app/navigation'
import { NavigationContext } from '../app/navigation-context'
import { useAppearance } from '../app/use-appearance'
import { WorkspaceActionsProvider } from '../app/workspace-actions-context'
import { ConnectionBanner } from './ConnectionBanner'
import { SettingsBanner } from './SettingsBanner'
import { Sidebar } from './Sidebar'
import { StatusBar } from './StatusBar'

/** The app frame every view slots into: sidebar, main area, status bar. */
export function Shell() {
  useAppearance()
  const stale = useConnection().state !== 'open'
  const [active, setActive] = useState('engine')
  const view = useRef<HTMLDivElement>(null)
  const focusTitle = useRef(false)
  // A view's own links (New workspace, back to the list) replace the page under the focused button: focus
  // moves to the new page's title. The sidebar keeps its focus.
  const navigate = useCallback((id: string) => {
    focusTitle.current = true
    setActive(id)
  }, [])
  useEffect(() => {
    if (!focusTitle.current) return
    focusTitle.current = false
    view.current?.querySelector<HTMLElement>('h1[tabindex]')?.focus()
  }, [active])
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
  const item = NAVIGATION.find((candidate) => candidate.id === active)
  const View = item?.view
  return (
    <NavigationContext.Provider value={navigate}>
      <CreationsProvider>
        <WorkspaceActionsProvider>
          <div className="shell">
            <Sidebar items={NAVIGATION.filter((candidate) => candidate.within === undefined)} active={item?.within ?? active} onSelect={setActive} />
            <div className="main">
              <ConnectionBanner />
              <SettingsBanner onSettingsPage={item?.id === 'settings'} />
              {/* Keyed by view: each starts scrolled to the top. Stale (the link is down), it is inert: no clicks, no keys. */}
              <div className={stale ? 'main__view main__view--stale' : 'main__view'} key={active} ref={view} inert={stale}>
                {View && <View />}
              </div>
            </div>
            <StatusBar />
          </div>
        </WorkspaceActionsProvider>
      </CreationsProvider>
    </NavigationContext.Provider>
  )
}
