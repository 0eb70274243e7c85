import type { ReactNode } from 'react'
import { formatTime, timeOfDay, timeTitle } from '../app/time-format'

interface TimeProps {
  /** ISO 8601, as the core sends times. */
  iso: string
  className?: string
  /** Only the time of day (log lines, where the day shows in the tooltip). */
  clock?: boolean
  /** What to show instead of the formatted time ("3 min ago"); the tooltip still gives the exact time. */
  children?: ReactNode
}

/** A time as every view shows it (app/time-format), with the full local time and the ISO instant on hover. */
export function Time({ iso, className, clock = false, children }: TimeProps) {
  return (
    <time className={className} dateTime={iso} title={timeTitle(iso)}>
      {children ?? (clock ? timeOfDay(iso) : formatTime(iso))}
    </time>
  )
}
