import { useState } from 'react'
import { useConnection } from '../app/bridge-context'
import { NAVIGATION } from '../app/navigation'
import { useAppearance } from '../app/use-appearance'
import { ConnectionBanner } from './ConnectionBanner'
import { Sidebar } from './Sidebar'
import { StatusBar } from './StatusBar'

/** The app frame every view slots into: sidebar, main area, status bar. */
export function Shell() {
  useAppearance()
  const stale = useConnection().state !== 'open'
  const [active, setActive] = useState('engine')
  const View = NAVIGATION.find((item) => item.id === active)?.view
  return (
    <div className="shell">
      <Sidebar items={NAVIGATION} active={active} onSelect={setActive} />
      <div className="main">
        <ConnectionBanner />
        <div className={stale ? 'main__view main__view--stale' : 'main__view'}>{View && <View />}</div>
      </div>
      <StatusBar />
    </div>
  )
}
