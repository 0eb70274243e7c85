import { useId, useRef, useState } from 'react'
import type { Workspace } from '../../../src-main/core/contract'
import { Icon } from '../../components/Icon'
import { Menu } from '../../components/Menu'
import { HOST_GROUP } from './terminal-model'

/** The workspaces a terminal can open in: ready, with their container running. */
export function runningWorkspaces(workspaces: ReadonlyMap<string, Workspace>): Workspace[] {
  return [...workspaces.values()].filter((workspace) => workspace.status === 'ready' && workspace.container === 'running')
}

/** "New terminal": a menu button offering a shell on this computer, or one in any workspace whose container runs. */
export function NewTerminalMenu({ workspaces, onOpen }: { workspaces: ReadonlyMap<string, Workspace>; onOpen: (group: string) => void }) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const menuId = useId()
  const items = [
    { id: HOST_GROUP, label: 'On this computer', icon: 'terminals' as const, run: () => onOpen(HOST_GROUP) },
    ...runningWorkspaces(workspaces).map((workspace) => ({ id: workspace.name, label: `In ${workspace.name}`, icon: 'workspaces' as const, run: () => onOpen(workspace.name) }))
  ]
  return (
    <div className="terms__new-menu">
      <button
        ref={button}
        type="button"
        className="button button--small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
      >
        <Icon name="plus" size={14} />
        New terminal…
      </button>
      {open && (
        <Menu
          id={menuId}
          label="New terminal"
          items={items}
          opener={button}
          onClose={(reason) => {
            setOpen(false)
            if (reason === 'escape' || reason === 'chosen') button.current?.focus()
          }}
        />
      )}
    </div>
  )
}
