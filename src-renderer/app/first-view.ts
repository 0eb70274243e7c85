import { useEffect } from 'react'
import type { EngineStatus } from '../../src-main/core/contract'
import type { ConnectionState } from '../bridge/bridge'
import { useConnection } from './bridge-context'
import { useLiveValue } from './use-live-value'

/**
 * Where a window opened without a path goes: the Workspaces list once the engine is connected; the Engine page
 * when it is not (or the core cannot be reached), since that page says what to do. Undefined while it is unknown.
 */
export function firstView(connection: ConnectionState['state'], engine: EngineStatus | undefined): 'workspaces' | 'engine' | undefined {
  if (connection !== 'open' && connection !== 'connecting') return 'engine'
  if (engine === undefined || engine.state === 'connecting') return undefined
  return engine.state === 'connected' ? 'workspaces' : 'engine'
}

/** With no path (the first open), replaces it with the first view once that is known: Back does not return to nothing. */
export function useFirstView(path: string, go: (path: string) => void): void {
  const connection = useConnection().state
  const engine = useLiveValue('engine.status')
  const first = path === '' ? firstView(connection, engine) : undefined
  useEffect(() => {
    // A click may have set the address already, its hashchange not yet handled: the user's choice wins.
    if (first === undefined || window.location.hash.replace(/^#\/?/, '') !== '') return
    window.history.replaceState(window.history.state, '', `#/${first}`)
    go(first)
  }, [first, go])
}
