import { useEffect, useRef, useState, type DragEvent } from 'react'
import { formatBytes } from '../../../../src-main/core/text/format-bytes'
import { Icon } from '../../../components/Icon'
import { dropFolder, keyAction, PAGE, ROOT, type TreeRow } from './file-tree-model'
import { Time } from '../../../components/Time'

interface FileTreeViewProps {
  rows: readonly TreeRow[]
  /** The row shown in the viewer (a file) or chosen as the upload folder. */
  selected: string | undefined
  onToggle: (folder: string) => void
  onSelect: (row: TreeRow & { kind: 'entry' }) => void
  onMore: (folder: string) => void
  onDropFiles: (files: File[], folder: string) => void
  /** F2 and Delete on an entry. */
  onCommand: (command: 'rename' | 'remove', row: TreeRow & { kind: 'entry' }) => void
  label: string
}

/**
 * /app as a WAI-ARIA tree: one row in the tab order (roving tabindex), arrows to move, open and close, Enter to
 * show a file, F2 to rename and Delete to remove. Files dropped on a folder go into it; on a file, into its folder; on the empty space, into /app.
 */
export function FileTreeView({ rows, selected, onToggle, onSelect, onMore, onDropFiles, onCommand, label }: FileTreeViewProps) {
  const tree = useRef<HTMLDivElement>(null)
  const [active, setActive] = useState<string>()
  const [dropOn, setDropOn] = useState<string>()
  const activeIndex = Math.max(0, rows.findIndex((r) => r.id === active))
  const focusWanted = useRef(false)

  // After a key moved the focus, the row it went to gets it once it is drawn.
  useEffect(() => {
    if (!focusWanted.current) return
    focusWanted.current = false
    tree.current?.querySelector<HTMLElement>(`[data-row="${CSS.escape(rows[activeIndex]?.id ?? '')}"]`)?.focus()
  }, [activeIndex, rows])

  const act = (row: TreeRow): void => {
    setActive(row.id)
    if (row.kind === 'more') onMore(row.folder)
    else if (row.kind === 'entry') {
      // Choosing a folder (as the upload target) opens it when closed, and never closes it: closing is the
      // chevron's job (or the Left arrow), so picking an open folder keeps its contents in view.
      if (row.expandable && !row.expanded) onToggle(row.entry.path)
      onSelect(row)
    }
  }

  const toggle = (row: TreeRow & { kind: 'entry' }): void => {
    setActive(row.id)
    onToggle(row.entry.path)
  }

  const onKeyDown = (event: React.KeyboardEvent): void => {
    const action = keyAction(rows, activeIndex, event.key)
    if (action === undefined) return
    event.preventDefault()
    if ('focus' in action) {
      focusWanted.current = true
      setActive(rows[action.focus]?.id)
    } else if ('toggle' in action) onToggle(action.toggle)
    else if ('more' in action) onMore(action.more)
    else {
      const row = rows[activeIndex]
      if (row?.kind !== 'entry') return
      onSelect(row)
      if ('rename' in action) onCommand('rename', row)
      else if ('remove' in action) onCommand('remove', row)
    }
  }

  const folderOf = (event: DragEvent): string => {
    const id = (event.target as HTMLElement).closest<HTMLElement>('[data-row]')?.dataset.row
    return dropFolder(rows.find((r) => r.id === id))
  }
  const carriesFiles = (event: DragEvent): boolean => event.dataTransfer.types.includes('Files')

  return (
    <div
      className={`file-tree${dropOn === ROOT ? ' file-tree--drop' : ''}`}
      role="tree"
      aria-label={label}
      ref={tree}
      data-testid="file-tree"
      onKeyDown={onKeyDown}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return
        event.preventDefault()
        event.dataTransfer.dropEffect = 'copy'
        setDropOn(folderOf(event))
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropOn(undefined)
      }}
      onDrop={(event) => {
        if (!carriesFiles(event)) return
        event.preventDefault()
        setDropOn(undefined)
        onDropFiles([...event.dataTransfer.files], folderOf(event))
      }}
    >
      {rows.map((row, index) => (
        <Row key={row.id} row={row} tabIndex={index === activeIndex ? 0 : -1} selected={row.id === selected} dropTarget={row.kind === 'entry' && row.entry.path === dropOn} onClick={() => act(row)} onTwisty={() => row.kind === 'entry' && toggle(row)} />
      ))}
    </div>
  )
}

interface RowProps {
  row: TreeRow
  tabIndex: number
  selected: boolean
  dropTarget: boolean
  onClick: () => void
  /** A click on a folder's chevron: open or close it, and nothing else. */
  onTwisty: () => void
}

function Row({ row, tabIndex, selected, dropTarget, onClick, onTwisty }: RowProps) {
  const indent = { paddingInlineStart: `${8 + row.depth * 16}px` }
  if (row.kind === 'status') {
    return (
      <div className={`file-tree__status file-tree__status--${row.status}`} style={indent} role="none" data-row={row.id}>
        {row.status === 'loading' ? 'Loading…' : row.status === 'empty' ? 'Empty folder' : `Could not list it: ${row.error?.message ?? ''}`}
      </div>
    )
  }
  if (row.kind === 'more') {
    return (
      <div className="file-tree__row file-tree__row--more" style={indent} role="treeitem" aria-level={row.depth + 1} tabIndex={tabIndex} data-row={row.id} data-testid="file-tree-more" onClick={onClick}>
        <Icon name="more" size={14} />
        Show {Math.min(row.remaining, PAGE)} more of {row.remaining}
      </div>
    )
  }
  const { entry } = row
  const classes = ['file-tree__row', row.hidden && 'file-tree__row--hidden', selected && 'file-tree__row--selected', dropTarget && 'file-tree__row--drop'].filter(Boolean).join(' ')
  return (
    <div
      className={classes}
      style={indent}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-expanded={row.expandable ? row.expanded : undefined}
      aria-selected={selected}
      tabIndex={tabIndex}
      data-row={row.id}
      data-testid="file-tree-row"
      data-path={entry.path}
      data-type={entry.type}
      onClick={onClick}
    >
      <span
        className="file-tree__twisty"
        aria-hidden="true"
        data-testid={row.expandable ? 'file-tree-twisty' : undefined}
        onClick={(event) => {
          if (!row.expandable) return
          event.stopPropagation()
          onTwisty()
        }}
      >
        {row.expandable && <Icon name="chevron" size={12} className={row.expanded ? 'file-tree__chevron--open' : undefined} />}
      </span>
      <Icon name={row.expandable ? 'folder' : 'file'} size={14} className="file-tree__icon" />
      <span className="file-tree__name" title={entry.path}>
        {entry.name}
        {entry.type === 'link' && <span className="file-tree__tag"> link</span>}
      </span>
      {row.generated && <span className="file-tree__badge" title={`${entry.name} holds ${row.generated}: open it only when you need to`}>{row.generated}</span>}
      <span className="file-tree__size">{entry.type === 'file' ? formatBytes(entry.size) : ''}</span>
      <Time className="file-tree__time" iso={entry.modified} />
    </div>
  )
}
