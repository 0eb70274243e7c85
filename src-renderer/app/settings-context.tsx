import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react'
import type { SettingsPatch, SettingsView } from '../../src-main/core/contract'
import type { CallError } from '../bridge/bridge'
import { useBridge } from './bridge-context'
import { useFollowed } from './use-live-value'

interface SettingsContextValue {
  /** Undefined until the first answer. */
  view?: SettingsView
  error?: CallError
  /** Saves through the core (which checks it again); rejects with the core's refusal. */
  update: (patch: SettingsPatch) => Promise<SettingsView>
}

const SettingsContext = createContext<SettingsContextValue | undefined>(undefined)

/**
 * The settings, for every view: asked whenever the link (re)opens, and followed as they change (from this
 * window, another one, the CLI, or a hand edit of settings.json while the app runs).
 */
export function SettingsProvider({ children }: { children: ReactNode }) {
  const bridge = useBridge()
  const { value: view, error, put } = useFollowed({
    ask: (link) => link.call('settings.get', {}),
    event: 'settings.changed',
    apply: (_, view) => view,
    events: 'whole',
  })
  const update = useCallback(
    async (patch: SettingsPatch) => {
      const view = await bridge.call('settings.update', patch)
      put(view)
      return view
    },
    [bridge, put]
  )
  const value = useMemo(() => ({ view, error, update }), [view, error, update])
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>
}

export function useSettings(): SettingsContextValue {
  const value = useContext(SettingsContext)
  if (value === undefined) throw new Error('useSettings needs a SettingsProvider above it')
  return value
}
