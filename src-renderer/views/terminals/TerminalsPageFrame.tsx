import type { ReactNode } from 'react'

/** The tabs' and the grid's frame: the page title, their own controls beside it, then the terminals. */
export function TerminalsPageFrame({ controls, children }: { controls: ReactNode; children: ReactNode }) {
  return (
    <div className="terms__page">
      <header className="terms__header">
        <h1 className="terms__title" tabIndex={-1}>
          Terminals
        </h1>
        {controls}
      </header>
      {children}
    </div>
  )
}
