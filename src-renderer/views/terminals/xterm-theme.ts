import type { ISearchOptions } from '@xterm/addon-search'
import type { ITheme } from '@xterm/xterm'
import { ANSI_PALETTE } from '../../app/ansi-palette'

/** Terminal colours for the app's light and dark themes: the one ANSI palette, with the cursor and selection. */
function themeOf(side: 'light' | 'dark'): ITheme {
  const { background, foreground, colors } = ANSI_PALETTE[side]
  return side === 'dark'
    ? { background, foreground, cursor: '#f08c3c', cursorAccent: background, selectionBackground: 'rgba(107, 147, 255, 0.35)', ...colors }
    : { background, foreground, cursor: '#d5661b', cursorAccent: background, selectionBackground: 'rgba(59, 109, 246, 0.22)', ...colors }
}

export const TERMINAL_THEMES = { dark: themeOf('dark'), light: themeOf('light') } as const

const DARK_QUERY = '(prefers-color-scheme: dark)'

/** The theme the page shows: pinned by data-theme on <html> (the appearance setting), else the system's. */
export function isDark(): boolean {
  const pinned = document.documentElement.dataset.theme
  if (pinned === 'dark' || pinned === 'light') return pinned === 'dark'
  return window.matchMedia(DARK_QUERY).matches
}

export function terminalTheme(): ITheme {
  return isDark() ? TERMINAL_THEMES.dark : TERMINAL_THEMES.light
}

/** Search highlights: every match, and the current one stronger (xterm wants #RRGGBB here). */
export function findDecorations(): NonNullable<ISearchOptions['decorations']> {
  return isDark()
    ? { matchBackground: '#5c4a14', matchOverviewRuler: '#f3b13d', activeMatchBackground: '#b8641f', activeMatchColorOverviewRuler: '#f08c3c' }
    : { matchBackground: '#fde68a', matchOverviewRuler: '#c27803', activeMatchBackground: '#fb923c', activeMatchColorOverviewRuler: '#d5661b' }
}

/** Calls `onChange` when the page's theme may have changed (the setting, or the system's scheme). */
export function watchColorScheme(onChange: () => void): () => void {
  const media = window.matchMedia(DARK_QUERY)
  media.addEventListener('change', onChange)
  const observer = new MutationObserver(onChange)
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
  return () => {
    media.removeEventListener('change', onChange)
    observer.disconnect()
  }
}
