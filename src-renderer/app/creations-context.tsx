import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react'
import { BridgeError } from '../bridge/bridge'
import { useBridge } from './bridge-context'
import { CreationStore, type Creation, type CreationTemplate, type FailureInfo } from './creations'

interface Creations {
  creations: readonly Creation[]
  /** Starts a creation and returns its id at once; its outcome lands in the store. */
  create(template: CreationTemplate, name: string): number
  dismiss(id: number): void
}

const CreationsContext = createContext<{ store: CreationStore; create: Creations['create'] } | undefined>(undefined)

/** Above the views, so a creation and its progress outlive a switch to another view. */
export function CreationsProvider({ children }: { children: ReactNode }) {
  const bridge = useBridge()
  const store = useMemo(() => new CreationStore(), [])

  useEffect(() => {
    const stops = [bridge.subscribe('workspaces.progress', (event) => store.progress(event)), bridge.subscribe('image.progress', (event) => store.image(event))]
    return () => stops.forEach((stop) => stop())
  }, [bridge, store])

  const value = useMemo(
    () => ({
      store,
      create: (template: CreationTemplate, name: string): number => {
        const id = store.begin(name, template)
        bridge.call('workspaces.create', { template: template.id, name }).then(
          (workspace) => store.settle(id, { state: 'ready', workspace }),
          (err: unknown) => store.settle(id, { state: 'failed', error: failureOf(err, LOST_CREATE_HINT) })
        )
        return id
      }
    }),
    [bridge, store]
  )
  return <CreationsContext.Provider value={value}>{children}</CreationsContext.Provider>
}

export function useCreations(): Creations {
  const context = useContext(CreationsContext)
  if (context === undefined) throw new Error('useCreations needs a CreationsProvider above it')
  const { store, create } = context
  const creations = useSyncExternalStore(store.subscribe, store.snapshot)
  return { creations, create, dismiss: (id) => store.dismiss(id) }
}

/** The link dropped while the core worked on it: the core goes on without this window. */
const LOST_CREATE_HINT = 'Sandlot may still finish it: the Workspaces list shows how far it got.'

/** A failed call as the views show it: the core's code, message and hint. */
export function failureOf(err: unknown, disconnectedHint?: string): FailureInfo {
  if (err instanceof BridgeError) {
    const hint = err.code === 'DISCONNECTED' ? (disconnectedHint ?? err.hint) : err.hint
    return { code: err.code, message: err.message, ...(hint === undefined ? {} : { hint }) }
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }
}
