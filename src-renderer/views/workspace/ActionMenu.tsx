import { useId, useRef, useState } from 'react'
import { Icon } from '../../components/Icon'
import { Menu, type MenuItem } from '../../components/Menu'

/** A "More actions" button with a menu, where a narrow window has no room for every button. */
export function ActionMenu({ label, actions }: { label: string; actions: MenuItem[] }) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const menuId = useId()

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
        <Menu
          id={menuId}
          label={label}
          items={actions}
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
