import type { ReactNode } from 'react'

/** The tabs' and the grid's frame: the page title, their own controls beside it, a refusal if any, then the terminals. */
export function TerminalsPageFrame({ controls, failure, children }: { controls: ReactNode; failure: ReactNode; children: ReactNode }) {
  return (
    <div className="terms__page">
      <header className="terms__header">
        <h1 className="terms__title" tabIndex={-1}>
          Terminals
        </h1>
        {controls}
      </header>
      {failure}
      {children}
    </div>
  )
}
