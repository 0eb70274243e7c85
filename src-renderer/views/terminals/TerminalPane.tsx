import { useEffect, useRef, useState } from 'react'
import type { TerminalInfo } from '../../../src-main/core/contract'
import { useBridge } from '../../app/bridge-context'
import { useSettings } from '../../app/settings-context'
import { FindBar } from './FindBar'
import { Menu } from '../../components/Menu'
import { windowScrollback, type LinkState } from './terminal-model'
import { XtermView } from './xterm-view'

export interface TerminalPaneProps {
  terminal: TerminalInfo
  fontSize: number
  /** Hidden panes (other tabs) stay attached and keep their screen, but are not fitted until shown. */
  hidden?: boolean
  findOpen: boolean
  onFindOpen: (open: boolean) => void
  onLink: (id: string, state: LinkState) => void
  /** The view, while mounted: the page's shortcuts act on it (focus, full screen, find). */
  onView?: (id: string, view: XtermView | undefined) => void
}

/** One terminal on the page: xterm.js filling its box, its find bar and its context menu. */
export function TerminalPane({ terminal, fontSize, hidden = false, findOpen, onFindOpen, onLink, onView }: TerminalPaneProps) {
  const bridge = useBridge()
  const scrollback = windowScrollback(useSettings().view)
  const box = useRef<HTMLDivElement>(null)
  const [view, setView] = useState<XtermView>()
  const [results, setResults] = useState({ index: -1, count: 0 })
  const [menu, setMenu] = useState<{ x: number; y: number }>()
  // The first TerminalInfo is enough to start; later ones (renames, resizes) do not re-create the terminal.
  const initial = useRef(terminal)
  const callbacks = useRef({ onLink, onView })
  callbacks.current = { onLink, onView }
  // Read when the terminal is made; later changes go to the live view below, without re-creating it.
  const scrollbackNow = useRef(scrollback)
  scrollbackNow.current = scrollback

  useEffect(() => {
    const element = box.current
    if (element === null) return
    const id = initial.current.id
    const created = new XtermView({
      bridge,
      terminal: initial.current,
      element,
      fontSize,
      scrollback: scrollbackNow.current,
      onLink: (state) => callbacks.current.onLink(id, state),
      onFindResults: setResults
    })
    setView(created)
    callbacks.current.onView?.(id, created)
    // Every layout change (window, grid reflow, full screen, a tab shown) refits, once per frame at most.
    let frame = 0
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame)
      frame = requestAnimationFrame(() => created.fit())
    })
    observer.observe(element)
    return () => {
      cancelAnimationFrame(frame)
      observer.disconnect()
      callbacks.current.onView?.(id, undefined)
      created.dispose()
    }
  }, [bridge, fontSize])

  useEffect(() => view?.setScrollback(scrollback), [view, scrollback])

  useEffect(() => {
    if (!hidden) view?.fit()
  }, [hidden, view])

  return (
    <div
      className="term-pane"
      hidden={hidden}
      data-testid="terminal-pane"
      data-terminal={terminal.id}
      onContextMenu={(event) => {
        event.preventDefault()
        setMenu({ x: event.clientX, y: event.clientY })
      }}
    >
      {findOpen && view && (
        <FindBar
          results={results}
          onFind={(text, direction, incremental) => view.find(text, direction, incremental)}
          onClose={() => {
            view.clearFind()
            onFindOpen(false)
            view.focus()
          }}
        />
      )}
      <div className="term-pane__xterm" ref={box} />
      {menu && view && (
        <Menu
          label="Terminal"
          at={menu}
          items={[
            { id: 'copy', label: 'Copy', run: () => void view.copy(), disabled: !view.term.hasSelection() },
            { id: 'paste', label: 'Paste', run: () => void view.paste() },
            { id: 'select-all', label: 'Select all', run: () => view.term.selectAll() },
            { id: 'find', label: 'Find…', run: () => onFindOpen(true) },
            { id: 'clear', label: 'Clear', run: () => view.term.clear() },
          ]}
          onClose={() => {
            setMenu(undefined)
            view.focus()
          }}
        />
      )}
    </div>
  )
}
