import { useContext, useMemo, type ReactNode } from 'react'
import '../../styles/terminals.css'
import type { TerminalInfo, Workspace } from '../../../src-main/core/contract'
import { useConnection } from '../../app/bridge-context'
import { useNavigate } from '../../app/navigation-context'
import { RouteContext } from '../../app/route-context'
import { useWorkspaceList } from '../../app/use-workspace-list'
import { ErrorDetails } from '../../components/ErrorDetails'
import { TerminalGrid } from './TerminalGrid'
import { TerminalTabs } from './TerminalTabs'
import { parseTerminalsPath, terminalsPath, type TerminalsRoute } from './terminal-model'
import { useTerminalActions, useTerminalViews } from './use-terminal-page'
import { useTerminalList } from './use-terminal-list'

/** What the tabs and the grid share: the terminals, the workspaces, the actions and the mounted views. */
export interface TerminalsPage {
  terminals: readonly TerminalInfo[]
  workspaces: ReadonlyMap<string, Workspace>
  /** Undefined until the workspaces list is in (no name is called unknown before). */
  listed: ReadonlyMap<string, Workspace> | undefined
  actions: ReturnType<typeof useTerminalActions>
  views: ReturnType<typeof useTerminalViews>
  go(route: TerminalsRoute): void
  /** The last refusal, for the page to show below its header. */
  failure: ReactNode
}

/** `#/terminals` (the grid of every terminal) and `#/terminals/<workspace>` (one workspace's tabs). */
export function TerminalsView() {
  const route = parseTerminalsPath(useContext(RouteContext))
  const navigate = useNavigate()
  const open = useConnection().state === 'open'
  const list = useTerminalList()
  const { workspaces } = useWorkspaceList(open)
  const actions = useTerminalActions(terminalsPath(route))
  const views = useTerminalViews()
  const byName = useMemo(() => new Map((workspaces ?? []).map((workspace) => [workspace.name, workspace])), [workspaces])

  const failure = actions.failure ?? (list.error === undefined ? undefined : { action: 'Listing the terminals', error: list.error })
  const shown = failure && (
    <div className="terms__failure">
      <ErrorDetails error={failure.error} title={`${failure.action} failed`} onDismiss={actions.dismiss} />
    </div>
  )
  const page: TerminalsPage = {
    terminals: list.terminals ?? [],
    workspaces: byName,
    listed: workspaces === undefined ? undefined : byName,
    actions,
    views,
    go: (next) => navigate(terminalsPath(next)),
    failure: shown
  }
  return (
    <div className="terms" data-testid="terminals-view" data-page={route.page}>
      {list.terminals === undefined ? (
        <>
          {shown}
          <p className="terms__loading">Loading terminals…</p>
        </>
      ) : route.page === 'grid' ? (
        <TerminalGrid page={page} />
      ) : (
        <TerminalTabs page={page} group={route.group} />
      )}
    </div>
  )
}
