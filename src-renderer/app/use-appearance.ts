import { useCallWhileOpen } from './use-call-while-open'

/**
 * Applies the `appearance.theme` setting. "system" needs nothing: the stylesheet follows prefers-color-scheme
 * through `color-scheme: light dark`; "light" and "dark" pin it.
 */
export function useAppearance(): void {
  useCallWhileOpen(
    (bridge) => bridge.call('settings.get', {}),
    ({ settings }) => {
      const root = document.documentElement
      if (settings.appearance.theme === 'system') delete root.dataset.theme
      else root.dataset.theme = settings.appearance.theme
    }
  )
}
