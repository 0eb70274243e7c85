import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { Icon, type IconName } from './Icon'

export interface MenuItem {
  id: string
  label: string
  icon?: IconName
  disabled?: boolean
  run: () => void
}

/** Why a menu closed: its opener gives the focus back after Escape or a choice, not after Tab or a click away. */
export type MenuCloseReason = 'escape' | 'tab' | 'outside' | 'chosen'

interface MenuProps {
  label: string
  items: readonly MenuItem[]
  onClose: (reason: MenuCloseReason) => void
  /** Opened at a point (a context menu), kept inside the window; otherwise below its positioned parent, right-aligned. */
  at?: { x: number; y: number }
  /** The button that opened it: a press on it is its own toggle, not a click away. */
  opener?: RefObject<HTMLElement | null>
  id?: string
}

/**
 * A menu, open while rendered: the first enabled item takes the focus, arrow keys move, Escape or Tab closes, and
 * so does a press anywhere else. Keys stop here (a terminal under it must not see them).
 */
export function Menu({ label, items, onClose, at, opener, id }: MenuProps) {
  const menu = useRef<HTMLDivElement>(null)
  const [place, setPlace] = useState(at)
  const latestClose = useRef(onClose)
  useLayoutEffect(() => {
    latestClose.current = onClose
  })

  useLayoutEffect(() => {
    const box = menu.current?.getBoundingClientRect()
    if (at === undefined || box === undefined) return
    setPlace({ x: Math.max(4, Math.min(at.x, window.innerWidth - box.width - 4)), y: Math.max(4, Math.min(at.y, window.innerHeight - box.height - 4)) })
  }, [at])

  useEffect(() => {
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus()
    // Captured, so a view that stops its own presses (xterm.js) still closes the menu.
    const away = (event: PointerEvent): void => {
      const target = event.target as Node
      if (!menu.current?.contains(target) && !opener?.current?.contains(target)) latestClose.current('outside')
    }
    window.addEventListener('pointerdown', away, true)
    return () => window.removeEventListener('pointerdown', away, true)
  }, [opener])

  return (
    <div
      ref={menu}
      id={id}
      className={at ? 'menu menu--at' : 'menu menu--below'}
      role="menu"
      aria-label={label}
      style={place && { left: place.x, top: place.y }}
      onKeyDown={(event) => {
        const buttons = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
        const index = buttons.indexOf(document.activeElement as HTMLElement)
        // Tab leaves the menu for the next control, closing it.
        if (event.key === 'Tab') return onClose('tab')
        if (event.key === 'Escape') onClose('escape')
        else if (event.key === 'ArrowDown') buttons[(index + 1) % buttons.length]?.focus()
        else if (event.key === 'ArrowUp') buttons[(index - 1 + buttons.length) % buttons.length]?.focus()
        else return
        event.preventDefault()
        event.stopPropagation()
      }}
    >
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          className="menu__item"
          aria-disabled={item.disabled === true}
          onClick={() => {
            if (item.disabled) return
            // Closed first: the action may move the focus itself (the terminal's find bar).
            onClose('chosen')
            item.run()
          }}
        >
          {item.icon && <Icon name={item.icon} size={14} />}
          {item.label}
        </button>
      ))}
    </div>
  )
}
