import type { Workspace } from '../../src-main/core/contract'
import type { CallError } from '../bridge/bridge'
import { splitHint } from '../views/workspace-model'
import { HintText } from './HintText'
import { Icon } from './Icon'

/** A failed call's error, or the one a failed workspace keeps. */
export type ShownError = CallError | NonNullable<Workspace['error']>

interface ErrorDetailsProps {
  error: ShownError
  title?: string
  testId?: string
  /** Something that just went wrong is announced; a state shown since the page opened (a failed workspace) is not. */
  announce?: boolean
  onDismiss?: () => void
}

/** What went wrong, as the core said it: the message, what to do, and the last lines of output when there are some. */
export function ErrorDetails({ error, title, testId, announce = true, onDismiss }: ErrorDetailsProps) {
  const hint = splitHint(error.hint)
  return (
    <div className="error-details" role={announce ? 'alert' : undefined} data-testid={testId} data-code={error.code}>
      <Icon name="alert" size={16} className="error-details__icon" />
      <div className="error-details__body">
        {title && <p className="error-details__title">{title}</p>}
        <p className="error-details__message">
          <HintText text={error.message} />
        </p>
        {hint.text && (
          <p className="error-details__hint">
            <HintText text={hint.text} />
          </p>
        )}
        {hint.output && (
          <pre className="output output--error" tabIndex={0} aria-label="Last lines of output">
            {hint.output}
          </pre>
        )}
      </div>
      {onDismiss && (
        <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
          <Icon name="close" size={14} />
        </button>
      )}
    </div>
  )
}
