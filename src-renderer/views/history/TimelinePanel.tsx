import { EmptyState } from '../../components/EmptyState'
import { memo } from 'react'
import type { TimelineEvent } from '../../../src-main/core/contract'
import { ErrorDetails } from '../../components/ErrorDetails'
import { Icon } from '../../components/Icon'
import { collapseTimeline, timelineEntryModel } from './history-model'
import { HistoryLoading } from './HistoryLoading'
import { useTimeline } from './use-history'
import { Time } from '../../components/Time'

/** What the monitor did and saw, newest first: starts, readies, crashes with their exits, restarts with their delays, gaps. */
export function TimelinePanel({ workspace }: { workspace: string }) {
  const timeline = useTimeline(workspace)
  if (timeline.value === undefined) return <HistoryLoading error={timeline.error} what="timeline" />
  if (timeline.value.length === 0) {
    return (
      <EmptyState icon="timeline" title="Nothing happened yet" testId="timeline-empty" text={`Starts, readiness, crashes and restarts of ${workspace}’s app show here as they happen.`} />
    )
  }
  return (
    <>
      {timeline.error && <ErrorDetails error={timeline.error} title="Older entries could not be read." />}
      <ol className="card timeline" aria-label={`Timeline of ${workspace}`} data-testid="timeline">
        {collapseTimeline(timeline.value).map((event) => (
          <TimelineEntry key={event.id} event={event} />
        ))}
      </ol>
      {timeline.more && (
        <button type="button" className="button button--small timeline__more" onClick={timeline.loadOlder}>
          Older entries
        </button>
      )}
    </>
  )
}

const TimelineEntry = memo(function TimelineEntry({ event }: { event: TimelineEvent }) {
  const model = timelineEntryModel(event)
  return (
    <li className={`timeline__entry timeline__entry--${model.tone}`} data-testid="timeline-entry" data-kind={event.kind} data-state={event.state}>
      <span className="timeline__icon" aria-hidden="true">
        <Icon name={model.icon} size={14} />
      </span>
      <div className="timeline__body">
        <p className="timeline__title">
          <strong>{model.title}</strong>
          {model.details.map((detail) => (
            <span key={detail} className="timeline__detail">
              {detail}
            </span>
          ))}
        </p>
        {event.summary && event.summary !== model.title && (
          <p className="timeline__summary" title={event.summary}>
            {event.summary}
          </p>
        )}
      </div>
      <Time className="timeline__time" iso={event.ts} />
    </li>
  )
})
