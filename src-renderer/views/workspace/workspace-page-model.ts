import type { Workspace } from '../../../src-main/core/contract'
import type { IconName } from '../../components/Icon'
import { APP_NEEDS_RESTART, appOf } from '../workspace-model'

/** What a workspace page's buttons do: the app inside (`workspaces.process`) or the container (`workspaces.start`…). */
export type PageAction =
  | { target: 'app'; action: 'start' | 'stop' | 'restart' }
  | { target: 'container'; action: 'start' | 'stop' | 'restart' | 'editor' }

export interface PageButton {
  id: string
  label: string
  icon: IconName
  do: PageAction
  /** Shown as a button; the others live in the "More" menu. */
  primary: boolean
  /** The action that fixes the app's state (Restart app once it gave up or stopped answering): first, emphasised. */
  fix?: boolean
  enabled: boolean
}

const APP_RUNNING = new Set(['starting', 'running', 'ready', 'unhealthy', 'backing-off'])

/**
 * The page's actions for a workspace as it is now. A running container's app can be started, stopped and
 * restarted on its own (the monitor keeps running); a stopped container starts as a whole.
 */
export function pageButtons(workspace: Workspace, busy: boolean): PageButton[] {
  const running = workspace.container === 'running'
  const settled = workspace.status !== 'creating'
  const usable = settled && !busy
  if (!running) {
    const present = workspace.container !== 'missing' && workspace.container !== 'removing'
    return [{ id: 'container-start', label: 'Start', icon: 'play', do: { target: 'container', action: 'start' }, primary: true, enabled: usable && present }]
  }
  const app = appOf(workspace)
  // Without a template command there is no app, and a failed create never started one: only the container's
  // actions make sense (the list offers Retry).
  const hasApp = workspace.status === 'ready' && app !== undefined && app.state !== 'idle'
  const appRuns = app !== undefined && APP_RUNNING.has(app.state)
  const buttons: PageButton[] = []
  if (hasApp) {
    const startStop: PageButton = appRuns
      ? { id: 'app-stop', label: 'Stop app', icon: 'stop', do: { target: 'app', action: 'stop' }, primary: true, enabled: usable }
      : { id: 'app-start', label: 'Start app', icon: 'play', do: { target: 'app', action: 'start' }, primary: true, enabled: usable }
    const stuck = APP_NEEDS_RESTART.has(app.state)
    const restart: PageButton = { id: 'app-restart', label: 'Restart app', icon: 'retry', do: { target: 'app', action: 'restart' }, primary: true, ...(stuck ? { fix: true } : {}), enabled: usable }
    buttons.push(...(stuck ? [restart, startStop] : [startStop, restart]))
  }
  buttons.push(
    { id: 'editor', label: 'Open in editor', icon: 'code', do: { target: 'container', action: 'editor' }, primary: true, enabled: usable },
    { id: 'container-restart', label: 'Restart container', icon: 'retry', do: { target: 'container', action: 'restart' }, primary: !hasApp, enabled: usable },
    { id: 'container-stop', label: 'Stop container', icon: 'stop', do: { target: 'container', action: 'stop' }, primary: !hasApp, enabled: usable }
  )
  return buttons
}
