import type { ReactNode } from 'react'

/**
 * A view's heading: its title (focusable, so navigation can move focus there for screen readers), one lead
 * line, and the view's own actions beside them when it has any.
 */
export function PageHeader({ title, lead, actions }: { title: string; lead: ReactNode; actions?: ReactNode }) {
  const heading = (
    <>
      <h1 className="page__title" tabIndex={-1}>
        {title}
      </h1>
      <p className="page__lead">{lead}</p>
    </>
  )
  if (actions === undefined) return <header className="page__header">{heading}</header>
  return (
    <header className="page__header page__header--actions">
      <div>{heading}</div>
      {actions}
    </header>
  )
}
