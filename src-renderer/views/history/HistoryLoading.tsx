import type { CallError } from '../../bridge/bridge'
import { ErrorDetails } from '../../components/ErrorDetails'

/** Before a history panel's first answer: its failure, or a placeholder while it loads. */
export function HistoryLoading({ error, what }: { error: CallError | undefined; what: string }) {
  if (error) return <ErrorDetails error={error} title={`The ${what} could not be read.`} />
  return (
    <div className="card history-loading" aria-busy="true" aria-label={`Loading the ${what}`}>
      <span className="skeleton skeleton--title" />
      <span className="skeleton skeleton--line" />
    </div>
  )
}
