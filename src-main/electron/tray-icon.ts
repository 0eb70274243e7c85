import { join } from 'node:path'
import type { FleetState } from './fleet-state'

/**
 * The tray icon file for a fleet state (resources/tray/, drawn by scripts/draw-tray-icons.mjs). Electron loads
 * the @2x file beside it on high-density screens; on macOS a name ending in "Template" makes a template image
 * that the menu bar tints for light and dark.
 */
export function trayIconFile(state: FleetState, platform: NodeJS.Platform, resourcesDir: string): string {
  return join(resourcesDir, 'tray', `${state}${platform === 'darwin' ? 'Template' : ''}.png`)
}
