import type { SyncStatus } from '../../src-main/core/contract'
import { describeSyncStatus } from '../../src-main/core/sync/sync-status-text'
import { formatTimeAndAge } from '../app/time-format'
import { useLiveValue } from '../app/use-live-value'
import { useNow } from '../app/use-now'
import { FactList } from '../components/FactList'
import { HintText } from '../components/HintText'
import { Icon } from '../components/Icon'
import { StatusDot } from '../components/StatusDot'

const TONES = { off: 'idle', ok: 'ok', busy: 'pending', failing: 'error' } as const

/** Sync to a team orchestrator, live, under its settings: on or off, acknowledged, waiting, lag, dropped, the last error and what to do. */
export function SyncStatusPanel() {
  const status = useLiveValue('sync.status')
  const now = useNow(status?.lastAckAt != null)
  if (status === undefined) return null
  return <SyncStatusFacts status={status} now={now} />
}

function SyncStatusFacts({ status, now }: { status: SyncStatus; now: number }) {
  const text = describeSyncStatus(status, now, { time: formatTimeAndAge, turnOn: 'Fill in the URL and Token fields above.' })
  const tone = TONES[text.tone]
  return (
    <div className="sync-status" data-testid="sync-status" data-state={text.tone}>
      <div className="sync-status__head">
        <span className="field__label">Sync status</span>
        <span className={`badge badge--${tone}`} data-testid="sync-status-state">
          <StatusDot tone={tone} />
          {text.headline}
        </span>
      </div>
      {status.lastError && (
        <div className="callout" data-testid="sync-status-problem">
          <Icon name="alert" size={18} className="callout__icon" />
          <div>
            <p className="callout__title">
              <HintText text={status.lastError.message} />
            </p>
            <p className="callout__text">
              <HintText text={status.lastError.hint} />
            </p>
          </div>
        </div>
      )}
      <FactList facts={text.rows.map(([label, value]) => ({ label: label.charAt(0).toUpperCase() + label.slice(1), value: <HintText text={value} />, mono: label === 'orchestrator' }))} />
    </div>
  )
}
