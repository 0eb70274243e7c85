import type { Fact } from '../views/engine-status-model'

/** Label and value pairs (an endpoint, a template's commands, a card's figures) as one definition list. */
export function FactList({ facts }: { facts: readonly Fact[] }) {
  return (
    <dl className="facts">
      {facts.map((fact) => (
        <div className="facts__row" key={fact.label}>
          <dt>{fact.label}</dt>
          <dd className={fact.mono ? 'mono' : undefined}>{fact.value}</dd>
        </div>
      ))}
    </dl>
  )
}
