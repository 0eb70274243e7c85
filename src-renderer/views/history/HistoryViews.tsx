import { useId, useState } from 'react'
import { useNavigate } from '../../app/navigation-context'
import { historyPath, workspacePath } from '../../app/route'
import { useRoute } from '../../app/route-context'
import { useCallWhileOpen } from '../../app/use-call-while-open'
import { useHistoryWorkspaces } from '../../app/use-history-workspaces'
import { filterOptions } from './history-model'
import { ErrorsPanel } from './ErrorsPanel'
import { LogsPanel } from './LogsPanel'
import { PageHeader } from '../../components/PageHeader'

/** The sidebar's Logs: every workspace's lines, live, or one workspace's (`#/logs/<name>`). */
export function LogsView() {
  const route = useRoute()
  const workspace = 'workspace' in route ? route.workspace : undefined
  return (
    <div className="page page--fill history-page">
      <PageHeader title="Logs" lead="What every workspace’s app printed, kept on this machine, searchable." />
      <LogsPanel workspace={workspace} filters={<WorkspaceFilter view="logs" workspace={workspace} />} />
    </div>
  )
}

/** The sidebar's Errors: every workspace's errors grouped, or one workspace's. */
export function ErrorsView() {
  const route = useRoute()
  const navigate = useNavigate()
  const workspace = 'workspace' in route ? route.workspace : undefined
  const focus = 'focus' in route ? route.focus : undefined
  return (
    <div className="page page--wide history-page">
      <PageHeader
        title="Errors"
        lead="Errors and warnings the apps printed, grouped when they repeat."
        actions={<WorkspaceFilter view="errors" workspace={workspace} />}
      />
      <ErrorsPanel workspace={workspace} focus={focus} onOpenWorkspace={(name) => navigate(workspacePath(name, 'errors'))} />
    </div>
  )
}

/** Which workspace to show: all, one that exists, or one removed whose history is kept. */
function WorkspaceFilter({ view, workspace }: { view: 'logs' | 'errors'; workspace: string | undefined }) {
  const navigate = useNavigate()
  const id = useId()
  const [names, setNames] = useState<string[]>([])
  useCallWhileOpen(
    (bridge) => bridge.call('workspaces.list', {}),
    (list) => setNames(list.map((w) => w.name))
  )
  const options = filterOptions(names, useHistoryWorkspaces() ?? [], workspace)
  return (
    <>
      <label className="visually-hidden" htmlFor={id}>
        Workspace
      </label>
      <select id={id} className="field__input log-toolbar__select history-filter" value={workspace ?? ''} onChange={(event) => navigate(historyPath(view, event.target.value || undefined))} data-testid="history-workspace">
        <option value="">All workspaces</option>
        {options.map(({ name, removed }) => (
          <option key={name} value={name}>
            {removed ? `${name} (removed)` : name}
          </option>
        ))}
      </select>
    </>
  )
}
