import { useEffect, useRef, useState } from 'react'
import type { TerminalInfo } from '../../../src-main/core/contract'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icon'
import { NewTerminalMenu, runningWorkspaces } from './NewTerminalMenu'
import { ShortcutsDialog } from './ShortcutList'
import { rememberTab } from './tab-memory'
import { TerminalPane } from './TerminalPane'
import { WorkspaceState } from './WorkspaceState'
import { TerminalsPageFrame } from './TerminalsPageFrame'
import type { TerminalsPage } from './TerminalsView'
import { connectionLabel, gridShape, groupLabel, groupOf, groupsOf, HOST_GROUP, matchesFilter, STATE_FILTERS, type StateFilter } from './terminal-model'
import { usePageShortcuts } from './use-terminal-page'
import { keysFor } from './shortcuts'
import { GoToWorkspaces } from '../../components/GoToWorkspaces'

const FONT_SIZE = 12
const STATE_LABEL: Record<StateFilter, string> = { all: 'Any state', running: 'Live', connecting: 'Reconnecting', exited: 'Exited' }

/** Every open terminal at once: a responsive grid with a filter, find, and full screen for one cell (Esc returns). */
export function TerminalGrid({ page }: { page: TerminalsPage }) {
  const [text, setText] = useState('')
  const [state, setState] = useState<StateFilter>('all')
  const [full, setFull] = useState<string>()
  const [focused, setFocused] = useState<string>()
  const [findFor, setFindFor] = useState<string>()
  const [shortcuts, setShortcuts] = useState(false)
  const body = useRef<HTMLDivElement>(null)
  const width = useWidth(body)
  const shown = page.terminals.filter((terminal) => matchesFilter(terminal, { text, state }))
  const shape = gridShape(shown.length, width)
  const current = shown.find((terminal) => terminal.id === focused) ?? shown[0]

  const focusCell = (id: string): void => {
    setFocused(id)
    page.views.views.current.get(id)?.focus()
  }
  const step = (by: number): void => {
    if (shown.length === 0) return
    const at = current === undefined ? 0 : shown.indexOf(current)
    const next = shown[(at + by + shown.length) % shown.length]!
    if (full !== undefined) setFull(next.id)
    focusCell(next.id)
  }
  const openIn = async (group: string): Promise<void> => {
    const opened = await page.actions.open(group)
    if (opened !== undefined) setTimeout(() => focusCell(opened.id), 0)
  }

  usePageShortcuts((id) => {
    if (id === 'new-terminal') void openIn(current === undefined ? HOST_GROUP : groupOf(current))
    else if (id === 'next-tab') step(1)
    else if (id === 'previous-tab') step(-1)
    else if (id === 'toggle-grid') page.go({ page: 'tabs', group: current === undefined ? (groupsOf(page.terminals)[0] ?? HOST_GROUP) : groupOf(current) })
    else if (id === 'find' && current !== undefined) setFindFor(current.id)
    else if (id === 'full-screen' && current !== undefined) setFull((was) => (was === current.id ? undefined : current.id))
  })

  // Esc leaves full screen, unless a full-screen program (vim, less) in that terminal needs it.
  useEffect(() => {
    if (full === undefined) return
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      if (page.views.views.current.get(full)?.inFullScreenProgram()) return
      event.preventDefault()
      event.stopPropagation()
      setFull(undefined)
      setTimeout(() => page.views.views.current.get(full)?.focus(), 0)
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [full, page.views.views])

  return (
    <TerminalsPageFrame
      failure={page.failure}
      controls={
        <>
          <input
            className="terms__filter"
            type="search"
            placeholder="Filter…"
            aria-label="Filter by workspace"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          <select className="terms__select" aria-label="Filter by state" value={state} onChange={(event) => setState(event.target.value as StateFilter)}>
            {STATE_FILTERS.map((option) => (
              <option key={option} value={option}>
                {STATE_LABEL[option]}
              </option>
            ))}
          </select>
          <span className="terms__spacer" />
          <NewTerminalMenu workspaces={page.workspaces} onOpen={(group) => void openIn(group)} />
          <button type="button" className="button button--small" onClick={() => setShortcuts(true)} title="Keyboard shortcuts" aria-haspopup="dialog">
            Shortcuts
          </button>
          {shortcuts && <ShortcutsDialog onClose={() => setShortcuts(false)} />}
        </>
      }
    >
      <div
        ref={body}
        hidden={page.terminals.length === 0}
        className={`terms__grid${full === undefined ? '' : ' terms__grid--full'}`}
        data-testid="terminal-grid"
        data-columns={shape.columns}
        style={{ gridTemplateColumns: `repeat(${shape.columns}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${shape.rows}, minmax(var(--term-cell-min), 1fr))` }}
      >
        {shown.map((terminal) => (
          <GridCell
            key={terminal.id}
            page={page}
            terminal={terminal}
            full={full === terminal.id}
            hidden={full !== undefined && full !== terminal.id}
            findOpen={findFor === terminal.id}
            onFindOpen={(open) => setFindFor(open ? terminal.id : undefined)}
            onFocus={() => setFocused(terminal.id)}
            onFull={() => setFull((was) => (was === terminal.id ? undefined : terminal.id))}
            onTabs={() => {
              rememberTab(groupOf(terminal), terminal.id)
              page.go({ page: 'tabs', group: groupOf(terminal) })
            }}
          />
        ))}
      </div>
      {page.terminals.length === 0 ? (
        <GridEmpty page={page} onOpen={(group) => void openIn(group)} />
      ) : (
        shown.length === 0 && (
          <div className="terms__empty" data-testid="grid-no-match">
            <p>No terminal matches the filter.</p>
          </div>
        )
      )}
    </TerminalsPageFrame>
  )
}

/** No terminal open: what can be opened, as buttons, in the middle of the page. */
function GridEmpty({ page, onOpen }: { page: TerminalsPage; onOpen: (group: string) => void }) {
  // A few workspaces as buttons; more are in the New terminal menu above.
  const running = runningWorkspaces(page.workspaces).slice(0, 3)
  return (
    <div className="terms__empty-page">
      <EmptyState icon="terminals" title="No terminal is open" testId="grid-empty" text={running.length > 0 ? 'Open a shell on this computer, or in a running workspace.' : 'Open a shell on this computer. A terminal in a workspace needs it running: start one in Workspaces.'}>
        <div className="terms__empty-actions">
          <button type="button" className="button button--primary" onClick={() => onOpen(HOST_GROUP)}>
            <Icon name="terminals" size={14} />
            Shell on this computer
          </button>
          {running.map((workspace) => (
            <button key={workspace.name} type="button" className="button" onClick={() => onOpen(workspace.name)}>
              <Icon name="workspaces" size={14} />
              Terminal in {workspace.name}
            </button>
          ))}
          {running.length === 0 && (
            <GoToWorkspaces />
          )}
        </div>
      </EmptyState>
    </div>
  )
}

interface GridCellProps {
  page: TerminalsPage
  terminal: TerminalInfo
  full: boolean
  hidden: boolean
  findOpen: boolean
  onFindOpen(open: boolean): void
  onFocus(): void
  onFull(): void
  onTabs(): void
}

function GridCell({ page, terminal, full, hidden, findOpen, onFindOpen, onFocus, onFull, onTabs }: GridCellProps) {
  const group = groupOf(terminal)
  const workspace = page.workspaces.get(group)
  const connection = connectionLabel(terminal.state, page.views.links[terminal.id] ?? 'attaching', terminal.exitCode)
  const label = `${groupLabel(group)}: ${terminal.name}`
  return (
    <section
      className={`term-cell${full ? ' term-cell--full' : ''}`}
      hidden={hidden}
      aria-label={label}
      data-testid="grid-cell"
      data-terminal={terminal.id}
      data-group={group}
      data-full={full}
      onFocus={onFocus}
    >
      <header className="term-cell__header">
        <span className="term-cell__title">
          <button type="button" className="term-cell__name" onClick={onTabs} title={`Show ${groupLabel(group)}’s tabs`}>
            {groupLabel(group)}
          </button>
          {terminal.name !== groupLabel(group) && <span className="term-cell__terminal">{terminal.name}</span>}
        </span>
        <WorkspaceState workspace={workspace} small testId="cell-workspace-state" />
        <span className={`badge badge--sm badge--${connection.tone}`} data-testid="cell-connection">
          {connection.text}
        </span>
        <button type="button" className="icon-button" aria-label={`Find in ${label}`} title={`Find (${keysFor('find')})`} onClick={() => onFindOpen(!findOpen)}>
          <Icon name="search" size={13} />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={full ? `Leave full screen for ${label}` : `Full screen for ${label}`}
          aria-pressed={full}
          title={full ? 'Leave full screen (Esc)' : `Full screen (${keysFor('full-screen')})`}
          onClick={onFull}
        >
          {full ? '⤡' : '⤢'}
        </button>
        <button type="button" className="icon-button" aria-label={`Close ${label}`} title="Close the terminal" onClick={() => void page.actions.close(terminal.id)}>
          <Icon name="close" size={13} />
        </button>
      </header>
      <TerminalPane
        terminal={terminal}
        fontSize={FONT_SIZE}
        hidden={hidden}
        findOpen={findOpen}
        onFindOpen={onFindOpen}
        onLink={page.views.onLink}
        onView={page.views.onView}
      />
    </section>
  )
}

/** An element's width, kept current. */
function useWidth(element: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(1200)
  useEffect(() => {
    const target = element.current
    if (target === null) return
    const observer = new ResizeObserver(([entry]) => {
      if (entry !== undefined) setWidth(Math.round(entry.contentRect.width))
    })
    observer.observe(target)
    return () => observer.disconnect()
  }, [element])
  return width
}
