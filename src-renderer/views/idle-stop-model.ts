import { IdleStopMinutes } from '../../src-main/core/contract'

/** How a new workspace stops when idle: as the `workspaces.idleStopMinutes` setting says, never, or after minutes typed. */
export type IdleStopChoice = 'setting' | 'never' | 'custom'

/**
 * The create's `idleStopMinutes` for a choice (none: the setting applies), or the contract's own refusal of the
 * minutes typed. Only digits read as minutes, as the CLI's `--idle-stop` reads them: "1e3" is not what a user means.
 */
export function idleStopRequest(choice: IdleStopChoice, typed: string): { minutes?: number; problem?: string } {
  if (choice === 'setting') return {}
  if (choice === 'never') return { minutes: 0 }
  const text = typed.trim()
  const parsed = IdleStopMinutes.safeParse(/^\d+$/.test(text) ? Number(text) : Number.NaN)
  if (parsed.success) return { minutes: parsed.data }
  const message = parsed.error.issues[0]?.message ?? 'is not a number of minutes'
  return { problem: `${message.charAt(0).toUpperCase()}${message.slice(1)}.` }
}

/** The minutes field when "After" is picked: what was typed, else a start to edit (the setting's time, else 60) rather than an empty field refused at once. */
export function minutesOnCustom(typed: string, settingMinutes: number | undefined): string {
  return typed.trim() === '' ? String(settingMinutes || 60) : typed
}

/** The field as a workspace's own idle stop sets it, for changing it on its page. */
export function idleStopFieldOf(own: number | undefined): { choice: IdleStopChoice; minutes: string } {
  if (own === undefined) return { choice: 'setting', minutes: '' }
  return own === 0 ? { choice: 'never', minutes: '' } : { choice: 'custom', minutes: String(own) }
}

/** The "use the setting" choice, with what the setting says now (unknown until the settings arrive). */
export function settingChoiceLabel(settingMinutes: number | undefined): string {
  if (settingMinutes === undefined) return 'Use the setting'
  return settingMinutes === 0 ? 'Use the setting (never)' : `Use the setting (${settingMinutes} min)`
}

/**
 * When a workspace is stopped for being idle: its own minutes (given at create or changed since), or else the setting's. Unknown
 * (nothing to show) while a workspace that follows the setting waits for the settings.
 */
export function effectiveIdleStop(own: number | undefined, settingMinutes: number | undefined): { text: string; title: string } | undefined {
  if (own !== undefined) {
    return {
      text: own === 0 ? 'never idle-stopped' : `idle stop after ${own} min`,
      title: 'This workspace’s own idle stop, over the workspaces.idleStopMinutes setting. Click to change it.'
    }
  }
  if (settingMinutes === undefined) return undefined
  return {
    text: settingMinutes === 0 ? 'no idle stop (setting)' : `idle stop after ${settingMinutes} min (setting)`,
    title: 'It follows the workspaces.idleStopMinutes setting (Settings › Workspaces). Click to give this workspace its own.'
  }
}
