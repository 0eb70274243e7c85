import type { ConnectionState } from '../bridge/bridge'
import { useBridge } from '../app/bridge-context'
import { useNow } from '../app/use-now'
import { Icon } from '../components/Icon'
import { Logo } from '../components/Logo'

/** Until the first connection opens: nothing of the app shows before the server accepted the token. */
export function Splash({ connection }: { connection: ConnectionState }) {
  const bridge = useBridge()
  const now = useNow(connection.state === 'disconnected')
  const seconds = connection.state === 'disconnected' ? Math.max(0, Math.ceil((connection.nextAttemptAt - now) / 1000)) : 0
  return (
    <main className="centered">
      <section className="splash" aria-busy={connection.state === 'connecting'} data-testid="splash">
        <Logo size={44} />
        {connection.state === 'disconnected' ? (
          <>
            <h1 className="splash__title">Cannot reach sandlot serve</h1>
            <p className="splash__text">
              Nothing answers at {bridge.location}. Is <code>sandlot serve</code> still running?{' '}
              {seconds > 0 ? `Trying again in ${seconds} s.` : 'Trying again…'}
            </p>
            <button type="button" className="button" onClick={() => bridge.reconnectNow()}>
              <Icon name="retry" size={14} />
              Retry now
            </button>
          </>
        ) : (
          <>
            <h1 className="splash__title">Connecting to Sandlot…</h1>
            <div className="splash__progress" />
          </>
        )}
      </section>
    </main>
  )
}
