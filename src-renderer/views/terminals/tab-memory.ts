import type { Bridge } from '../../bridge/bridge'
import { groupOf, terminalsPath } from './terminal-model'
import { targetOf } from './use-terminal-page'

/** The tab last shown in each group, so coming back to a workspace's tabs shows the same terminal. */
const shown = new Map<string, string>()

export function rememberTab(group: string, id: string): void {
  shown.set(group, id)
}

export function rememberedTab(group: string): string | undefined {
  return shown.get(group)
}

/**
 * The Terminal action of a workspace row: its terminals' tabs, with a new shell when it has none yet (the core
 * hands over the ready one). Resolves to the path to show.
 */
export async function workspaceTerminalPath(bridge: Pick<Bridge, 'call'>, workspace: string): Promise<string> {
  const existing = (await bridge.call('terminals.list', {})).find((terminal) => groupOf(terminal) === workspace)
  const terminal = existing ?? (await bridge.call('terminals.open', { target: targetOf(workspace) }))
  if (existing === undefined || rememberedTab(workspace) === undefined) rememberTab(workspace, terminal.id)
  return terminalsPath({ page: 'tabs', group: workspace })
}
