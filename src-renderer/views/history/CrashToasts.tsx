import { useEffect, useMemo } from 'react'
import { useBridge } from '../../app/bridge-context'
import { useNavigate } from '../../app/navigation-context'
import { workspacePath } from '../../app/route'
import { useStore } from '../../app/store'
import { formatTime } from '../../app/time-format'
import { Icon } from '../../components/Icon'
import { AlertStore, type Toast } from './alert-store'
import { alertOf, firstLine } from './history-model'

/**
 * Crashes and apps that gave up, from any workspace, wherever the user is: a toast naming the workspace and the
 * error's first line, linking to that error (or to the timeline when nothing was printed). Mounted once, in the
 * shell, so it listens whatever view shows. Once the app is ready again the toast says so and closes itself.
 */
export function CrashToasts() {
  const bridge = useBridge()
  const navigate = useNavigate()
  const store = useMemo(() => new AlertStore(), [])
  const toasts = useStore(store)

  useEffect(() => {
    const stops = [
      bridge.subscribe('history.events', (payload) => {
        const alert = alertOf(payload)
        if (alert === undefined) {
          store.settle(payload.workspace, payload.app, payload.event.id)
          return
        }
        store.raise(alert)
        // The cause usually printed just before the crash record: look for it among the stored errors.
        bridge.call('history.errors', { workspace: alert.workspace }).then(
          (errors) => store.offerErrors(errors),
          () => undefined
        )
      }),
      bridge.subscribe('history.errors', ({ error }) => store.offerErrors([error]))
    ]
    return () => stops.forEach((stop) => stop())
  }, [bridge, store])

  return (
    <section className="toasts" aria-label="Notifications" data-testid="toasts">
      {toasts.map((toast) => (
        <CrashToast
          key={toast.id}
          toast={toast}
          onOpen={() => {
            store.dismiss(toast.id)
            navigate(toast.error ? workspacePath(toast.alert.workspace, 'errors', toast.error.fingerprint) : workspacePath(toast.alert.workspace, 'timeline'))
          }}
          onDismiss={() => store.dismiss(toast.id)}
        />
      ))}
    </section>
  )
}

function CrashToast({ toast, onOpen, onDismiss }: { toast: Toast; onOpen: () => void; onDismiss: () => void }) {
  const { alert, error, count, recoveredAt } = toast
  const recovered = recoveredAt !== undefined
  const after = alert.kind === 'failed' ? '' : count > 1 ? ` after ${count} crashes` : ' after a crash'
  // What happened stays in the tooltip once the line says the app is back.
  const cause = error ? firstLine(error.message) : alert.detail
  const line = recovered ? `Ready again at ${formatTime(recoveredAt)}${after}.` : cause
  return (
    <div
      className={recovered ? 'toast toast--recovered' : 'toast'}
      role={recovered ? 'status' : 'alert'}
      data-testid="crash-toast"
      data-workspace={alert.workspace}
      data-kind={alert.kind}
      data-state={recovered ? 'recovered' : 'down'}
    >
      <Icon name={recovered ? 'check' : 'alert'} size={16} className="toast__icon" />
      <div className="toast__body">
        <p className="toast__title">
          <span className="toast__workspace" title={alert.workspace}>
            {recovered ? `${alert.workspace} recovered` : alert.headline}
          </span>
          {count > 1 && !recovered && <span className="toast__count">×{count}</span>}
        </p>
        <p className="toast__line mono" title={cause} data-testid="crash-toast-line">
          {line}
        </p>
        <button type="button" className="link-button toast__link" onClick={onOpen}>
          {error ? 'Show the error' : 'Show the timeline'}
        </button>
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
        <Icon name="close" size={14} />
      </button>
    </div>
  )
}
