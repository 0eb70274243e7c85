import { useEffect, useLayoutEffect, useRef } from 'react'
import type { Workspace } from '../../src-main/core/contract'
import { underWay, type Creation, type CreationOutcome } from '../app/creations'
import { useNavigate } from '../app/navigation-context'
import { workspacePath } from '../app/route'
import { ErrorDetails } from '../components/ErrorDetails'
import { Icon, type IconName } from '../components/Icon'
import { ProgressBar } from '../components/ProgressBar'
import { TemplateIcon } from '../components/TemplateIcon'
import { progressView, type StepState } from './create-progress-model'
import { anchoredScrollTop, topLine, type ScrollAnchor } from './output-scroll'
import { previewLabel, splitHint } from './workspace-model'
import { WorkspaceTerminalButton } from './terminals/WorkspaceTerminalButton'
import { GoToWorkspaces } from '../components/GoToWorkspaces'

const STEP_ICON: Record<StepState, IconName | undefined> = { done: 'check', current: 'spinner', failed: 'alert', pending: undefined }

interface CreationPanelProps {
  creation: Creation
  /** This page just started it: the clicked card is gone, so the panel takes the focus. */
  focusOnMount: boolean
  /** Puts it away (it goes on if under way); a failed one's "Edit and try again" does the same. */
  onDismiss: () => void
}

/** One creation as it happens: the bar, the steps, the latest message and the output; then its outcome. */
export function CreationPanel({ creation, focusOnMount, onDismiss }: CreationPanelProps) {
  const { outcome, progress, template, name } = creation
  const going = underWay(creation)
  const view = progressView(progress, going ? 'running' : outcome.state === 'ready' ? 'ready' : 'failed', template.phases)
  const heading = useRef<HTMLHeadingElement>(null)
  // Refused before it began (a taken name, no engine): there is no run to show, only the reason.
  const began = outcome.state !== 'failed' || progress.log.length > 0
  // A failed install's error carries the last lines already.
  const showLog = going || (progress.log.length > 0 && !(outcome.state === 'failed' && splitHint(outcome.error.hint).output))

  // Each new state is news: a screen reader hears the heading, a keyboard user lands next to the next actions.
  const announced = useRef<CreationOutcome['state']>(undefined)
  useEffect(() => {
    const previous = announced.current
    if (previous === outcome.state) return
    announced.current = outcome.state
    if (previous !== undefined || focusOnMount) heading.current?.focus()
  }, [outcome.state, focusOnMount])

  const title = outcome.state === 'ready' ? `${name} is ready` : outcome.state === 'failed' ? `Could not create ${name}` : `Creating ${name}`
  return (
    <section className={`card creation creation--${outcome.state}`} data-testid="creation" data-state={outcome.state} aria-labelledby={`creation-${creation.id}`}>
      <div className="creation__header">
        <TemplateIcon template={template} />
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
        <button type="button" className="icon-button" aria-label={`Dismiss ${name}'s creation`} title="Dismiss" data-testid="creation-dismiss" onClick={onDismiss}>
          <Icon name="close" size={14} />
        </button>
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

      {outcome.state === 'lost' && (
        <p className="creation__lost" data-testid="creation-lost">
          <Icon name="unplugged" size={14} />
          The connection dropped after Sandlot got the request, so it may still finish it: this page follows it and shows how it ends.
        </p>
      )}

      {going && (
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

      {showLog && <OutputLog lines={progress.log} start={progress.logStart} />}

      <div className="creation__footer">
        {going && <p className="creation__note">It goes on if you leave this page: the Workspaces list follows it.</p>}
        {outcome.state === 'ready' && <ReadyActions workspace={outcome.workspace} />}
        <span className="creation__spacer" />
        {outcome.state === 'failed' && (
          <button type="button" className="button" onClick={onDismiss}>
            <Icon name="back" size={14} />
            Edit and try again
          </button>
        )}
        {outcome.state !== 'ready' && (
          <GoToWorkspaces />
        )}
      </div>
    </section>
  )
}

/**
 * A made workspace's next steps: its preview, or (a shell, which has none) a terminal, as the primary action;
 * and its own page (logs, errors, timeline, files).
 */
export function ReadyActions({ workspace, small = false }: { workspace: Workspace; small?: boolean }) {
  const navigate = useNavigate()
  const size = small ? ' button--small' : ''
  return (
    <>
      {workspace.previewUrl ? (
        <a className={`button button--primary${size}`} href={workspace.previewUrl} target="_blank" rel="noopener noreferrer">
          <Icon name="external" size={14} />
          Open {previewLabel(workspace.previewUrl)}
        </a>
      ) : (
        <WorkspaceTerminalButton workspace={workspace} primary small={small} />
      )}
      <button type="button" className={`button${size}`} data-testid="creation-open-page" onClick={() => navigate(workspacePath(workspace.name))}>
        <Icon name="workspaces" size={14} />
        Open {workspace.name}
      </button>
    </>
  )
}

/**
 * The messages so far, newest at the bottom; it follows new lines unless the user scrolled up to read, and then
 * keeps the text they read still while old lines are dropped above it. `start` numbers the first line.
 */
function OutputLog({ lines, start }: { lines: string[]; start: number }) {
  const box = useRef<HTMLPreElement>(null)
  const follow = useRef(true)
  const anchor = useRef<ScrollAnchor>(undefined)
  const remember = (el: HTMLPreElement): void => {
    anchor.current = topLine(el.children as HTMLCollectionOf<HTMLElement>, el.scrollTop, start)
  }
  useLayoutEffect(() => {
    const el = box.current
    if (el === null) return
    if (follow.current) el.scrollTop = el.scrollHeight
    else if (anchor.current) el.scrollTop = anchoredScrollTop(el.children as HTMLCollectionOf<HTMLElement>, anchor.current, start)
    remember(el)
  }, [lines, start])
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
        remember(el)
      }}
    >
      {lines.length === 0 ? (
        <span className="output__placeholder">Waiting for output…</span>
      ) : (
        lines.map((line, index) => (
          <span className="output__line" key={start + index}>
            {line}
          </span>
        ))
      )}
    </pre>
  )
}
