import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react'
import type { Bridge, ConnectionState } from '../bridge/bridge'

const BridgeContext = createContext<Bridge | undefined>(undefined)

export function BridgeProvider({ bridge, children }: { bridge: Bridge; children: ReactNode }) {
  return <BridgeContext.Provider value={bridge}>{children}</BridgeContext.Provider>
}

export function useBridge(): Bridge {
  const bridge = useContext(BridgeContext)
  if (bridge === undefined) throw new Error('useBridge needs a BridgeProvider above it')
  return bridge
}

export function useConnection(): ConnectionState {
  const bridge = useBridge()
  return useSyncExternalStore(
    (onChange) => bridge.onConnection(onChange),
    () => bridge.connection()
  )
}
