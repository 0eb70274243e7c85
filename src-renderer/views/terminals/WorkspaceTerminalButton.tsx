import { useState } from 'react'
import type { Workspace } from '../../../src-main/core/contract'
import { useBridge } from '../../app/bridge-context'
import { useNavigate } from '../../app/navigation-context'
import { callError } from '../../bridge/bridge'
import { Icon } from '../../components/Icon'
import { workspaceTerminalPath } from './tab-memory'

/**
 * A workspace's "Terminal": one click shows its terminals, opening the first when it has none. `primary`: the
 * next step after a shell workspace's create, always labelled (a row's shrinks to an icon in a narrow window).
 */
export function WorkspaceTerminalButton({ workspace, primary = false, small = false }: { workspace: Pick<Workspace, 'name' | 'status' | 'container'>; primary?: boolean; small?: boolean }) {
  const bridge = useBridge()
  const navigate = useNavigate()
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string>()
  const { name } = workspace
  const usable = !busy && workspace.status === 'ready' && workspace.container === 'running'
  return (
    <button
      type="button"
      className={primary ? `button button--primary${small ? ' button--small' : ''}` : 'button button--small'}
      aria-disabled={!usable}
      aria-label={`Terminal in ${name}`}
      title={problem ?? (usable ? `Open a terminal in ${name}` : `A terminal needs ${name} running`)}
      data-testid="workspace-terminal"
      onClick={() => {
        if (!usable) return
        setBusy(true)
        setProblem(undefined)
        workspaceTerminalPath(bridge, name).then(navigate, (err: unknown) => {
          const error = callError(err)
          setProblem(`No terminal: ${error.message}${error.hint ? ` ${error.hint}` : ''}`)
          setBusy(false)
        })
      }}
    >
      <Icon name={busy ? 'spinner' : 'terminals'} size={13} className={busy ? 'spin' : undefined} />
      {primary ? 'Open terminal' : <span className="ws-row__action-label">Terminal</span>}
    </button>
  )
}
