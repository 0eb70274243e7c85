import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useSyncExternalStore, type ReactNode } from 'react'
import type { CreateOverrides, CreateWorkspaceParams } from '../../src-main/core/contract'
import { callError } from '../bridge/bridge'
import { useBridge, useConnection } from './bridge-context'
import { CreationStore, type Creation, type CreationTemplate } from './creations'
import { useRefresh } from './use-refresh'
import { useStore } from './store'

interface Creations {
  creations: readonly Creation[]
  /** Starts a creation and returns its id at once; its outcome lands in the store. `overrides` go to the core as given. */
  create(template: CreationTemplate, name: string, overrides?: CreationOverrides): number
  dismiss(id: number): void
  /** The New workspace page showed how these ended. */
  markSeen(ids: readonly number[]): void
}

/** What the window sets over the source's own settings at create (the CLI's `--idle-stop`). */
export type CreationOverrides = Pick<CreateOverrides, 'idleStopMinutes'>

/** A lost creation is looked up this often while the link is open. */
const FOLLOW_MS = 2_000
const UNKNOWN = Symbol('unknown')

const CreationsContext = createContext<{ store: CreationStore; create: Creations['create'] } | undefined>(undefined)

/** Above the views, so a creation and its progress outlive a switch to another view. */
export function CreationsProvider({ children }: { children: ReactNode }) {
  const bridge = useBridge()
  const store = useMemo(() => new CreationStore(), [])

  useEffect(() => {
    const stops = [bridge.subscribe('workspaces.progress', (event) => store.progress(event)), bridge.subscribe('image.progress', (event) => store.image(event))]
    return () => stops.forEach((stop) => stop())
  }, [bridge, store])

  useFollowLost(store)

  const value = useMemo(
    () => ({
      store,
      create: (template: CreationTemplate, name: string, overrides: CreationOverrides = {}): number => {
        const { id, requestId } = store.begin(name, template)
        bridge.call('workspaces.create', { ...sourceParams(template), ...overrides, name, requestId }).then(
          (workspace) => store.settle(id, { state: 'ready', workspace }),
          (err: unknown) => {
            const error = callError(err)
            // Sent, but the answer was lost with the link: the core goes on without this window.
            if (error.code === 'DISCONNECTED') store.lose(id)
            else store.settle(id, { state: 'failed', error })
          }
        )
        return id
      }
    }),
    [bridge, store]
  )
  return <CreationsContext.Provider value={value}>{children}</CreationsContext.Provider>
}

/** Lost creations are looked up by name while the link is open, until the core says how they ended. */
function useFollowLost(store: CreationStore): void {
  const bridge = useBridge()
  const open = useConnection().state === 'open'
  // A boolean snapshot: progress events do not re-render this provider.
  const anyLost = useSyncExternalStore(store.subscribe, () => store.snapshot().some((c) => c.outcome.state === 'lost'))
  const asking = useRef(new Set<number>())

  const follow = useCallback(() => {
    for (const { id, name, outcome } of store.snapshot()) {
      if (outcome.state !== 'lost' || asking.current.has(id)) continue
      asking.current.add(id)
      void bridge
        .call('workspaces.get', { name })
        .catch((err: unknown) => (callError(err).code === 'NOT_FOUND' ? undefined : UNKNOWN))
        .then((workspace) => {
          asking.current.delete(id)
          // The link dropped again, or the core could not say: the next tick asks again.
          if (workspace !== UNKNOWN) store.found(id, workspace)
        })
    }
  }, [bridge, store])
  useRefresh(follow, FOLLOW_MS, open && anyLost)
}

export function useCreations(): Creations {
  const context = useContext(CreationsContext)
  if (context === undefined) throw new Error('useCreations needs a CreationsProvider above it')
  const { store, create } = context
  const creations = useStore(store)
  const dismiss = useCallback((id: number) => store.dismiss(id), [store])
  const markSeen = useCallback((ids: readonly number[]) => store.markSeen(ids), [store])
  return { creations, create, dismiss, markSeen }
}

/** The create's source: a repository, a host folder (mounted or copied), or the template itself. */
function sourceParams(template: CreationTemplate): Pick<CreateWorkspaceParams, 'template' | 'folder' | 'mount' | 'git'> {
  if (template.git) return { git: template.git }
  if (template.folder) return { folder: template.folder.path, ...(template.folder.mount ? { mount: true } : {}) }
  return { template: template.id }
}
