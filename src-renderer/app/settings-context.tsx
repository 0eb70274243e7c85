import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { SettingsPatch, SettingsView } from '../../src-main/core/contract'
import type { CallError } from '../bridge/bridge'
import { useBridge } from './bridge-context'
import { useCallWhileOpen } from './use-call-while-open'

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
  const [state, setState] = useState<{ view?: SettingsView; error?: CallError }>({})
  useEffect(() => bridge.subscribe('settings.changed', (view) => setState({ view })), [bridge])
  useCallWhileOpen(
    (link) => link.call('settings.get', {}),
    (view) => setState({ view }),
    { onError: (error) => setState((previous) => ({ ...previous, error })) }
  )
  const update = useCallback(
    async (patch: SettingsPatch) => {
      const view = await bridge.call('settings.update', patch)
      setState({ view })
      return view
    },
    [bridge]
  )
  const value = useMemo(() => ({ ...state, update }), [state, update])
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>
}

export function useSettings(): SettingsContextValue {
  const value = useContext(SettingsContext)
  if (value === undefined) throw new Error('useSettings needs a SettingsProvider above it')
  return value
}
