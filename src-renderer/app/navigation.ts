import type { ComponentType } from 'react'
import type { IconName } from '../components/Icon'
import { EngineStatusView } from '../views/EngineStatusView'

export interface NavItem {
  id: string
  label: string
  icon: IconName
  /** The screen; items without one are shown disabled until their view exists. */
  view?: ComponentType
  /** Kept apart at the bottom of the sidebar. */
  footer?: boolean
}

/** The sidebar, top to bottom: later views slot in by giving their item a `view`. */
export const NAVIGATION: NavItem[] = [
  { id: 'engine', label: 'Engine', icon: 'engine', view: EngineStatusView },
  { id: 'workspaces', label: 'Workspaces', icon: 'workspaces' },
  { id: 'terminals', label: 'Terminals', icon: 'terminals' },
  { id: 'logs', label: 'Logs', icon: 'logs' },
  { id: 'errors', label: 'Errors', icon: 'errors' },
  { id: 'templates', label: 'Templates', icon: 'templates' },
  { id: 'settings', label: 'Settings', icon: 'settings', footer: true }
]
