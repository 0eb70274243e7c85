import { EmptyState } from '../../components/EmptyState'
import { useEffect, useRef, useState } from 'react'
import type { ErrorGroup } from '../../../src-main/core/contract'
import { useNow } from '../../app/use-now'
import { ErrorDetails } from '../../components/ErrorDetails'
import { FactList } from '../../components/FactList'
import { Icon } from '../../components/Icon'
import { describeSince } from '../../app/time-format'
import { Time } from '../../components/Time'
import { useNavigate } from '../../app/navigation-context'
import { workspaceFilePath } from '../../app/route'
import { errorFile, errorKey, errorLocation, firstLine } from './history-model'
import { HistoryLoading } from './HistoryLoading'
import { LogText } from './LogText'
import { useErrors, useErrorContext } from './use-history'

/** A severity's pill: fatal and error alike in red, a warning in amber. */
const SEVERITY_TONE: Record<ErrorGroup['severity'], 'error' | 'warn'> = { fatal: 'error', error: 'error', warning: 'warn' }

interface ErrorsPanelProps {
  workspace: string | undefined
  /** An error's fingerprint to open and scroll to (a toast's link). */
  focus?: string
  /** Each error's workspace is named when the panel lists every workspace's. */
  onOpenWorkspace?: (workspace: string) => void
}

/** Distinct errors, grouped by fingerprint, most recently seen first; each opens to its stack and the lines around it. */
export function ErrorsPanel({ workspace, focus, onOpenWorkspace }: ErrorsPanelProps) {
  const errors = useErrors(workspace)
  const now = useNow(true, 15_000)
  if (errors.value === undefined) return <HistoryLoading error={errors.error} what="errors" />
  if (errors.value.length === 0) {
    return (
      <EmptyState
        icon="check"
        title="No errors"
        testId="errors-empty"
        text={`${workspace ? `Nothing ${workspace}’s app printed looked like an error.` : 'Nothing any workspace’s app printed looked like an error.'} Errors and warnings show here as they happen, grouped when they repeat.`}
      />
    )
  }
  return (
    <ul className="card error-list" aria-label="Errors" data-testid="error-list">
      {errors.value.map((error) => (
        <ErrorItem key={errorKey(error)} error={error} now={now} open={error.fingerprint === focus} showWorkspace={workspace === undefined} onOpenWorkspace={onOpenWorkspace} />
      ))}
    </ul>
  )
}

interface ErrorItemProps {
  error: ErrorGroup
  now: number
  open: boolean
  showWorkspace: boolean
  onOpenWorkspace: ((workspace: string) => void) | undefined
}

function ErrorItem({ error, now, open: openAtFirst, showWorkspace, onOpenWorkspace }: ErrorItemProps) {
  const [open, setOpen] = useState(openAtFirst)
  const item = useRef<HTMLLIElement>(null)
  useEffect(() => {
    if (!openAtFirst) return
    setOpen(true)
    item.current?.scrollIntoView({ block: 'nearest' })
    item.current?.querySelector<HTMLElement>('.error-item__toggle')?.focus()
  }, [openAtFirst])
  const headline = firstLine(error.message)
  const location = errorLocation(error)
  const detailsId = `error-${error.workspace}-${error.fingerprint}`
  return (
    <li className="error-item" ref={item} data-testid="error-item" data-fingerprint={error.fingerprint} data-workspace={error.workspace} data-open={open}>
      <button type="button" className="error-item__toggle" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen(!open)}>
        <Icon name="back" size={13} className="error-item__chevron" />
        <span className={`badge badge--sm badge--${SEVERITY_TONE[error.severity]} severity`}>{error.severity}</span>
        <span className="error-item__message" title={headline}>
          {headline}
        </span>
        <span className="error-item__count" title={`Seen ${error.count} time${error.count === 1 ? '' : 's'}`}>
          ×{error.count.toLocaleString()}
        </span>
        <span className="error-item__meta">
          {showWorkspace && (
            <span className="chip" title={error.workspace}>
              {error.workspace}
            </span>
          )}
          <span className="error-item__category">{error.category}</span>
          {location && (
            <span className="mono error-item__location" title={error.file}>
              {location}
            </span>
          )}
          <Time className="error-item__seen" iso={error.lastSeen}>
            last {describeSince(error.lastSeen, now)}
          </Time>
          {error.unread && <span className="unread-dot" aria-label="new" title="New since you last looked" />}
        </span>
      </button>
      {open && (
        <div className="error-item__details" id={detailsId}>
          <FactList
            className="facts--inline"
            facts={[
              { label: 'First seen', value: <Time iso={error.firstSeen} /> },
              { label: 'Last seen', value: <Time iso={error.lastSeen} /> },
              { label: 'Where', value: <SourceLink error={error} location={location} />, mono: true },
              ...(showWorkspace && onOpenWorkspace
                ? [
                    {
                      label: 'Workspace',
                      value: (
                        <button type="button" className="link-button" onClick={() => onOpenWorkspace(error.workspace)}>
                          {error.workspace}
                        </button>
                      )
                    }
                  ]
                : [])
            ]}
          />
          <h3 className="section-title">{error.stack ? 'As printed' : 'Message'}</h3>
          <pre className="output output--auto" tabIndex={0} aria-label="The error as printed" data-testid="error-stack">
            {(error.stack ?? error.message).split(/\r?\n/).map((text, index) => (
              <span key={index} className="output__line">
                <LogText line={text} />
              </span>
            ))}
          </pre>
          <h3 className="section-title">Lines around it</h3>
          <LinesAround workspace={error.workspace} fingerprint={error.fingerprint} />
        </div>
      )}
    </li>
  )
}

/** The error's file:line:column, linking to the file in the workspace's Files tab when it is one of /app. */
function SourceLink({ error, location }: { error: ErrorGroup; location: string | undefined }) {
  const navigate = useNavigate()
  const file = errorFile(error)
  if (location === undefined) return <>not named in the output</>
  if (file === undefined) return <>{location}</>
  return (
    <a
      className="link-button mono"
      href={`#/${workspaceFilePath(error.workspace, file)}`}
      title={`Show ${file} in ${error.workspace}’s files`}
      data-testid="error-source-link"
      onClick={(event) => {
        event.preventDefault()
        navigate(workspaceFilePath(error.workspace, file))
      }}
    >
      {location}
    </a>
  )
}

function LinesAround({ workspace, fingerprint }: { workspace: string; fingerprint: string }) {
  const context = useErrorContext(workspace, fingerprint)
  if (context.error) return <ErrorDetails error={context.error} title="The lines around it could not be read." />
  if (context.value === undefined) return <span className="skeleton skeleton--line" />
  const { lines, at } = context.value
  if (lines.length === 0) return <p className="history-note">No stored line is linked to this error.</p>
  return (
    <div className="output output--auto log-context" tabIndex={0} role="region" aria-label="Lines around the error" data-testid="error-context">
      {lines.map((line) => (
        <div key={line.id} className={line.id === at ? 'log-context__line log-context__line--at' : 'log-context__line'} aria-current={line.id === at ? 'true' : undefined} data-testid="error-context-line">
          <Time className="log-context__time" iso={line.ts} />
          <span className="log-context__text">
            <LogText line={line.line} />
          </span>
        </div>
      ))}
    </div>
  )
}
