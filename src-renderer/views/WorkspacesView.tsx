import { EmptyState } from '../components/EmptyState'
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { Workspace, WorkspaceUsage } from '../../src-main/core/contract'
import { useConnection } from '../app/bridge-context'
import { creationsNotListed, followedCreation, lastEnded, type Creation } from '../app/creations'
import { useCreations } from '../app/creations-context'
import { useNavigate } from '../app/navigation-context'
import { workspacePath } from '../app/route'
import { useLiveValue } from '../app/use-live-value'
import { useNow } from '../app/use-now'
import { useTemplates } from '../app/use-templates'
import { useWorkspaceList } from '../app/use-workspace-list'
import { useResourceUsage } from '../app/use-resource-usage'
import { usageDescription, usageText } from './resource-model'
import { retrySource, type ActionFailure, type RetrySource } from '../app/workspace-actions'
import { useWorkspaceActions } from '../app/workspace-actions-context'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { EngineDownNotice } from '../components/EngineDownNotice'
import { ErrorDetails } from '../components/ErrorDetails'
import { HintText } from '../components/HintText'
import { Icon, type IconName } from '../components/Icon'
import { ProgressBar } from '../components/ProgressBar'
import { StatusDot } from '../components/StatusDot'
import { TemplateIcon, type TemplateLook } from '../components/TemplateIcon'
import { rowProgress, type CreateProgressState } from './create-progress-model'
import { describeSince } from './engine-status-model'
import { appOf, previewLabel, removeQuestion, sortWorkspaces, workspaceStatusModel, type StatusTone, type WorkspaceAction } from './workspace-model'
import { WorkspaceTerminalButton } from './terminals/WorkspaceTerminalButton'
import { PageHeader } from '../components/PageHeader'

/** `says`: how the button reads to a screen reader and in its tooltip, when "<label> <name>" would not. */
const ACTIONS: { action: WorkspaceAction; label: string; icon: IconName; says?: (name: string) => string }[] = [
  // Only offered to an app that gave up or stopped answering (the fix for it), labelled at every width.
  { action: 'app-restart', label: 'Restart app', icon: 'retry', says: (name) => `Restart the app in ${name}` },
  { action: 'editor', label: 'Editor', icon: 'code', says: (name) => `Open ${name} in your editor (VS Code attached to its container)` },
  { action: 'start', label: 'Start', icon: 'play' },
  { action: 'stop', label: 'Stop', icon: 'stop' },
  { action: 'restart', label: 'Restart', icon: 'retry' },
  { action: 'retry', label: 'Retry', icon: 'retry' },
  { action: 'remove', label: 'Remove', icon: 'trash' }
]

const ACTION_LABEL = Object.fromEntries(ACTIONS.map(({ action, label }) => [action, label])) as Record<WorkspaceAction, string>

/** Every workspace of this data folder, whoever made it (this window, the CLI), kept current while shown. */
export function WorkspacesView() {
  const navigate = useNavigate()
  const open = useConnection().state === 'open'
  const engine = useLiveValue('engine.status')
  const engineDown = engine?.state === 'unreachable'
  const list = useWorkspaceList(open && !engineDown)
  const usage = useResourceUsage(open && !engineDown)
  const { refresh } = list
  const { creations } = useCreations()
  const { state: actions, store: actionStore } = useWorkspaceActions()
  const { templates } = useTemplates()
  const now = useNow(true, 15_000)
  // By name: the dialog follows the workspace as the list refreshes.
  const [confirming, setConfirming] = useState<string>()
  const newWorkspace = useRef<HTMLButtonElement>(null)
  const rows = useRef<HTMLUListElement>(null)
  // A removed row takes its focused button along: where the focus goes once the list no longer has it.
  const afterRemove = useRef<{ removed: string; next: string | undefined }>(undefined)

  // A creation that ends changes the list: show it now rather than at the next tick (mounting asks anyway).
  const ended = lastEnded(creations)
  const seenEnded = useRef(ended)
  useEffect(() => {
    if (ended === seenEnded.current) return
    seenEnded.current = ended
    void refresh()
  }, [ended, refresh])

  const workspaces = useMemo(() => (list.workspaces === undefined ? undefined : sortWorkspaces(list.workspaces)), [list.workspaces])

  useEffect(() => {
    const pending = afterRemove.current
    if (pending === undefined || workspaces === undefined || workspaces.some((w) => w.name === pending.removed)) return
    afterRemove.current = undefined
    // Only when the focus went down with the row, not when the user has moved on.
    if (document.activeElement !== null && document.activeElement !== document.body) return
    const nextRow = pending.next === undefined ? null : rows.current?.querySelector<HTMLElement>(`[data-name="${pending.next}"] .ws-row__actions ${USABLE_BUTTON}`)
    ;(nextRow ?? newWorkspace.current)?.focus()
  }, [workspaces])

  const onAction = useCallback(
    (name: string, action: WorkspaceAction, retry: RetrySource) => {
      if (action === 'remove') setConfirming(name)
      else void actionStore.run(name, action, { retry, afterwards: refresh })
    },
    [actionStore, refresh]
  )
  const onDismissFailure = useCallback((name: string) => actionStore.dismissFailure(name), [actionStore])
  const onOpen = useCallback((name: string) => navigate(workspacePath(name)), [navigate])

  const remove = (workspace: Workspace, force: boolean): void => {
    const names = (workspaces ?? []).map((w) => w.name)
    const index = names.indexOf(workspace.name)
    afterRemove.current = { removed: workspace.name, next: names[index + 1] ?? names[index - 1] }
    void actionStore.run(workspace.name, 'remove', { force, afterwards: refresh }).then((result) => {
      if (result !== 'done' && afterRemove.current?.removed === workspace.name) afterRemove.current = undefined
    })
  }

  const confirmed = confirming === undefined ? undefined : workspaces?.find((w) => w.name === confirming)
  // Gone meanwhile (removed elsewhere): nothing left to ask about.
  if (confirming !== undefined && workspaces !== undefined && confirmed === undefined) setConfirming(undefined)
  const question = confirmed && removeQuestion(confirmed)

  const templateOf = (id: string) => templates?.find((template) => template.id === id)
  const pending = workspaces === undefined ? [] : creationsNotListed(creations, workspaces)
  const listed = new Set(workspaces?.map((w) => w.name))
  const orphaned = workspaces === undefined ? [] : Object.entries(actions.failures).filter(([name]) => !listed.has(name))

  return (
    <div className="page page--wide">
      <PageHeader
        title="Workspaces"
        lead="Containers made from templates, with their app and preview. The CLI’s show up here too."
        actions={
          <button type="button" className="button button--primary" ref={newWorkspace} onClick={() => navigate('new-workspace')} disabled={engineDown}>
            <Icon name="plus" size={14} />
            New workspace
          </button>
        }
      />

      {orphaned.length > 0 && !engineDown && (
        <div className="ws-failures" data-testid="action-failures">
          {orphaned.map(([name, failure]) => (
            <OrphanedFailure key={name} name={name} failure={failure} onDismiss={onDismissFailure} />
          ))}
        </div>
      )}

      {engine?.state === 'unreachable' ? (
        <EngineDownNotice engine={engine} consequence="Your workspaces show here again once it answers." testId="workspaces-engine-down" />
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
        <EmptyState icon="workspaces" title="No workspaces yet" testId="workspaces-empty" text="A workspace is a container with a template’s files, its dependencies installed and its app running, previewed on this machine.">
          <button type="button" className="button button--primary" onClick={() => navigate('new-workspace')}>
            <Icon name="plus" size={14} />
            New workspace
          </button>
          <p className="empty__cli">
            <HintText text="Or in a terminal: `sandlot create --template shell`" />
          </p>
        </EmptyState>
      ) : (
        <>
          {list.error && <ErrorDetails error={list.error} title="The list could not be refreshed; it shows the last answer." />}
          <ul className="card ws-list" aria-label="Workspaces" data-testid="workspace-list" ref={rows}>
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
                  templateLook={template}
                  creation={workspace.status === 'creating' ? followedCreation(creations, workspace.name) : undefined}
                  busy={actions.busy[workspace.name]}
                  usage={usage.get(workspace.name)}
                  failure={actions.failures[workspace.name]}
                  now={now}
                  onAction={onAction}
                  onDismissFailure={onDismissFailure}
                  onOpen={onOpen}
                />
              )
            })}
          </ul>
        </>
      )}

      {confirmed && question && (
        <ConfirmDialog
          title={`Remove ${confirmed.name}?`}
          confirmLabel={question.confirmLabel}
          onCancel={() => setConfirming(undefined)}
          onConfirm={() => {
            setConfirming(undefined)
            remove(confirmed, question.force)
          }}
        >
          <p>
            <HintText text={question.consequence} />
          </p>
        </ConfirmDialog>
      )}
    </div>
  )
}

/** A button that can act now (unusable ones stay focusable, marked aria-disabled). */
const USABLE_BUTTON = 'button:not([aria-disabled="true"])'

/** A failed action on a workspace the list no longer has: its row cannot show it. */
function OrphanedFailure({ name, failure, onDismiss }: { name: string; failure: ActionFailure; onDismiss: (name: string) => void }) {
  return <ErrorDetails error={failure.error} title={`${ACTION_LABEL[failure.action]} ${name} failed; it is no longer in the list.`} onDismiss={() => onDismiss(name)} />
}

interface WorkspaceRowProps {
  workspace: Workspace
  templateName: string
  templateLook: TemplateLook | undefined
  /** This window's creation of it, while under way. */
  creation: Creation | undefined
  busy: WorkspaceAction | undefined
  /** CPU and memory while it runs (the core streams them while this list is open). */
  usage: WorkspaceUsage | undefined
  failure: ActionFailure | undefined
  now: number
  onAction: (name: string, action: WorkspaceAction, retry: RetrySource) => void
  onDismissFailure: (name: string) => void
  /** Opens its page (logs, errors, timeline). */
  onOpen: (name: string) => void
}

/** Memoised: a refresh that changes one workspace re-renders one row. */
const WorkspaceRow = memo(function WorkspaceRow({ workspace, templateName, templateLook, creation, busy, usage, failure, now, onAction, onDismissFailure, onOpen }: WorkspaceRowProps) {
  const model = workspaceStatusModel(workspace, busy)
  const { name } = workspace
  const group = useRef<HTMLDivElement>(null)
  // A failed create offers Retry and Remove; the others only what a made workspace can do.
  const offered = ACTIONS.filter(({ action }) => (model.actions.retry ? action === 'retry' || action === 'remove' : action !== 'retry' && (action !== 'app-restart' || model.actions['app-restart'])))
  const usable = (action: WorkspaceAction): boolean => busy === undefined && model.actions[action]
  const usableKey = ACTIONS.filter(({ action }) => usable(action))
    .map(({ action }) => action)
    .join()

  // A focused button that can no longer act (Stop, once stopped) hands the focus to one that can.
  useEffect(() => {
    const focused = document.activeElement
    if (busy !== undefined || !(focused instanceof HTMLElement) || !group.current?.contains(focused)) return
    if (focused.getAttribute('aria-disabled') === 'true') group.current.querySelector<HTMLElement>(USABLE_BUTTON)?.focus()
  }, [busy, usableKey])

  return (
    <li
      className="ws-row"
      data-testid="workspace-row"
      data-name={name}
      data-status={workspace.status}
      data-container={workspace.container}
      data-app={appOf(workspace)?.state ?? 'none'}
      aria-busy={busy !== undefined}
    >
      <RowMain
        name={name}
        onOpen={workspace.status === 'creating' ? undefined : onOpen}
        unread={appOf(workspace)?.unreadErrors ?? 0}
        tone={model.tone}
        templateName={templateName}
        templateLook={templateLook}
        created={`created ${describeSince(workspace.createdAt, now)}`}
        usage={usage}
        status={model.status}
        container={model.container}
        description={model.description}
      >
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
        <div className="ws-row__actions" role="group" aria-label={`Actions for ${name}`} ref={group}>
          <WorkspaceTerminalButton workspace={workspace} />
          {offered.map(({ action, label, icon, says = (n: string) => `${label} ${n}` }) => (
            <button
              key={action}
              type="button"
              className={action === 'remove' ? 'button button--small button--quiet-danger' : action === 'app-restart' ? 'button button--small button--primary ws-row__fix' : 'button button--small'}
              // Not `disabled`: the focus stays on the button while its action runs.
              aria-disabled={!usable(action)}
              aria-label={says(name)}
              title={says(name)}
              onClick={() => {
                if (usable(action)) onAction(name, action, retrySource(workspace))
              }}
            >
              <Icon name={busy === action ? 'spinner' : icon} size={13} className={busy === action ? 'spin' : undefined} />
              <span className="ws-row__action-label">{label}</span>
            </button>
          ))}
        </div>
      </RowMain>
      {workspace.status === 'creating' && <RowProgress name={name} progress={creation?.progress} phase={workspace.phase} />}
      {workspace.status === 'failed' && workspace.error && (
        <div className="ws-row__detail">
          <ErrorDetails error={workspace.error} testId="workspace-error" announce={false} />
        </div>
      )}
      {model.note && <p className="ws-row__note">{model.note}</p>}
      {failure && (
        <div className="ws-row__detail">
          <ErrorDetails error={failure.error} testId="workspace-action-error" onDismiss={() => onDismissFailure(name)} />
        </div>
      )}
    </li>
  )
})

/** A creation from this window that the core has not listed yet (it waits for the image or a container). */
function PendingRow({ creation }: { creation: Creation }) {
  return (
    <li className="ws-row" data-testid="workspace-row" data-name={creation.name} data-status="creating" data-container="none" aria-busy="true">
      <RowMain
        name={creation.name}
        tone="pending"
        templateName={creation.template.name}
        templateLook={creation.template}
        created="just now"
        status="Creating"
        container="no container yet"
      />
      <RowProgress name={creation.name} progress={creation.progress} phase={creation.progress.phase} />
    </li>
  )
}

interface RowMainProps {
  name: string
  tone: StatusTone
  templateName: string
  templateLook: TemplateLook | undefined
  created: string
  status: string
  container: string
  description?: string
  /** A listed workspace's name opens its page. */
  onOpen?: ((name: string) => void) | undefined
  /** Errors not looked at yet. */
  unread?: number
  usage?: WorkspaceUsage | undefined
  /** The preview and the actions, for a listed workspace. */
  children?: ReactNode
}

/** A row's first line: its state light, name, template and age, and its state. */
function RowMain({ name, tone, templateName, templateLook, created, status, container, description, onOpen, unread = 0, usage, children }: RowMainProps) {
  return (
    <div className="ws-row__main">
      <StatusDot tone={tone} />
      <div className="ws-row__identity">
        <span className="ws-row__title">
          {onOpen ? (
            <button type="button" className="ws-row__name-link" title={`Open ${name}: logs, errors, timeline`} onClick={() => onOpen(name)} data-testid="workspace-open">
              {name}
            </button>
          ) : (
            <span className="ws-row__name">{name}</span>
          )}
          {unread > 0 && (
            <span className="badge badge--sm badge--error" data-testid="workspace-unread" title={`${unread} new error${unread === 1 ? '' : 's'}`} aria-label={`${unread} new error${unread === 1 ? '' : 's'}`}>
              {unread}
            </span>
          )}
        </span>
        <span className="ws-row__meta">
          <TemplateIcon template={templateLook} size="sm" />
          <span className="ws-row__template">{templateName}</span>
          <span aria-hidden="true">·</span>
          <span className="ws-row__created">{created}</span>
        </span>
      </div>
      <span className="ws-row__state" data-testid="workspace-state" title={description}>
        <span className="ws-row__status">{status}</span>
        <span className="ws-row__container">{container}</span>
        {usage !== undefined && (
          <span className="ws-row__usage" data-testid="workspace-usage" title={usageDescription(usage)}>
            {usageText(usage)}
          </span>
        )}
      </span>
      {children}
    </div>
  )
}

/** A creating workspace's bar: live when this window creates it, its phase only when someone else does. */
function RowProgress({ name, progress, phase }: { name: string; progress: CreateProgressState | undefined; phase: Workspace['phase'] }) {
  const view = rowProgress(progress, phase)
  return (
    <div className="ws-row__progress">
      <ProgressBar percent={view.percent} label={`Creating ${name}`} size="sm" />
      <p className="ws-row__progress-text">
        <span>{view.headline}</span>
        {view.message !== undefined && <span className="mono ws-row__progress-message">{view.message}</span>}
      </p>
    </div>
  )
}
