import type { MessageBoxOptions } from 'electron'
import type { CoreApi } from '../core/api'
import type { Settings } from '../core/contract'

/** What quitting does with the running workspaces; `ask` shows the question first (setting desktop.onQuit). */
export type OnQuit = Settings['desktop']['onQuit']

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

export interface QuitDeps {
  api: Pick<CoreApi, 'call'>
  onQuit: OnQuit
  /** Electron's dialog.showMessageBox (faked in tests). */
  ask(options: MessageBoxOptions): Promise<{ response: number; checkboxChecked: boolean }>
  onProblem(message: string): void
}

/**
 * Asks (or follows the remembered choice) what to do with the running workspaces, saves the choice when asked
 * to, and stops them when that was the answer. False: the user cancelled, and Sandlot stays open.
 */
export async function decideQuit(deps: QuitDeps): Promise<boolean> {
  // Listed now, not from a cache that may have missed its first read: an empty cache would quit without asking.
  const workspaces = await deps.api.call('workspaces.list', {}).catch((err: unknown) => {
    // Nothing can be stopped without the list (the engine is likely down): said, and the app quits.
    deps.onProblem(`could not list the workspaces to stop: ${(err as Error).message}`)
    return []
  })
  const running = workspaces.filter((w) => w.container === 'running').map((w) => w.name)
  let choice = quitWithoutAsking(deps.onQuit, running)
  if (choice === undefined) {
    const answer = await deps.ask(quitDialogOptions(running))
    choice = quitChoice(answer.response, answer.checkboxChecked)
  }
  if (choice.action === 'cancel') return false
  if (choice.remember) {
    // A choice that cannot be saved is still carried out: the user said what to do with the workspaces.
    await deps.api.call('settings.update', { desktop: { onQuit: choice.action } }).catch((err: unknown) => {
      deps.onProblem(`could not remember the quit choice: ${(err as Error).message}`)
    })
  }
  if (choice.action === 'stop') {
    const results = await Promise.allSettled(running.map((name) => deps.api.call('workspaces.stop', { name })))
    results.forEach((result, i) => {
      // A workspace that would not stop does not keep Sandlot from quitting: it is said, and it keeps running.
      if (result.status === 'rejected') deps.onProblem(`could not stop ${running[i]}: ${(result.reason as Error).message}`)
    })
  }
  return true
}
