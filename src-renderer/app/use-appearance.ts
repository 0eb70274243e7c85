import { useEffect } from 'react'
import { useSettings } from './settings-context'

/**
 * Applies the `appearance.theme` setting, as soon as it changes. "system" needs nothing: the stylesheet follows
 * prefers-color-scheme through `color-scheme: light dark`; "light" and "dark" pin it.
 */
export function useAppearance(): void {
  const theme = useSettings().view?.settings.appearance.theme
  useEffect(() => {
    const root = document.documentElement
    if (theme === undefined || theme === 'system') delete root.dataset.theme
    else root.dataset.theme = theme
  }, [theme])
}
