/**
 * Edits typed in Settings and not saved (invalid, refused by the core, or a secret waiting for its Save), kept
 * for the life of the window: leaving the page and coming back shows them again, with their message, instead of
 * losing them in silence. A saved or cancelled edit is forgotten.
 */
export class SettingDrafts {
  private readonly drafts = new Map<string, string>()
  private readonly listeners = new Set<() => void>()
  private snapshot: readonly string[] = []

  get(key: string): string | undefined {
    return this.drafts.get(key)
  }

  set(key: string, text: string | undefined): void {
    if (text === undefined) this.drafts.delete(key)
    else this.drafts.set(key, text)
    const keys = [...this.drafts.keys()]
    if (keys.join('\n') === this.snapshot.join('\n')) return
    this.snapshot = keys
    for (const listener of this.listeners) listener()
  }

  /** The keys with an edit kept, in the order they were first typed (the same array until that changes). */
  keys = (): readonly string[] => this.snapshot

  /** For useSyncExternalStore: called when the set of keys changes. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/** This window's drafts: the Settings page is mounted and unmounted as the user moves around. */
export const settingDrafts = new SettingDrafts()
