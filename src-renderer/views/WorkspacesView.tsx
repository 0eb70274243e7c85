import { useEffect, useRef, useState } from 'react'
import type { Workspace } from '../../src-main/core/contract'
import { useBridge, useConnection } from '../app/bridge-context'
import { creationsNotListed, latestCreation, type Creation, type FailureInfo } from '../app/creations'
import { failureOf, useCreations } from '../app/creations-context'
import { useNavigate } from '../app/navigation-context'
import { useLiveValue } from '../app/use-live-value'
import { useNow } from '../app/use-now'
import { useTemplates } from '../app/use-templates'
import { useWorkspaceList } from '../app/use-workspace-list'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorDetails } from '../components/ErrorDetails'
import { HintText } from '../components/HintText'
import { Icon, type IconName } from '../components/Icon'
import { ProgressBar } from '../components/ProgressBar'
import { StatusDot } from '../components/StatusDot'
import { TemplateIcon } from '../components/TemplateIcon'
import { progressView } from './create-progress-model'
import { describeSince, engineStatusModel } from './engine-status-model'
import { asSentence, PHASE_HEADLINE, previewLabel, removeNeedsForce, sortWorkspaces, workspaceStatusModel, type WorkspaceAction } from './workspace-model'

const ACTIONS: { action: Exclude<WorkspaceAction, 'remove'>; label: string; icon: IconName }[] = [
  { action: 'start', label: 'Start', icon: 'play' },
  { action: 'stop', label: 'Stop', icon: 'stop' },
  { action: 'restart', label: 'Restart', icon: 'retry' }
]

/** Every workspace of this data folder, whoever made it (this window, the CLI), kept current while shown. */
export function WorkspacesView() {
  const bridge = useBridge()
  const navigate = useNavigate()
  const open = useConnection().state === 'open'
  const engine = useLiveValue('engine.status')
  const engineDown = engine?.state === 'unreachable'
  const list = useWorkspaceList(open && !engineDown)
  const { creations } = useCreations()
  const { templates } = useTemplates()
  const now = useNow(true, 15_000)
  const [busy, setBusy] = useState<Record<string, WorkspaceAction>>({})
  const [failures, setFailures] = useState<Record<string, FailureInfo>>({})
  const [confirming, setConfirming] = useState<Workspace>()
  const heading = useRef<HTMLHeadingElement>(null)

  // A creation that ends changes the list: show it now rather than at the next tick.
  const settled = creations.filter((c) => c.outcome.state !== 'running').length
  const { refresh } = list
  useEffect(() => {
    if (settled > 0) void refresh()
  }, [settled, refresh])

  const act = async (workspace: Workspace, action: WorkspaceAction, force = false): Promise<void> => {
    const { name } = workspace
    setBusy((previous) => ({ ...previous, [name]: action }))
    setFailures(({ [name]: _dropped, ...rest }) => rest)
    let removed = false
    try {
      if (action === 'remove') {
        await bridge.call('workspaces.remove', force ? { name, force } : { name })
        removed = true
      } else {
        await bridge.call(`workspaces.${action}`, { name })
      }
    } catch (err) {
      setFailures((previous) => ({ ...previous, [name]: failureOf(err) }))
    }
    await refresh()
    setBusy(({ [name]: _done, ...rest }) => rest)
    // Its row (and the button that had focus) is gone.
    if (removed) heading.current?.focus()
  }

  const templateOf = (id: string) => templates?.find((template) => template.id === id)
  const workspaces = list.workspaces === undefined ? undefined : sortWorkspaces(list.workspaces)
  const pending = workspaces === undefined ? [] : creationsNotListed(creations, workspaces)

  return (
    <div className="page page--wide">
      <header className="page__header page__header--actions">
        <div>
          <h1 className="page__title" ref={heading} tabIndex={-1}>
            Workspaces
          </h1>
          <p className="page__lead">Containers made from templates, with their app and preview. The CLI’s show up here too.</p>
        </div>
        <button type="button" className="button button--primary" onClick={() => navigate('new-workspace')} disabled={engineDown}>
          <Icon name="plus" size={14} />
          New workspace
        </button>
      </header>

      {engineDown && engine ? (
        <section className="card empty" data-testid="workspaces-engine-down">
          <div className="empty__icon empty__icon--error">
            <Icon name="unplugged" size={22} />
          </div>
          <h2 className="empty__title">The Docker engine is not reachable</h2>
          <p className="empty__text">{asSentence(engineStatusModel(engine, now).hint ?? '')} Your workspaces show here again once it answers.</p>
          <button type="button" className="button" onClick={() => navigate('engine')}>
            <Icon name="engine" size={14} />
            Open the Engine page
          </button>
        </section>
      ) : workspaces === undefined ? (
        list.error ? (
          <ErrorDetails error={list.error} title="The workspaces could not be listed." />
        ) : (
          <ul className="card ws-list" aria-busy="true" aria-label="Loading workspaces">
            {[0, 1].map((index) => (
              <li className="ws-row ws-row--loading" key={index}>
                <div className="skeleton skeleton--dot" />
                <div>
                  <div className="skeleton skeleton--title" />
                  <div className="skeleton skeleton--line skeleton--short" />
                </div>
              </li>
            ))}
          </ul>
        )
      ) : workspaces.length === 0 && pending.length === 0 ? (
        <section className="card empty" data-testid="workspaces-empty">
          <div className="empty__icon">
            <Icon name="workspaces" size={22} />
          </div>
          <h2 className="empty__title">No workspaces yet</h2>
          <p className="empty__text">A workspace is a container with a template’s files, its dependencies installed and its app running, previewed on this machine.</p>
          <button type="button" className="button button--primary" onClick={() => navigate('new-workspace')}>
            <Icon name="plus" size={14} />
            New workspace
          </button>
          <p className="empty__cli">
            <HintText text="Or in a terminal: `sandlot create --template shell`" />
          </p>
        </section>
      ) : (
        <>
          {list.error && <ErrorDetails error={list.error} title="The list could not be refreshed; it shows the last answer." />}
          <ul className="card ws-list" aria-label="Workspaces" data-testid="workspace-list">
            {pending.map((creation) => (
              <PendingRow key={`creation-${creation.id}`} creation={creation} />
            ))}
            {workspaces.map((workspace) => {
              const template = templateOf(workspace.templateId)
              return (
                <WorkspaceRow
                  key={workspace.name}
                  workspace={workspace}
                  templateName={template?.name ?? workspace.templateId}
                  templateIcon={template?.icon}
                  creation={workspace.status === 'creating' ? latestCreation(creations, workspace.name) : undefined}
                  busy={busy[workspace.name]}
                  failure={failures[workspace.name]}
                  now={now}
                  onAction={(action) => (action === 'remove' ? setConfirming(workspace) : void act(workspace, action))}
                  onDismissFailure={() => setFailures(({ [workspace.name]: _dismissed, ...rest }) => rest)}
                />
              )
            })}
          </ul>
        </>
      )}

      {confirming && (
        <ConfirmDialog
          title={`Remove ${confirming.name}?`}
          confirmLabel={removeNeedsForce(confirming) ? 'Stop and remove' : 'Remove'}
          onCancel={() => setConfirming(undefined)}
          onConfirm={() => {
            setConfirming(undefined)
            void act(confirming, 'remove', removeNeedsForce(confirming))
          }}
        >
          {removeNeedsForce(confirming) ? (
            <p>
              It is running. Sandlot stops it, then deletes its container with everything in <code>/app</code>. This cannot be undone.
            </p>
          ) : (
            <p>
              Its container is deleted with everything in <code>/app</code>. This cannot be undone.
            </p>
          )}
        </ConfirmDialog>
      )}
    </div>
  )
}

interface WorkspaceRowProps {
  workspace: Workspace
  templateName: string
  templateIcon: string | undefined
  /** This window's creation of it, while the core still creates it. */
  creation: Creation | undefined
  busy: WorkspaceAction | undefined
  failure: FailureInfo | undefined
  now: number
  onAction: (action: WorkspaceAction) => void
  onDismissFailure: () => void
}

function WorkspaceRow({ workspace, templateName, templateIcon, creation, busy, failure, now, onAction, onDismissFailure }: WorkspaceRowProps) {
  const model = workspaceStatusModel(workspace)
  const { name } = workspace
  const button = (action: WorkspaceAction, label: string, icon: IconName, danger = false) => (
    <button
      type="button"
      className={danger ? 'button button--small button--quiet-danger' : 'button button--small'}
      disabled={busy !== undefined || !model.actions[action]}
      aria-label={`${label} ${name}`}
      title={`${label} ${name}`}
      onClick={() => onAction(action)}
    >
      <Icon name={busy === action ? 'spinner' : icon} size={13} className={busy === action ? 'spin' : undefined} />
      <span className="ws-row__action-label">{label}</span>
    </button>
  )
  return (
    <li className="ws-row" data-testid="workspace-row" data-name={name} data-status={workspace.status} data-container={workspace.container} aria-busy={busy !== undefined}>
      <div className="ws-row__main">
        <StatusDot tone={model.tone} />
        <div className="ws-row__identity">
          <span className="ws-row__name">{name}</span>
          <span className="ws-row__meta">
            <TemplateIcon icon={templateIcon} size="sm" />
            <span className="ws-row__template">{templateName}</span>
            <span aria-hidden="true">·</span>
            <span className="ws-row__created">created {describeSince(workspace.createdAt, now)}</span>
          </span>
        </div>
        <span className="ws-row__state" data-testid="workspace-state" title={model.description}>
          <span className="ws-row__status">{model.status}</span>
          <span className="ws-row__container">{model.container}</span>
        </span>
        <span className="ws-row__preview">
          {workspace.previewUrl ? (
            <a href={workspace.previewUrl} target="_blank" rel="noopener noreferrer" data-testid="workspace-preview" aria-label={`Open the preview of ${name}, ${previewLabel(workspace.previewUrl)}, in a new tab`}>
              <span className="mono">{previewLabel(workspace.previewUrl)}</span>
              <Icon name="external" size={12} />
            </a>
          ) : (
            <span className="ws-row__no-preview">{workspace.container === 'running' ? 'No preview' : 'Preview when running'}</span>
          )}
        </span>
        <div className="ws-row__actions" role="group" aria-label={`Actions for ${name}`}>
          {ACTIONS.map(({ action, label, icon }) => button(action, label, icon))}
          {button('remove', 'Remove', 'trash', true)}
        </div>
      </div>
      {workspace.status === 'creating' && <CreatingProgress workspace={workspace} creation={creation} />}
      {workspace.status === 'failed' && workspace.error && (
        <div className="ws-row__detail">
          <ErrorDetails error={workspace.error} testId="workspace-error" announce={false} />
        </div>
      )}
      {model.note && <p className="ws-row__note">{model.note}</p>}
      {failure && (
        <div className="ws-row__detail">
          <ErrorDetails error={failure} testId="workspace-action-error" onDismiss={onDismissFailure} />
        </div>
      )}
    </li>
  )
}

/** A creating workspace: this window's creation has the live progress; one from elsewhere has its phase. */
function CreatingProgress({ workspace, creation }: { workspace: Workspace; creation: Creation | undefined }) {
  const view = creation ? progressView(creation.progress, 'running', creation.template.phases) : undefined
  return (
    <div className="ws-row__progress">
      <ProgressBar percent={view?.percent} label={`Creating ${workspace.name}`} size="sm" />
      <p className="ws-row__progress-text">
        <span>{view?.headline ?? PHASE_HEADLINE[workspace.phase]}</span>
        {view && <span className="mono ws-row__progress-message">{view.message}</span>}
      </p>
    </div>
  )
}

/** A creation from this window that the core has not listed yet (it waits for the image or a container). */
function PendingRow({ creation }: { creation: Creation }) {
  const view = progressView(creation.progress, 'running', creation.template.phases)
  return (
    <li className="ws-row" data-testid="workspace-row" data-name={creation.name} data-status="creating" data-container="none" aria-busy="true">
      <div className="ws-row__main">
        <StatusDot tone="pending" />
        <div className="ws-row__identity">
          <span className="ws-row__name">{creation.name}</span>
          <span className="ws-row__meta">
            <TemplateIcon icon={creation.template.icon} size="sm" />
            <span className="ws-row__template">{creation.template.name}</span>
            <span aria-hidden="true">·</span>
            <span className="ws-row__created">just now</span>
          </span>
        </div>
        <span className="ws-row__state" data-testid="workspace-state">
          <span className="ws-row__status">Creating</span>
          <span className="ws-row__container">no container yet</span>
        </span>
      </div>
      <div className="ws-row__progress">
        <ProgressBar percent={view.image?.percent ?? view.percent} label={`Creating ${creation.name}`} size="sm" />
        <p className="ws-row__progress-text">
          <span>{view.image?.headline ?? view.headline}</span>
          <span className="mono ws-row__progress-message">{view.image?.message ?? view.message}</span>
        </p>
      </div>
    </li>
  )
}
