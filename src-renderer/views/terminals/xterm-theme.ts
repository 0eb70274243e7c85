import type { ISearchOptions } from '@xterm/addon-search'
import type { ITheme } from '@xterm/xterm'

/**
 * Terminal colours for the app's light and dark themes (theme.css), so a terminal sits on the page like the
 * rest of it. xterm.js takes literal colours, not CSS variables, so both palettes are spelled out here.
 */
const DARK: ITheme = {
  background: '#141417',
  foreground: '#e4e4e7',
  cursor: '#f08c3c',
  cursorAccent: '#141417',
  selectionBackground: 'rgba(107, 147, 255, 0.35)',
  black: '#26262b',
  red: '#ff6b5f',
  green: '#3fcf72',
  yellow: '#f3b13d',
  blue: '#6b93ff',
  magenta: '#d08cf0',
  cyan: '#4fc7d6',
  white: '#d4d4d8',
  brightBlack: '#6c6c76',
  brightRed: '#ff8d84',
  brightGreen: '#6ee29a',
  brightYellow: '#f8c96b',
  brightBlue: '#93b1ff',
  brightMagenta: '#e2b0f7',
  brightCyan: '#7fdbe6',
  brightWhite: '#fafafa'
}

const LIGHT: ITheme = {
  background: '#ffffff',
  foreground: '#18181b',
  cursor: '#d5661b',
  cursorAccent: '#ffffff',
  selectionBackground: 'rgba(59, 109, 246, 0.22)',
  black: '#18181b',
  red: '#c8241a',
  green: '#137f3b',
  yellow: '#9a6100',
  blue: '#2456d6',
  magenta: '#9b2cb0',
  cyan: '#0b7285',
  white: '#8e8e99',
  brightBlack: '#62626d',
  brightRed: '#e0443a',
  brightGreen: '#16a34a',
  brightYellow: '#b87503',
  brightBlue: '#3b6df6',
  brightMagenta: '#b44ccc',
  brightCyan: '#1098ad',
  brightWhite: '#c4c4cc'
}

const DARK_QUERY = '(prefers-color-scheme: dark)'

/** The theme the page shows: pinned by data-theme on <html> (the appearance setting), else the system's. */
export function isDark(): boolean {
  const pinned = document.documentElement.dataset.theme
  if (pinned === 'dark' || pinned === 'light') return pinned === 'dark'
  return window.matchMedia(DARK_QUERY).matches
}

export function terminalTheme(): ITheme {
  return isDark() ? DARK : LIGHT
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
