import type { MessageBoxOptions } from 'electron'

/** What quitting does with the running workspaces; `ask` shows the question first (setting desktop.onQuit). */
export type OnQuit = 'ask' | 'stop' | 'keep'

/** The answer the quit flow acts on; `cancel` keeps the app open. `remember` saves it as desktop.onQuit. */
export interface QuitChoice {
  action: 'stop' | 'keep' | 'cancel'
  remember: boolean
}

/** Without a question: nothing runs, or the user chose once and for all. */
export function quitWithoutAsking(setting: OnQuit, running: readonly string[]): QuitChoice | undefined {
  if (running.length === 0) return { action: 'keep', remember: false }
  if (setting === 'stop' || setting === 'keep') return { action: setting, remember: false }
  return undefined
}

const BUTTONS = ['Stop them and quit', 'Keep them running and quit', 'Cancel'] as const
const ACTIONS: Record<number, QuitChoice['action']> = { 0: 'stop', 1: 'keep', 2: 'cancel' }

export function quitDialogOptions(running: readonly string[]): MessageBoxOptions {
  const names = running.length > 5 ? `${running.slice(0, 5).join(', ')} and ${running.length - 5} more` : running.join(', ')
  return {
    type: 'question',
    title: 'Quit Sandlot',
    message: running.length === 1 ? `Workspace ${names} is running. Stop it?` : `${running.length} workspaces are running: ${names}. Stop them?`,
    detail:
      'Stopped workspaces keep their files and start again from the window or with `sandlot start`. Kept ones go on using memory and CPU; their history is caught up when Sandlot opens again.',
    buttons: [...BUTTONS],
    defaultId: 0,
    cancelId: 2,
    checkboxLabel: 'Remember my choice',
    checkboxChecked: false,
    noLink: true
  }
}

/** The dialog's answer as a choice; Cancel (or closing the dialog) is never remembered. */
export function quitChoice(response: number, checkboxChecked: boolean): QuitChoice {
  const action = ACTIONS[response] ?? 'cancel'
  return { action, remember: checkboxChecked && action !== 'cancel' }
}
