import { useLiveValue } from '../app/use-live-value'
import { HintText } from '../components/HintText'
import { Icon } from '../components/Icon'
import { ProgressBar } from '../components/ProgressBar'
import { StatusDot } from '../components/StatusDot'
import { backgroundCards } from './background-model'
import { FactList } from '../components/FactList'

/** The core image and the warm pool, live: what background work is doing and, when it cannot, why and what to do. */
export function EngineBackgroundCards({ now }: { now: number }) {
  const status = useLiveValue('system.background')
  if (status === undefined) return null
  return (
    <>
      {backgroundCards(status, now).map((card) => (
        <section className="card bg-card" key={card.id} data-testid={`background-${card.id}`} data-state={card.state}>
          <h3 className="card__title">{card.title}</h3>
          <div className="bg-card__head">
            <p className="bg-card__summary">
              <HintText text={card.summary} />
            </p>
            <span className={`badge badge--${card.tone}`} data-testid={`background-${card.id}-state`}>
              <StatusDot tone={card.tone} />
              {card.state}
            </span>
          </div>
          {card.state === 'Building' && <ProgressBar label="Building the core image" {...(card.fraction === undefined ? {} : { percent: card.fraction * 100 })} />}
          {card.problem && (
            <div className="callout" data-testid={`background-${card.id}-problem`}>
              <Icon name="alert" size={18} className="callout__icon" />
              <div>
                <p className="callout__title">
                  <HintText text={card.problem.message} />
                </p>
                {card.problem.hint && (
                  <p className="callout__text">
                    <HintText text={card.problem.hint} />
                  </p>
                )}
                <p className="bg-card__since">{card.problem.since}</p>
              </div>
            </div>
          )}
          {card.facts.length > 0 && <FactList facts={card.facts} />}
        </section>
      ))}
    </>
  )
}
