import type { Workspace } from '../../../src-main/core/contract'
import { StatusDot } from '../../components/StatusDot'
import { workspaceStatusModel } from '../workspace-model'

/** A terminal's workspace, "ready · running" with its dot, in the tabs' bar (or smaller, a grid cell's header). */
export function WorkspaceState({ workspace, small = false, testId }: { workspace: Workspace | undefined; small?: boolean; testId: string }) {
  if (workspace === undefined) return null
  const status = workspaceStatusModel(workspace)
  return (
    <span className={small ? 'terms__ws-state terms__ws-state--small' : 'terms__ws-state'} data-testid={testId} title={status.description}>
      <StatusDot tone={status.tone} />
      {status.status} · {status.container}
    </span>
  )
}
