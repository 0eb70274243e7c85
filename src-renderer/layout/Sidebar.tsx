import type { NavItem } from '../app/navigation'
import { Icon } from '../components/Icon'
import { Logo } from '../components/Logo'

interface SidebarProps {
  items: NavItem[]
  active: string
  onSelect: (id: string) => void
}

export function Sidebar({ items, active, onSelect }: SidebarProps) {
  const link = (item: NavItem) => (
    <li key={item.id}>
      <button type="button" className="nav-item" aria-current={item.id === active ? 'page' : undefined} title={item.label} onClick={() => onSelect(item.id)}>
        <Icon name={item.icon} />
        <span>{item.label}</span>
      </button>
    </li>
  )
  return (
    <aside className="sidebar">
      <div className="sidebar__brand">
        <Logo size={26} />
        <span className="sidebar__name">Sandlot</span>
      </div>
      <nav className="sidebar__nav" aria-label="Main">
        {/* An item whose view does not exist yet leads nowhere: it is not shown. */}
        <ul>{items.filter((item) => item.view !== undefined && !item.footer).map(link)}</ul>
        <ul className="sidebar__footer">{items.filter((item) => item.view !== undefined && item.footer).map(link)}</ul>
      </nav>
    </aside>
  )
}
