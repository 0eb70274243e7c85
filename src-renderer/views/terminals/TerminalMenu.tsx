import { useEffect, useLayoutEffect, useRef, useState } from 'react'

export interface MenuPosition {
  x: number
  y: number
}

interface TerminalMenuProps {
  position: MenuPosition
  hasSelection: boolean
  onClose: () => void
  onCopy: () => void
  onPaste: () => void
  onSelectAll: () => void
  onClear: () => void
  onFind: () => void
}

/** The terminal's context menu; arrow keys move, Esc or a click elsewhere closes it. */
export function TerminalMenu({ position, hasSelection, onClose, onCopy, onPaste, onSelectAll, onClear, onFind }: TerminalMenuProps) {
  const menu = useRef<HTMLDivElement>(null)
  const [place, setPlace] = useState(position)
  // Kept inside the window near its edges.
  useLayoutEffect(() => {
    const box = menu.current?.getBoundingClientRect()
    if (box === undefined) return
    setPlace({ x: Math.max(4, Math.min(position.x, window.innerWidth - box.width - 4)), y: Math.max(4, Math.min(position.y, window.innerHeight - box.height - 4)) })
  }, [position])
  useEffect(() => {
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus()
    const away = (event: MouseEvent): void => {
      if (!menu.current?.contains(event.target as Node)) onClose()
    }
    window.addEventListener('mousedown', away, true)
    return () => window.removeEventListener('mousedown', away, true)
  }, [onClose])

  const items: Array<{ label: string; run: () => void; disabled?: boolean }> = [
    { label: 'Copy', run: onCopy, disabled: !hasSelection },
    { label: 'Paste', run: onPaste },
    { label: 'Select all', run: onSelectAll },
    { label: 'Find…', run: onFind },
    { label: 'Clear', run: onClear }
  ]
  return (
    <div
      ref={menu}
      className="term-menu"
      role="menu"
      aria-label="Terminal"
      style={{ left: place.x, top: place.y }}
      onKeyDown={(event) => {
        const buttons = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? [])]
        const at = buttons.indexOf(document.activeElement as HTMLElement)
        if (event.key === 'Escape') onClose()
        else if (event.key === 'ArrowDown') buttons[(at + 1) % buttons.length]?.focus()
        else if (event.key === 'ArrowUp') buttons[(at - 1 + buttons.length) % buttons.length]?.focus()
        else return
        event.preventDefault()
        event.stopPropagation()
      }}
    >
      {items.map(({ label, run, disabled }) => (
        <button
          key={label}
          type="button"
          role="menuitem"
          className="term-menu__item"
          aria-disabled={disabled === true}
          onClick={() => {
            if (disabled) return
            // The menu closes (focus back to the terminal) before the action, which may open the find bar.
            onClose()
            run()
          }}
        >
          {label}
        </button>
      ))}
    </div>
  )
}
