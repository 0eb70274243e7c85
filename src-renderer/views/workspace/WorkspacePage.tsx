import { useCallback, useEffect, useRef, useState, type RefObject } from 'react'
import type { Workspace } from '../../../src-main/core/contract'
import { callError, type CallError } from '../../bridge/bridge'
import { useBridge } from '../../app/bridge-context'
import { useNavigate } from '../../app/navigation-context'
import { useSettings } from '../../app/settings-context'
import { historyPath, WORKSPACE_TABS, workspacePath, type WorkspaceTab } from '../../app/route'
import { useHistoryWorkspaces } from '../../app/use-history-workspaces'
import { useRoute } from '../../app/route-context'
import { useWorkspaceActions } from '../../app/workspace-actions-context'
import { ErrorDetails } from '../../components/ErrorDetails'
import { Icon } from '../../components/Icon'
import { StatusDot } from '../../components/StatusDot'
import { ErrorsPanel } from '../history/ErrorsPanel'
import { LogsPanel } from '../history/LogsPanel'
import { TimelinePanel } from '../history/TimelinePanel'
import { FilesPanel } from './files/FilesPanel'
import { EmptyState } from '../../components/EmptyState'
import { appOf, previewLabel, workspaceStatusModel, type WorkspaceAction } from '../workspace-model'
import { ActionMenu } from './ActionMenu'
import { useWorkspace } from './use-workspace'
import { pageButtons, type PageAction, type PageButton } from './workspace-page-model'
import { useResourceUsage } from '../../app/use-resource-usage'
import { usageDescription, usageText } from '../resource-model'
import { effectiveIdleStop } from '../idle-stop-model'
import { IdleStopEditor } from './IdleStopEditor'
import { NoSuchWorkspace } from '../../components/GoToWorkspaces'

const TAB_LABEL: Record<WorkspaceTab, string> = { logs: 'Logs', errors: 'Errors', timeline: 'Timeline', files: 'Files' }
const CONTAINER_ACTION: Record<WorkspaceAction, string> = { start: 'Start', stop: 'Stop container', restart: 'Restart container', remove: 'Remove', retry: 'Retry', editor: 'Open in editor', 'app-restart': 'Restart app' }

/** One workspace: its app's state and actions, the preview, its Logs, Errors and Timeline, and its files. */
export function WorkspacePage() {
  const route = useRoute()
  const navigate = useNavigate()
  const name = 'workspace' in route && route.workspace !== undefined ? route.workspace : ''
  const tab: WorkspaceTab = 'tab' in route ? route.tab : 'logs'
  const focus = 'focus' in route ? route.focus : undefined
  const file = 'file' in route ? route.file : undefined
  const state = useWorkspace(name)

  const back = (
    <button type="button" className="back-link" onClick={() => navigate('workspaces')}>
      <Icon name="back" size={14} />
      Workspaces
    </button>
  )

  const workspace = state.workspace
  const unread = workspace?.app?.unreadErrors ?? 0
  const select = (next: WorkspaceTab): void => navigate(workspacePath(name, next))

  // One tree while it loads and once loaded: the title the shell focused keeps the focus.
  return (
    <div className="page page--fill ws-page" data-testid="workspace-page" data-name={name}>
      {back}
      <PageHeader name={name} workspace={workspace} refresh={state.refresh} />
      {workspace === undefined ? (
        state.error?.code === 'NOT_FOUND' ? (
          <GonePage name={name} tab={tab} focus={focus} select={select} />
        ) : state.error ? (
          <ErrorDetails error={state.error} title={`${name} could not be read.`} testId="workspace-page-error" />
        ) : (
          <div className="skeleton skeleton--line" aria-busy="true" aria-label="Loading the workspace" />
        )
      ) : (
        <WorkspaceTabs name={name} tab={tab} focus={focus} file={file} unread={unread} running={workspace.container === 'running'} select={select} markSeenLocally={state.markSeenLocally} />
      )}
    </div>
  )
}

interface WorkspaceTabsProps {
  name: string
  tab: WorkspaceTab
  focus: string | undefined
  /** The Files tab's file to show. */
  file: string | undefined
  unread: number
  /** Files are read from the running container. */
  running: boolean
  /** Removed, its history kept: no Files (they went with its container). */
  removed?: boolean
  select: (tab: WorkspaceTab) => void
  markSeenLocally: () => void
}

function WorkspaceTabs({ name, tab, focus, file, unread, running, removed = false, select, markSeenLocally }: WorkspaceTabsProps) {
  const tabIds: readonly WorkspaceTab[] = removed ? WORKSPACE_TABS.filter((id) => id !== 'files') : WORKSPACE_TABS
  const tabs = useRef<HTMLDivElement>(null)
  return (
    <>
      <div
        className="tabs"
        role="tablist"
        aria-label={`${name} history`}
        ref={tabs}
        onKeyDown={(event) => {
          const at = tabIds.indexOf(tab)
          const count = tabIds.length
          const next = event.key === 'ArrowRight' ? tabIds[(at + 1) % count] : event.key === 'ArrowLeft' ? tabIds[(at + count - 1) % count] : undefined
          if (next === undefined) return
          event.preventDefault()
          select(next)
          requestAnimationFrame(() => tabs.current?.querySelector<HTMLElement>(`[data-tab="${next}"]`)?.focus())
        }}
      >
        {tabIds.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            className="tabs__tab"
            data-tab={id}
            id={`ws-tab-${id}`}
            aria-selected={tab === id}
            aria-controls="ws-tabpanel"
            tabIndex={tab === id ? 0 : -1}
            onClick={() => select(id)}
          >
            {TAB_LABEL[id]}
            {id === 'errors' && unread > 0 && (
              <span className="badge badge--sm badge--error" data-testid="tab-unread" aria-label={`${unread} new`}>
                {unread}
              </span>
            )}
          </button>
        ))}
      </div>
      <div className={`ws-page__panel ws-page__panel--${tab}`} role="tabpanel" id="ws-tabpanel" aria-labelledby={`ws-tab-${tab}`}>
        {tab === 'logs' && <LogsPanel workspace={name} ended={removed} />}
        {tab === 'errors' && (
          <>
            <MarkSeen workspace={name} unread={unread} onSeen={markSeenLocally} />
            <ErrorsPanel workspace={name} focus={focus} />
          </>
        )}
        {tab === 'timeline' && <TimelinePanel workspace={name} />}
        {tab === 'files' &&
          (running ? (
            <FilesPanel workspace={name} reveal={file} />
          ) : (
            <EmptyState icon="folder" title="The container is stopped." text="Its files are read from the running container: start it to see them." testId="files-stopped" />
          ))}
      </div>
    </>
  )
}

/**
 * A workspace that is not there: removed (its history is kept, README: so its logs, errors and timeline are
 * still shown, and the Logs and Errors views filter to it), or never made.
 */
function GonePage({ name, tab, focus, select }: { name: string; tab: WorkspaceTab; focus: string | undefined; select: (tab: WorkspaceTab) => void }) {
  const withHistory = useHistoryWorkspaces()
  if (withHistory === undefined) return <div className="skeleton skeleton--line" aria-busy="true" aria-label="Loading its history" />
  if (!withHistory.includes(name)) {
    return <NoSuchWorkspace name={name} why="It was removed before it kept any history, or it was never made." testId="workspace-gone" />
  }
  return (
    <>
      <div className="note ws-page__gone" data-testid="workspace-gone" data-history="kept">
        <Icon name="trash" size={14} />
        <span>
          <strong>{name} was removed.</strong> Its history is kept: its logs, errors and timeline are below.
        </span>
        <span className="ws-page__gone-links">
          <a href={`#/${historyPath('logs', name)}`}>In Logs</a>
          <a href={`#/${historyPath('errors', name)}`}>In Errors</a>
        </span>
      </div>
      <WorkspaceTabs name={name} tab={tab === 'files' ? 'logs' : tab} focus={focus} file={undefined} unread={0} running={false} removed select={select} markSeenLocally={noop} />
    </>
  )
}

const noop = (): void => undefined

/** While the Errors tab is open, what it shows counts as seen: the badge goes, and stays gone as errors come in. */
function MarkSeen({ workspace, unread, onSeen }: { workspace: string; unread: number; onSeen: () => void }) {
  const bridge = useBridge()
  const asked = useRef(-1)
  useEffect(() => {
    // Once on opening, then whenever new unread errors arrive while it is open.
    if (asked.current !== -1 && unread === 0) return
    if (asked.current === unread) return
    asked.current = unread
    bridge.call('history.markSeen', { workspace }).then(onSeen, (err: unknown) => console.warn(`sandlot: marking ${workspace}'s errors seen failed: ${callError(err).message}`))
  }, [bridge, workspace, unread, onSeen])
  return null
}

function PageHeader({ name, workspace, refresh }: { name: string; workspace: Workspace | undefined; refresh: () => Promise<void> }) {
  const bridge = useBridge()
  const { state: actions, store } = useWorkspaceActions()
  const [appBusy, setAppBusy] = useState<PageAction['action']>()
  const [failure, setFailure] = useState<{ label: string; error: CallError }>()
  const busy = appBusy !== undefined || actions.busy[name] !== undefined
  const buttons = workspace === undefined ? [] : pageButtons(workspace, busy)
  const containerFailure = actions.failures[name]
  const settingMinutes = useSettings().view?.settings.workspaces.idleStopMinutes
  const [editingIdleStop, setEditingIdleStop] = useState(false)
  const idleStopButton = useRef<HTMLButtonElement>(null)
  const closeIdleStop = useCallback(() => {
    setEditingIdleStop(false)
    // Back to the label that opened it, now showing the new value.
    requestAnimationFrame(() => idleStopButton.current?.focus())
  }, [])

  const run = useCallback(
    async (button: PageButton) => {
      setFailure(undefined)
      if (button.do.target === 'container') {
        await store.run(name, button.do.action, { afterwards: refresh })
        return
      }
      setAppBusy(button.do.action)
      try {
        await bridge.call('workspaces.process', { name, action: button.do.action })
      } catch (err) {
        setFailure({ label: button.label, error: callError(err) })
      } finally {
        setAppBusy(undefined)
        await refresh()
      }
    },
    [bridge, name, refresh, store]
  )

  // The main actions stay buttons at every width (the header wraps them under the name when narrow).
  const inline = buttons.filter((b) => b.primary)
  const inMenu = buttons.filter((b) => !b.primary)
  const busyId = appBusy ?? actions.busy[name]

  return (
    <>
      <header className="ws-page__header">
        <div className="ws-page__identity">
          <h1 className="page__title ws-page__title" tabIndex={-1} title={name}>
            {name}
          </h1>
          {workspace && (
            <StateLine
              workspace={workspace}
              settingMinutes={settingMinutes}
              idleStop={{ editing: editingIdleStop, toggle: () => (editingIdleStop ? closeIdleStop() : setEditingIdleStop(true)), button: idleStopButton }}
            />
          )}
        </div>
        <div className="ws-page__actions" role="group" aria-label={`Actions for ${name}`} hidden={workspace === undefined}>
          {inline.map((button) => (
            <button
              key={button.id}
              type="button"
              className={button.fix ? 'button button--small button--primary' : 'button button--small'}
              data-testid={`workspace-page-${button.id}`}
              aria-disabled={!button.enabled}
              onClick={() => {
                if (button.enabled) void run(button)
              }}
            >
              <Icon name={busyId === button.do.action ? 'spinner' : button.icon} size={13} className={busyId === button.do.action ? 'spin' : undefined} />
              {button.label}
            </button>
          ))}
          {inMenu.length > 0 && (
            <ActionMenu
              label={`More actions for ${name}`}
              actions={inMenu.map((button) => ({ id: button.id, label: button.label, icon: button.icon, disabled: !button.enabled, run: () => void run(button) }))}
            />
          )}
        </div>
      </header>
      {workspace && editingIdleStop && <IdleStopEditor name={name} own={workspace.idleStopMinutes} settingMinutes={settingMinutes} onClose={closeIdleStop} />}
      {failure && <ErrorDetails error={failure.error} title={`${failure.label} failed.`} onDismiss={() => setFailure(undefined)} testId="workspace-page-action-error" />}
      {containerFailure && <ErrorDetails error={containerFailure.error} title={`${CONTAINER_ACTION[containerFailure.action]} failed.`} onDismiss={() => store.dismissFailure(name)} />}
    </>
  )
}

interface StateLineProps {
  workspace: Workspace
  settingMinutes: number | undefined
  /** The idle stop label opens its editor below the header. */
  idleStop: { editing: boolean; toggle: () => void; button: RefObject<HTMLButtonElement | null> }
}

/** The app's state, the container's, its idle stop (a button that changes it), and the preview link. */
function StateLine({ workspace, settingMinutes, idleStop: editor }: StateLineProps) {
  const model = workspaceStatusModel(workspace)
  const usage = useResourceUsage(workspace.container === 'running').get(workspace.name)
  const idleStop = effectiveIdleStop(workspace.idleStopMinutes, settingMinutes)
  return (
    <p className="ws-page__state" data-testid="workspace-page-state" data-app={appOf(workspace)?.state ?? 'none'}>
      <span className="ws-page__app" title={model.description}>
        <StatusDot tone={model.tone} />
        <span>{model.status}</span>
      </span>
      <span className="ws-page__container">container {model.container}</span>
      {usage !== undefined && (
        <span className="ws-page__container mono" data-testid="workspace-page-usage" title={usageDescription(usage)}>
          {usageText(usage)}
        </span>
      )}
      {idleStop !== undefined && (
        <button
          ref={editor.button}
          type="button"
          className="ws-page__idle-stop"
          data-testid="workspace-page-idle-stop"
          title={idleStop.title}
          aria-expanded={editor.editing}
          aria-label={`${idleStop.text}: change the idle stop`}
          onClick={editor.toggle}
        >
          <span>{idleStop.text}</span>
          <Icon name="edit" size={12} />
        </button>
      )}
      {workspace.previewUrl ? (
        <a className="ws-page__preview" href={workspace.previewUrl} target="_blank" rel="noopener noreferrer" title={`Open ${workspace.previewUrl} in a new tab`} data-testid="workspace-page-preview">
          <span className="mono">{previewLabel(workspace.previewUrl)}</span>
          <Icon name="external" size={12} />
        </a>
      ) : (
        <span className="ws-page__container">{workspace.container === 'running' ? 'no preview' : 'preview when running'}</span>
      )}
    </p>
  )
}
