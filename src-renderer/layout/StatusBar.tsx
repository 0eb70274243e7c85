import { useBridge, useConnection } from '../app/bridge-context'
import { useLiveValue } from '../app/use-live-value'
import { useNow } from '../app/use-now'
import { StatusDot } from '../components/StatusDot'
import { engineStatusModel } from '../views/engine-status-model'

declare const __SANDLOT_VERSION__: string

export function StatusBar() {
  const bridge = useBridge()
  const connection = useConnection()
  const status = useLiveValue('engine.status')
  const now = useNow(status?.state === 'unreachable')
  const engine = status === undefined ? undefined : engineStatusModel(status, now)
  const linked = connection.state === 'open'
  return (
    <footer className="statusbar" data-testid="status-bar">
      <span className="statusbar__item" data-testid="status-bar-engine">
        {linked && engine ? (
          <>
            <StatusDot tone={engine.tone} />
            {engine.statusLine}
          </>
        ) : (
          <>
            <StatusDot tone="idle" />
            Engine: unknown
          </>
        )}
      </span>
      <span className="statusbar__spacer" />
      <span className="statusbar__item">
        <StatusDot tone={linked ? 'ok' : 'warn'} />
        {bridge.location}
      </span>
      <span className="statusbar__item statusbar__version">Sandlot {__SANDLOT_VERSION__}</span>
    </footer>
  )
}
