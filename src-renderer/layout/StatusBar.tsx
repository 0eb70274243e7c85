import { useBridge, useConnection } from '../app/bridge-context'
import { useNavigate } from '../app/navigation-context'
import { useLiveValue } from '../app/use-live-value'
import { useNow } from '../app/use-now'
import { StatusDot } from '../components/StatusDot'
import { engineStatusModel } from '../views/engine-status-model'
import { syncIndicator } from './sync-indicator-model'

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
      <SyncIndicator />
      <span className="statusbar__spacer" />
      <span className="statusbar__item">
        <StatusDot tone={linked ? 'ok' : 'warn'} />
        {bridge.location}
      </span>
      <span className="statusbar__item statusbar__version">Sandlot {__SANDLOT_VERSION__}</span>
    </footer>
  )
}

/** Frames to wait for the Settings page to show its sync card (it loads the settings first). */
const REVEAL_FRAMES = 120

/** Sync when it is on and failing or far behind, linking to its card in Settings; nothing otherwise. */
function SyncIndicator() {
  const navigate = useNavigate()
  const indicator = syncIndicator(useLiveValue('sync.status'))
  if (indicator === undefined) return null
  const open = (): void => {
    navigate('settings')
    // The Settings page takes no section in its route: scroll to the card once it is drawn.
    let frames = REVEAL_FRAMES
    const reveal = (): void => {
      const card = document.querySelector<HTMLElement>('[data-testid="settings-group-sync"]')
      if (card) card.scrollIntoView({ block: 'start', behavior: 'smooth' })
      else if (--frames > 0) requestAnimationFrame(reveal)
    }
    requestAnimationFrame(reveal)
  }
  return (
    <button type="button" className={`statusbar__item statusbar__link statusbar__link--${indicator.tone}`} title={indicator.title} onClick={open} data-testid="status-bar-sync" data-tone={indicator.tone}>
      <StatusDot tone={indicator.tone} />
      {indicator.text}
    </button>
  )
}
