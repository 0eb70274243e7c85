import { useEffect } from 'react'
import { useBridge, useConnection } from './bridge-context'

/**
 * Applies the `appearance.theme` setting. "system" needs nothing: the stylesheet follows prefers-color-scheme
 * through `color-scheme: light dark`; "light" and "dark" pin it.
 */
export function useAppearance(): void {
  const bridge = useBridge()
  const open = useConnection().state === 'open'
  useEffect(() => {
    if (!open) return
    let current = true
    bridge.call('settings.get', {}).then(
      ({ settings }) => {
        if (!current) return
        const root = document.documentElement
        if (settings.appearance.theme === 'system') delete root.dataset.theme
        else root.dataset.theme = settings.appearance.theme
      },
      () => undefined
    )
    return () => {
      current = false
    }
  }, [bridge, open])
}
