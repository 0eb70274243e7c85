import type { Workspace } from '../../../src-main/core/contract'
import { HOST_GROUP } from './terminal-model'

/** "New terminal in …": a shell on this computer, or in any workspace whose container runs. */
export function NewTerminalPicker({ workspaces, onOpen }: { workspaces: ReadonlyMap<string, Workspace>; onOpen: (group: string) => void }) {
  const running = [...workspaces.values()].filter((workspace) => workspace.status === 'ready' && workspace.container === 'running')
  return (
    <select
      className="terms__select terms__select--new"
      aria-label="New terminal"
      value=""
      onChange={(event) => {
        if (event.target.value !== '') onOpen(event.target.value)
      }}
    >
      <option value="">New terminal…</option>
      <option value={HOST_GROUP}>On this computer</option>
      {running.map((workspace) => (
        <option key={workspace.name} value={workspace.name}>
          In {workspace.name}
        </option>
      ))}
    </select>
  )
}
