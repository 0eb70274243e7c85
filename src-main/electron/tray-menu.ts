import type { Workspace } from '../core/contract'
import { workspaceHealth, workspaceStateLabel } from './fleet-state'

/** What a tray menu item does; the adapter (tray.ts) carries it out. */
export type TrayAction =
  /** Show the window on a route of the renderer (`workspaces/web/logs`, `terminals/web`). */
  | { kind: 'show'; route: string }
  | { kind: 'restart-app'; workspace: string }
  | { kind: 'open-preview'; url: string }
  | { kind: 'create'; template: string }
  | { kind: 'toggle-window' }
  | { kind: 'quit' }

export type TrayItem =
  | { type: 'separator' }
  | { type: 'item'; label: string; enabled: boolean; action?: TrayAction; submenu?: TrayItem[] }

export interface TrayMenuInput {
  workspaces: readonly Workspace[]
  windowVisible: boolean
  /** An engine that is not reachable can start nothing: actions that need it are greyed out. */
  engineReachable: boolean
}

/** How many workspaces the menu lists itself; the rest are one click away in the window. */
export const TRAY_WORKSPACE_LIMIT = 15

const MARK = { ready: '●', starting: '◌', trouble: '!', stopped: '○' } as const

/** The tray's menu: the workspaces with their states and quick actions, a new one, the window, quit. */
export function trayMenu({ workspaces, windowVisible, engineReachable }: TrayMenuInput): TrayItem[] {
  const newest = [...workspaces].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name))
  const items: TrayItem[] = []
  if (newest.length === 0) items.push({ type: 'item', label: 'No workspaces yet', enabled: false })
  for (const workspace of newest.slice(0, TRAY_WORKSPACE_LIMIT)) items.push(workspaceItem(workspace, engineReachable))
  if (newest.length > TRAY_WORKSPACE_LIMIT) {
    items.push({ type: 'item', label: `All ${newest.length} workspaces…`, enabled: true, action: { kind: 'show', route: 'workspaces' } })
  }
  items.push({ type: 'separator' })
  // The template of the newest workspace made: the one most likely wanted again.
  const last = newest.find((w) => w.status !== 'failed') ?? newest[0]
  if (last !== undefined) {
    items.push({ type: 'item', label: `New workspace from ${last.templateId}`, enabled: engineReachable, action: { kind: 'create', template: last.templateId } })
  }
  items.push({ type: 'item', label: 'New workspace…', enabled: true, action: { kind: 'show', route: 'new-workspace' } })
  items.push({ type: 'separator' })
  items.push({ type: 'item', label: windowVisible ? 'Hide window' : 'Show window', enabled: true, action: { kind: 'toggle-window' } })
  items.push({ type: 'item', label: 'Quit Sandlot', enabled: true, action: { kind: 'quit' } })
  return items
}

function workspaceItem(workspace: Workspace, engineReachable: boolean): TrayItem {
  const { name } = workspace
  const health = workspaceHealth(workspace)
  const running = workspace.container === 'running' && workspace.status === 'ready'
  const encoded = encodeURIComponent(name)
  const submenu: TrayItem[] = [
    { type: 'item', label: 'Open in Sandlot', enabled: true, action: { kind: 'show', route: `workspaces/${encoded}/logs` } },
    { type: 'item', label: 'Restart the app', enabled: running && engineReachable, action: { kind: 'restart-app', workspace: name } },
    workspace.previewUrl === undefined
      ? { type: 'item', label: 'Open the preview', enabled: false }
      : { type: 'item', label: 'Open the preview', enabled: running, action: { kind: 'open-preview', url: workspace.previewUrl } },
    { type: 'item', label: 'Open a terminal', enabled: running, action: { kind: 'show', route: `terminals/${encoded}` } }
  ]
  if (health === 'trouble') submenu.push({ type: 'item', label: 'Show its errors', enabled: true, action: { kind: 'show', route: `workspaces/${encoded}/errors` } })
  return { type: 'item', label: `${MARK[health]} ${name} — ${workspaceStateLabel(workspace)}`, enabled: true, submenu }
}
