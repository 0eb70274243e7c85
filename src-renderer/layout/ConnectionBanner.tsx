import { useBridge, useConnection } from '../app/bridge-context'
import { useNow } from '../app/use-now'
import { Icon } from '../components/Icon'

/** Shown over the views while the link to `sandlot serve` is down; what they show meanwhile is stale. */
export function ConnectionBanner() {
  const bridge = useBridge()
  const connection = useConnection()
  const now = useNow(connection.state === 'disconnected')
  if (connection.state !== 'disconnected' && connection.state !== 'connecting') return null
  const seconds = connection.state === 'disconnected' ? Math.max(0, Math.ceil((connection.nextAttemptAt - now) / 1000)) : 0
  return (
    <div className="banner" role="status" data-testid="connection-banner">
      <Icon name="unplugged" className="banner__icon" />
      <span className="banner__text">
        <strong>Lost the connection to sandlot serve.</strong>{' '}
        {connection.state === 'connecting' || seconds === 0
          ? 'Reconnecting…'
          : `Reconnecting in ${seconds} s (attempt ${connection.attempt}).`}
      </span>
      <button type="button" className="button button--small" onClick={() => bridge.reconnectNow()} disabled={connection.state === 'connecting'}>
        <Icon name="retry" size={14} />
        Retry now
      </button>
    </div>
  )
}
