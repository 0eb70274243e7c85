import { useEffect, useLayoutEffect, useRef } from 'react'
import type { Creation } from '../app/creations'
import { useNavigate } from '../app/navigation-context'
import { ErrorDetails } from '../components/ErrorDetails'
import { Icon, type IconName } from '../components/Icon'
import { ProgressBar } from '../components/ProgressBar'
import { TemplateIcon } from '../components/TemplateIcon'
import { progressView, type StepState } from './create-progress-model'
import { previewLabel, splitHint } from './workspace-model'

const STEP_ICON: Record<StepState, IconName | undefined> = { done: 'check', current: 'spinner', failed: 'alert', pending: undefined }

/** One creation as it happens: the bar, the steps, the latest message and the output; then its outcome. */
export function CreationPanel({ creation, onDismiss }: { creation: Creation; onDismiss: () => void }) {
  const navigate = useNavigate()
  const { outcome, progress, template, name } = creation
  const view = progressView(progress, outcome.state, template.phases)
  const heading = useRef<HTMLHeadingElement>(null)
  // Refused before it began (a taken name, no engine): there is no run to show, only the reason.
  const began = outcome.state !== 'failed' || progress.log.length > 0
  // A failed install's error carries the last lines already.
  const showLog = outcome.state === 'running' || (progress.log.length > 0 && !(outcome.state === 'failed' && splitHint(outcome.error.hint).output))

  // The outcome is news: a screen reader hears the heading, a keyboard user lands next to the next actions.
  useEffect(() => {
    if (outcome.state !== 'running') heading.current?.focus()
  }, [outcome.state])

  const title = outcome.state === 'ready' ? `${name} is ready` : outcome.state === 'failed' ? `Could not create ${name}` : `Creating ${name}`
  return (
    <section className={`card creation creation--${outcome.state}`} data-testid="creation" data-state={outcome.state} aria-labelledby={`creation-${creation.id}`}>
      <div className="creation__header">
        <TemplateIcon icon={template.icon} />
        <div className="creation__titles">
          <h2 className="creation__title" id={`creation-${creation.id}`} ref={heading} tabIndex={-1}>
            {title}
          </h2>
          <p className="creation__subtitle">from {template.name}</p>
        </div>
        {outcome.state !== 'failed' && (
          <span className="creation__percent" aria-hidden="true">
            {view.percent}%
          </span>
        )}
      </div>

      {began && (
        <>
          <ProgressBar percent={view.percent} label={`Creating ${name}`} />
          <ol className="steps" aria-label="Steps">
            {view.steps.map((step) => (
              <li key={step.phase} className={`steps__item steps__item--${step.state}`} aria-current={step.state === 'current' ? 'step' : undefined}>
                <span className="steps__mark" aria-hidden="true">
                  {STEP_ICON[step.state] && <Icon name={STEP_ICON[step.state]!} size={12} />}
                </span>
                {step.label}
              </li>
            ))}
          </ol>
        </>
      )}

      {outcome.state === 'running' && (
        <div className="creation__status">
          <p className="creation__phase" aria-live="polite">
            {view.headline}
          </p>
          <p className="creation__message mono" data-testid="creation-message" title={view.message}>
            {view.message}
          </p>
        </div>
      )}

      {view.image && (
        <div className="creation__image" data-testid="creation-image">
          <p className="creation__phase">{view.image.headline}</p>
          <ProgressBar percent={view.image.percent} label={view.image.headline} size="sm" />
          <p className="creation__message mono" title={view.image.message}>
            {view.image.message}
          </p>
        </div>
      )}

      {outcome.state === 'failed' && <ErrorDetails error={outcome.error} testId="creation-error" />}

      {showLog && <OutputLog lines={progress.log} />}

      <div className="creation__footer">
        {outcome.state === 'running' && <p className="creation__note">It goes on if you leave this page: the Workspaces list follows it.</p>}
        {outcome.state === 'ready' && outcome.workspace.previewUrl && (
          <a className="button button--primary" href={outcome.workspace.previewUrl} target="_blank" rel="noopener noreferrer">
            <Icon name="external" size={14} />
            Open {previewLabel(outcome.workspace.previewUrl)}
          </a>
        )}
        <span className="creation__spacer" />
        {outcome.state !== 'running' && (
          <button type="button" className="button" onClick={onDismiss}>
            {outcome.state === 'failed' ? (
              <>
                <Icon name="back" size={14} />
                Back to templates
              </>
            ) : (
              <>
                <Icon name="plus" size={14} />
                Create another
              </>
            )}
          </button>
        )}
        <button type="button" className={outcome.state === 'ready' && !outcome.workspace.previewUrl ? 'button button--primary' : 'button'} onClick={() => navigate('workspaces')}>
          <Icon name="workspaces" size={14} />
          Go to Workspaces
        </button>
      </div>
    </section>
  )
}

/** The messages so far, newest at the bottom; it follows new lines unless the user scrolled up to read. */
function OutputLog({ lines }: { lines: string[] }) {
  const box = useRef<HTMLPreElement>(null)
  const follow = useRef(true)
  useLayoutEffect(() => {
    if (follow.current && box.current) box.current.scrollTop = box.current.scrollHeight
  }, [lines])
  return (
    <pre
      className="output"
      ref={box}
      tabIndex={0}
      aria-label="Output"
      data-testid="creation-output"
      onScroll={(event) => {
        const el = event.currentTarget
        follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24
      }}
    >
      {lines.length === 0 ? <span className="output__placeholder">Waiting for output…</span> : lines.join('\n')}
    </pre>
  )
}
