import type Dockerode from 'dockerode'
import type { MethodHandlers, StreamHandlers } from '../api'
import type { SandlotDb } from '../store/database'
import type { Workspace } from '../contract'
import type { WorkspaceService } from '../workspaces/workspace-service'
import { ReadyShells } from './ready-shells'
import { hostShellLauncher } from './host-shell'
import { TerminalService } from './terminal-service'
import { TerminalStore } from './terminal-store'
import { workspaceShellLauncher } from './workspace-shell'

type TerminalMethod = 'terminals.open' | 'terminals.list' | 'terminals.rename' | 'terminals.resize' | 'terminals.reorder' | 'terminals.close'

export interface TerminalsDeps {
  /** Where the layout and last screens are kept, for `reviveSaved` after a restart. */
  db: SandlotDb
  workspaces: Pick<WorkspaceService, 'terminalTarget'>
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  env: NodeJS.ProcessEnv
  scrollback: () => number
  onProblem?: (message: string) => void
}

/** The core's terminals: host shells through node-pty, workspace shells through a TTY exec as `node` in /app. */
export function createTerminalService(deps: TerminalsDeps): TerminalService {
  const swept = new Map<string, string>()
  const inWorkspace = (workspace: string) => workspaceShellLauncher({ engine: deps.engine, target: () => deps.workspaces.terminalTarget(workspace), swept })
  return new TerminalService({
    launcher: (target) => (target.kind === 'host' ? hostShellLauncher(deps.env) : inWorkspace(target.workspace)),
    ready: new ReadyShells(inWorkspace),
    checkWorkspace: async (workspace) => void (await deps.workspaces.terminalTarget(workspace)),
    scrollback: deps.scrollback,
    store: new TerminalStore(deps.db),
    ...(deps.onProblem ? { onProblem: deps.onProblem } : {})
  })
}

export function terminalHandlers(terminals: TerminalService): Pick<MethodHandlers, TerminalMethod> {
  return {
    'terminals.open': (params) => terminals.open(params),
    'terminals.list': () => terminals.list(),
    'terminals.rename': ({ id, name }) => terminals.rename(id, name),
    'terminals.resize': ({ id, cols, rows }) => terminals.resize(id, { cols, rows }),
    'terminals.reorder': ({ ids }) => terminals.reorder(ids),
    'terminals.close': ({ id }) => terminals.close(id)
  }
}

export function terminalStreams(terminals: TerminalService): Pick<StreamHandlers, 'terminals.attach'> {
  return {
    'terminals.attach': async ({ id }, sink) => {
      const { terminal, handle } = terminals.attach(id, sink)
      return { result: { terminal }, handle }
    }
  }
}

/** What ready shells go by: a workspace whose create finished and whose container runs. */
export function readiness(workspace: Workspace): { ready: boolean; running: boolean } {
  return { ready: workspace.status === 'ready', running: workspace.container === 'running' }
}

/**
 * Long-lived processes keep a ready shell per running, ready workspace: for those there now, and for each that
 * becomes so (`changes`: the core's workspace changes). Returns the unsubscribe.
 */
export function keepReadyShells(
  terminals: TerminalService,
  workspaces: Pick<WorkspaceService, 'list'>,
  changes: (listener: (change: { name: string; workspace?: Workspace | undefined }) => void) => () => void
): () => void {
  terminals.keepReadyShells()
  const unsubscribe = changes(({ name, workspace }) => terminals.workspaceChanged(name, workspace && readiness(workspace)))
  void workspaces.list().then(
    (all) => all.forEach((workspace) => terminals.workspaceChanged(workspace.name, readiness(workspace))),
    () => undefined
  )
  return unsubscribe
}
