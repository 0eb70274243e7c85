import { useState } from 'react'
import type { Bridge } from '../bridge/bridge'
import { Shell } from '../layout/Shell'
import { Splash } from '../layout/Splash'
import { SignInView } from '../views/SignInView'
import { BridgeProvider, useConnection } from './bridge-context'
import { SettingsProvider } from './settings-context'

/** No bridge means a browser tab without a token: it gets the sign-in hint and nothing else. */
export function App({ bridge }: { bridge: Bridge | undefined }) {
  if (bridge === undefined) return <SignInView refused={false} />
  return (
    <BridgeProvider bridge={bridge}>
      <Gate />
    </BridgeProvider>
  )
}

function Gate() {
  const connection = useConnection()
  const [accepted, setAccepted] = useState(connection.state === 'open')
  if (connection.state === 'open' && !accepted) setAccepted(true)
  if (connection.state === 'unauthorized') return <SignInView refused />
  if (!accepted) return <Splash connection={connection} />
  return (
    <SettingsProvider>
      <Shell />
    </SettingsProvider>
  )
}
