import { useLiveValue } from '../app/use-live-value'
import { useNow } from '../app/use-now'
import { Icon, type IconName } from '../components/Icon'
import { StatusDot } from '../components/StatusDot'
import { engineStatusModel, type Tone } from './engine-status-model'
import { EngineBackgroundCards } from './EngineBackgroundCards'
import { EngineDiskCard } from './EngineDiskCard'
import { PageHeader } from '../components/PageHeader'
import { FactList } from '../components/FactList'

const TONE_ICON: Record<Tone, IconName> = { ok: 'check', pending: 'pending', error: 'alert' }

/** The first screen: the Docker engine, live (connected, not reachable with what to do, reconnecting). */
export function EngineStatusView() {
  const status = useLiveValue('engine.status')
  const now = useNow(status !== undefined)
  const model = status === undefined ? undefined : engineStatusModel(status, now)

  return (
    <div className="page">
      <PageHeader title="Engine" lead="The Docker engine your workspaces run on. Sandlot watches it and this page follows along." />

      {model === undefined || status === undefined ? (
        <section className="card hero hero--loading" aria-busy="true">
          <div className="skeleton skeleton--icon" />
          <div className="hero__body">
            <div className="skeleton skeleton--title" />
            <div className="skeleton skeleton--line" />
          </div>
        </section>
      ) : (
        <>
          <section className={`card hero hero--${model.tone}`} data-testid="engine-status" data-state={status.state}>
            <div className="hero__main">
              <div className="hero__icon">
                <Icon name={TONE_ICON[model.tone]} size={22} />
              </div>
              <div className="hero__body">
                <h2 className="hero__headline">{model.headline}</h2>
                <p className="hero__summary">{model.summary}</p>
              </div>
              <span className={`badge badge--${model.tone}`} data-testid="engine-state">
                <StatusDot tone={model.tone} />
                {model.state}
              </span>
            </div>
            {model.retry && (
              <div className="hero__footer" data-testid="engine-retry">
                <Icon name="retry" size={14} />
                {model.retry.seconds > 0 ? `Next attempt in ${model.retry.seconds} s` : 'Trying again now…'}
                <span className="hero__footer-muted">Attempt {model.retry.attempt}</span>
              </div>
            )}
          </section>

          {model.hint && (
            <section className="callout" data-testid="engine-hint">
              <Icon name="hint" size={18} className="callout__icon" />
              <div>
                <h3 className="callout__title">What to do</h3>
                <p className="callout__text">{model.hint}</p>
              </div>
            </section>
          )}

          <section className="card">
            <h3 className="card__title">Connection</h3>
            <FactList facts={model.facts} />
          </section>
          {status.state === 'connected' && <EngineBackgroundCards now={now} />}
          <EngineDiskCard connected={status.state === 'connected'} />
        </>
      )}
    </div>
  )
}
