import { useEffect, useId, useRef, useState } from 'react'
import { Icon, type IconName } from '../../components/Icon'

export interface MenuAction {
  id: string
  label: string
  icon: IconName
  disabled?: boolean
  run: () => void
}

/**
 * A "More actions" button with a menu: arrow keys move, Escape closes and gives the focus back, a click
 * outside closes. Used where a narrow window has no room for every button.
 */
export function ActionMenu({ label, actions }: { label: string; actions: MenuAction[] }) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLUListElement>(null)
  const menuId = useId()

  useEffect(() => {
    if (!open) return
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus()
    const onPointer = (event: PointerEvent): void => {
      if (!menu.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    return () => document.removeEventListener('pointerdown', onPointer)
  }, [open])

  const close = (): void => {
    setOpen(false)
    button.current?.focus()
  }

  return (
    <div className="action-menu">
      <button
        ref={button}
        type="button"
        className="button button--small action-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={label}
        title={label}
        onClick={() => setOpen(!open)}
      >
        <Icon name="more" size={16} />
      </button>
      {open && (
        <ul
          className="action-menu__list"
          role="menu"
          id={menuId}
          ref={menu}
          aria-label={label}
          onKeyDown={(event) => {
            const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
            const at = items.indexOf(document.activeElement as HTMLElement)
            // Tab leaves the menu for the next control, closing it.
            if (event.key === 'Tab') return setOpen(false)
            if (event.key === 'Escape') close()
            else if (event.key === 'ArrowDown') items[(at + 1) % items.length]?.focus()
            else if (event.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus()
            else return
            event.preventDefault()
          }}
        >
          {actions.map((action) => (
            <li key={action.id} role="none">
              <button
                type="button"
                role="menuitem"
                className="action-menu__item"
                aria-disabled={action.disabled === true}
                onClick={() => {
                  if (action.disabled) return
                  close()
                  action.run()
                }}
              >
                <Icon name={action.icon} size={14} />
                {action.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
