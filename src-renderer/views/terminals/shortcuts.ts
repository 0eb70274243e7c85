/**
 * The Terminals pages' keyboard shortcuts. All take Ctrl+Shift (⌘ for copy and paste on a Mac), which shells
 * and full-screen programs leave alone and browsers do not reserve; the terminal hands them to the page instead
 * of the shell.
 */
export type ShortcutId = 'new-terminal' | 'next-tab' | 'previous-tab' | 'toggle-grid' | 'find' | 'full-screen' | 'copy' | 'paste'

export interface Shortcut {
  id: ShortcutId
  /** KeyboardEvent.code, so the layout does not matter. */
  code: string
  /** ⌘ on a Mac instead of Ctrl+Shift. */
  macCommand?: boolean
  label: string
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'new-terminal', code: 'Backquote', label: 'New terminal in the shown workspace (or on this computer)' },
  { id: 'next-tab', code: 'BracketRight', label: 'Next terminal tab' },
  { id: 'previous-tab', code: 'BracketLeft', label: 'Previous terminal tab' },
  { id: 'toggle-grid', code: 'KeyG', label: 'Switch between the tabs and the grid' },
  { id: 'find', code: 'KeyF', label: 'Find in the terminal' },
  { id: 'full-screen', code: 'Enter', label: 'Full screen for the focused grid cell (Esc returns)' },
  { id: 'copy', code: 'KeyC', macCommand: true, label: 'Copy the selection (selecting copies too)' },
  { id: 'paste', code: 'KeyV', macCommand: true, label: 'Paste' }
]

export const isMac = (platform: string): boolean => /mac|iphone|ipad/i.test(platform)

/** Whether this window runs on a Mac (false where there is no navigator, as in unit tests). */
export const mac = typeof navigator === 'undefined' ? false : isMac(navigator.platform)

type KeyLike = Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey' | 'type'>

export function matchShortcut(event: KeyLike, mac: boolean): ShortcutId | undefined {
  if (event.type !== 'keydown' || event.altKey) return undefined
  const ctrlShift = event.ctrlKey && event.shiftKey && !event.metaKey
  const command = mac && event.metaKey && !event.ctrlKey && !event.shiftKey
  return SHORTCUTS.find((shortcut) => shortcut.code === event.code && (shortcut.macCommand && mac ? command : ctrlShift))?.id
}

const KEY_NAMES: Record<string, string> = { Backquote: '`', BracketRight: ']', BracketLeft: '[', Enter: 'Enter' }

/** "Ctrl+Shift+G", or "⌘C" for copy and paste on a Mac. */
export function shortcutKeys(shortcut: Shortcut, mac: boolean): string {
  const key = KEY_NAMES[shortcut.code] ?? shortcut.code.replace(/^Key/, '')
  return shortcut.macCommand && mac ? `⌘${key}` : `Ctrl+Shift+${key}`
}

/** The keys of one shortcut on this computer, for a button's title. */
export function keysFor(id: ShortcutId): string {
  const shortcut = SHORTCUTS.find((candidate) => candidate.id === id)
  if (shortcut === undefined) throw new Error(`No shortcut ${id}`)
  return shortcutKeys(shortcut, mac)
}
