import { useEffect, useRef, useState } from 'react'
import type { TerminalInfo } from '../../../src-main/core/contract'
import { Icon } from '../../components/Icon'
import { StatusDot } from '../../components/StatusDot'
import { rememberedTab, rememberTab } from './tab-memory'
import { TerminalPane } from './TerminalPane'
import { WorkspaceState } from './WorkspaceState'
import { TerminalsPageFrame } from './TerminalsPageFrame'
import type { TerminalsPage } from './TerminalsView'
import { connectionLabel, groupLabel, groupOf, groupsOf, groupStanding, HOST_GROUP, reorderWithinGroup, type LinkState } from './terminal-model'
import { usePageShortcuts } from './use-terminal-page'
import { GoToWorkspaces, NoSuchWorkspace } from '../../components/GoToWorkspaces'

const FONT_SIZE = 13

/**
 * One group's terminals as tabs: + opens another, double-click (or F2) renames, drag reorders, × closes. A
 * workspace that is not listed opens none: a removed one keeps its exited tabs readable, a name never made says so.
 */
export function TerminalTabs({ page, group }: { page: TerminalsPage; group: string }) {
  const members = page.terminals.filter((terminal) => groupOf(terminal) === group)
  const standing = groupStanding(group, page.listed, members.length)
  const remembered = rememberedTab(group)
  const selected = members.find((terminal) => terminal.id === remembered)?.id ?? members[0]?.id
  const [, setShown] = useState(0)
  const [findOpen, setFindOpen] = useState(false)
  const [renaming, setRenaming] = useState<string>()
  const dragFrom = useRef<number | undefined>(undefined)
  const groups = [...new Set([...groupsOf(page.terminals), ...(standing === 'unknown' ? [] : [group])])]
  const workspace = page.workspaces.get(group)

  const select = (id: string): void => {
    rememberTab(group, id)
    setShown((count) => count + 1)
    setFindOpen(false)
  }
  const openNew = async (): Promise<void> => {
    if (standing !== 'open') return
    const opened = await page.actions.open(group)
    if (opened !== undefined) select(opened.id)
  }
  const step = (by: number): void => {
    if (members.length === 0) return
    const at = members.findIndex((terminal) => terminal.id === selected)
    select(members[(at + by + members.length) % members.length]!.id)
  }

  usePageShortcuts((id) => {
    if (id === 'new-terminal') void openNew()
    else if (id === 'next-tab') step(1)
    else if (id === 'previous-tab') step(-1)
    else if (id === 'toggle-grid') page.go({ page: 'grid' })
    else if (id === 'find' && selected !== undefined) setFindOpen(true)
  })

  // The shown terminal takes the keyboard (once its view exists).
  useEffect(() => {
    if (selected === undefined || renaming !== undefined) return
    const timer = setTimeout(() => page.views.views.current.get(selected)?.focus(), 0)
    return () => clearTimeout(timer)
  }, [selected, renaming, page.views.views])

  const label = groupLabel(group)
  return (
    <TerminalsPageFrame
      failure={page.failure}
      controls={
        <>
          <nav className="terms__groups" aria-label="Terminal groups">
            {groups.map((candidate) => (
              <button
                key={candidate}
                type="button"
                className="terms__group"
                aria-current={candidate === group ? 'page' : undefined}
                onClick={() => page.go({ page: 'tabs', group: candidate })}
              >
                {groupLabel(candidate)}
              </button>
            ))}
          </nav>
          <span className="terms__spacer" />
          <WorkspaceState workspace={workspace} testId="tabs-workspace-state" />
          <button type="button" className="button button--small" onClick={() => page.go({ page: 'grid' })}>
            Grid
          </button>
        </>
      }
    >
      {standing !== 'unknown' && (
        <div className="terms__tabs" role="tablist" aria-label={`Terminals of ${label}`}>
          {members.map((terminal, index) => (
            <Tab
              key={terminal.id}
              terminal={terminal}
              selected={terminal.id === selected}
              link={page.views.links[terminal.id] ?? 'attaching'}
              renaming={renaming === terminal.id}
              onSelect={() => select(terminal.id)}
              onRename={(name) => {
                setRenaming(undefined)
                if (name !== undefined && name.trim() !== '' && name.trim() !== terminal.name) void page.actions.rename(terminal.id, name.trim())
              }}
              onStartRename={() => setRenaming(terminal.id)}
              onClose={() => void page.actions.close(terminal.id)}
              onStep={step}
              onDragStart={() => (dragFrom.current = index)}
              onDrop={() => {
                const from = dragFrom.current
                dragFrom.current = undefined
                if (from !== undefined && from !== index) void page.actions.reorder(reorderWithinGroup(page.terminals, group, from, index))
              }}
            />
          ))}
          {standing === 'open' && (
            <button type="button" className="terms__new" aria-label={`New terminal in ${label}`} title={`New terminal in ${label}`} onClick={() => void openNew()}>
              <Icon name="plus" size={14} />
            </button>
          )}
        </div>
      )}

      {standing === 'removed' && (
        <div className="note terms__gone" data-testid="terminals-gone" data-standing="removed">
          <Icon name="trash" size={14} />
          <span>
            <strong>{label} was removed.</strong> Its terminals have ended; their screens stay here until you close them.
          </span>
          <GoToWorkspaces look="small" />
        </div>
      )}
      {standing === 'unknown' ? (
        <div className="terms__empty-page">
          <NoSuchWorkspace name={label} why="It was removed, or it was never made." testId="terminals-gone" />
        </div>
      ) : members.length === 0 ? (
        <div className="terms__empty">
          <p>{group === HOST_GROUP ? 'No shell on this computer is open.' : `${label} has no open terminal.`}</p>
          <button type="button" className="button button--primary" onClick={() => void openNew()}>
            <Icon name="terminals" size={14} />
            Open a terminal
          </button>
        </div>
      ) : (
        <div className="terms__panels">
          {members.map((terminal) => (
            <div key={terminal.id} className="terms__panel" role="tabpanel" aria-label={terminal.name} hidden={terminal.id !== selected}>
              <TerminalPane
                terminal={terminal}
                fontSize={FONT_SIZE}
                hidden={terminal.id !== selected}
                findOpen={findOpen && terminal.id === selected}
                onFindOpen={setFindOpen}
                onLink={page.views.onLink}
                onView={page.views.onView}
              />
            </div>
          ))}
        </div>
      )}
    </TerminalsPageFrame>
  )
}

interface TabProps {
  terminal: TerminalInfo
  selected: boolean
  link: LinkState
  renaming: boolean
  onSelect(): void
  onStartRename(): void
  onRename(name: string | undefined): void
  onClose(): void
  onStep(by: number): void
  onDragStart(): void
  onDrop(): void
}

function Tab({ terminal, selected, link, renaming, onSelect, onStartRename, onRename, onClose, onStep, onDragStart, onDrop }: TabProps) {
  const connection = connectionLabel(terminal.state, link, terminal.exitCode)
  const [over, setOver] = useState(false)
  // Enter, Esc and the blur that follows them end one rename once.
  const finished = useRef(false)
  useEffect(() => {
    if (renaming) finished.current = false
  }, [renaming])
  const finish = (name: string | undefined): void => {
    if (finished.current) return
    finished.current = true
    onRename(name)
  }
  return (
    <div
      className={`terms__tab${over ? ' terms__tab--drop' : ''}`}
      role="tab"
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      draggable={!renaming}
      data-testid="terminal-tab"
      data-terminal={terminal.id}
      title={`${terminal.name}: ${connection.text}`}
      onClick={onSelect}
      onDoubleClick={onStartRename}
      onKeyDown={(event) => {
        if (renaming) return
        if (event.key === 'F2') onStartRename()
        else if (event.key === 'ArrowRight') onStep(1)
        else if (event.key === 'ArrowLeft') onStep(-1)
        else if (event.key === 'Delete') onClose()
        else return
        event.preventDefault()
      }}
      onDragStart={(event) => {
        event.dataTransfer.effectAllowed = 'move'
        event.dataTransfer.setData('text/plain', terminal.id)
        onDragStart()
      }}
      onDragOver={(event) => {
        event.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault()
        setOver(false)
        onDrop()
      }}
    >
      <StatusDot tone={connection.tone} />
      {renaming ? (
        <input
          className="terms__rename"
          aria-label="Terminal name"
          defaultValue={terminal.name}
          maxLength={64}
          autoFocus
          onFocus={(event) => event.target.select()}
          onClick={(event) => event.stopPropagation()}
          onKeyDown={(event) => {
            event.stopPropagation()
            if (event.key === 'Enter') finish(event.currentTarget.value)
            else if (event.key === 'Escape') finish(undefined)
          }}
          onBlur={(event) => finish(event.currentTarget.value)}
        />
      ) : (
        <span className="terms__tab-name">{terminal.name}</span>
      )}
      <button
        type="button"
        className="icon-button terms__tab-close"
        aria-label={`Close ${terminal.name}`}
        tabIndex={-1}
        onClick={(event) => {
          event.stopPropagation()
          onClose()
        }}
      >
        <Icon name="close" size={12} />
      </button>
    </div>
  )
}
