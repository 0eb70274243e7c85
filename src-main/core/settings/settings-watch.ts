import { unwatchFile, watchFile } from 'node:fs'
import type { SettingsView } from '../contract'
import { readSettings } from './settings-file'

/**
 * Follows settings.json while a long-lived process runs, so a hand edit applies (and a broken one is
 * reported) without a restart. Polled: it works for a file that does not exist yet and across editors that
 * replace the file instead of writing it in place. Calls back only when what the file says changed.
 */
export function watchSettings(file: string, onChange: (view: SettingsView) => void, intervalMs = 1000): () => void {
  let last = JSON.stringify(readSettings(file))
  const check = (): void => {
    const view = readSettings(file)
    const now = JSON.stringify(view)
    if (now === last) return
    last = now
    onChange(view)
  }
  watchFile(file, { interval: intervalMs, persistent: false }, check)
  return () => unwatchFile(file, check)
}
