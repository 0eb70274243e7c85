import type { EngineStatus, Workspace } from '../core/contract'

/** The whole fleet at a glance, as the tray icon shows it; worst first: unreachable, trouble, starting, ready. */
export type FleetState = 'ready' | 'starting' | 'trouble' | 'unreachable'

/** One workspace for the tray: `stopped` counts for nothing (the user stopped it, or never started it). */
export type WorkspaceHealth = 'ready' | 'starting' | 'trouble' | 'stopped'

const TROUBLE_APP_STATES = new Set(['crashed', 'backing-off', 'failed', 'unhealthy'])
const STARTING_APP_STATES = new Set(['starting', 'running', 'stopping'])

export function workspaceHealth(workspace: Workspace): WorkspaceHealth {
  const { status, container, app } = workspace
  if (status === 'failed' || container === 'missing' || container === 'dead') return 'trouble'
  if (status === 'creating' || container === 'restarting') return 'starting'
  if (container !== 'running') return 'stopped'
  // A running container: its app says the rest. No record yet, or a shell's idle monitor: the container counts.
  if (app === undefined || app.state === 'idle' || app.state === 'ready') return 'ready'
  if (TROUBLE_APP_STATES.has(app.state)) return 'trouble'
  if (STARTING_APP_STATES.has(app.state)) return 'starting'
  return 'ready'
}

/** A workspace's state in a few words, for its menu line. */
export function workspaceStateLabel(workspace: Workspace): string {
  const { status, container, app } = workspace
  if (status === 'creating') return 'creating'
  if (status === 'failed') return 'create failed'
  if (container === 'missing') return 'container gone'
  if (container !== 'running') return container === 'restarting' ? 'restarting' : 'stopped'
  if (app === undefined || app.state === 'idle') return 'running'
  return app.state === 'backing-off' ? 'restarting after a crash' : app.state
}

export interface FleetSummary {
  state: FleetState
  /** The tray's tooltip: the state and its counts in one line. */
  tooltip: string
}

export function fleetSummary(engine: EngineStatus | undefined, workspaces: readonly Workspace[]): FleetSummary {
  if (engine === undefined || engine.state === 'connecting') return { state: 'starting', tooltip: 'Sandlot: connecting to Docker…' }
  if (engine.state === 'unreachable') return { state: 'unreachable', tooltip: `Sandlot: Docker is not reachable (${engine.message})` }
  const counts: Record<WorkspaceHealth, number> = { ready: 0, starting: 0, trouble: 0, stopped: 0 }
  for (const workspace of workspaces) counts[workspaceHealth(workspace)] += 1
  const state: FleetState = counts.trouble > 0 ? 'trouble' : counts.starting > 0 ? 'starting' : 'ready'
  const parts = [
    counts.trouble > 0 ? `${counts.trouble} in trouble` : '',
    counts.starting > 0 ? `${counts.starting} starting` : '',
    counts.ready > 0 ? `${counts.ready} ready` : '',
    counts.stopped > 0 ? `${counts.stopped} stopped` : ''
  ].filter((part) => part !== '')
  return { state, tooltip: `Sandlot: ${parts.length === 0 ? 'no workspaces' : parts.join(', ')}` }
}
