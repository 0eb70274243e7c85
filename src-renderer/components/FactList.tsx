import type { ReactNode } from 'react'
import type { Fact } from '../views/engine-status-model'

/** A fact whose value is more than text (a link to open, a button). */
type FactRow = Omit<Fact, 'value'> & { value: ReactNode }

/** Label and value pairs (an endpoint, a template's commands, a card's figures) as one definition list; `className` adds a layout (`facts--inline`). */
export function FactList({ facts, className }: { facts: readonly FactRow[]; className?: string }) {
  return (
    <dl className={className === undefined ? 'facts' : `facts ${className}`}>
      {facts.map((fact) => (
        <div className="facts__row" key={fact.label}>
          <dt>{fact.label}</dt>
          <dd className={fact.mono ? 'mono' : undefined}>{fact.value}</dd>
        </div>
      ))}
    </dl>
  )
}
