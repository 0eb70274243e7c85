import type { ComponentType } from 'react'
import type { IconName } from '../components/Icon'
import { EngineStatusView } from '../views/EngineStatusView'
import { ErrorsView, LogsView } from '../views/history/HistoryViews'
import { NewWorkspaceView } from '../views/NewWorkspaceView'
import { SettingsView } from '../views/SettingsView'
import { TemplatesView } from '../views/TemplatesView'
import { WorkspacesView } from '../views/WorkspacesView'
import { WorkspacePage } from '../views/workspace/WorkspacePage'
import { HelpView } from '../views/HelpView'
import { TerminalsView } from '../views/terminals/TerminalsView'

export interface NavItem {
  id: string
  label: string
  icon: IconName
  /** The screen; items without one are shown disabled until their view exists. */
  view?: ComponentType
  /** Kept apart at the bottom of the sidebar. */
  footer?: boolean
  /** A page reached from another one: not in the sidebar, which marks that one instead. */
  within?: string
}

/** The sidebar, top to bottom: later views slot in by giving their item a `view`. */
export const NAVIGATION: NavItem[] = [
  { id: 'engine', label: 'Engine', icon: 'engine', view: EngineStatusView },
  { id: 'workspaces', label: 'Workspaces', icon: 'workspaces', view: WorkspacesView },
  { id: 'new-workspace', label: 'New workspace', icon: 'plus', view: NewWorkspaceView, within: 'workspaces' },
  // `#/workspaces/<name>/<tab>` (app/route.ts).
  { id: 'workspace', label: 'Workspace', icon: 'workspaces', view: WorkspacePage, within: 'workspaces' },
  // `#/terminals` (the grid) and `#/terminals/<workspace>` (its tabs).
  { id: 'terminals', label: 'Terminals', icon: 'terminals', view: TerminalsView },
  { id: 'logs', label: 'Logs', icon: 'logs', view: LogsView },
  { id: 'errors', label: 'Errors', icon: 'errors', view: ErrorsView },
  { id: 'templates', label: 'Templates', icon: 'templates', view: TemplatesView },
  { id: 'settings', label: 'Settings', icon: 'settings', view: SettingsView, footer: true },
  { id: 'help', label: 'Help', icon: 'hint', view: HelpView, footer: true }
]
