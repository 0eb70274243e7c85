/**
 * Every time the window shows, in one style: the time of day for today ("16:20:21"), the date with it otherwise
 * ("Dec 3, 16:20:21", the year only when it is not this year's), "5 min ago" where the age is what matters, and
 * the full local time with the ISO instant in a tooltip. The locale's names and order, a 24-hour clock throughout
 * (log lines line up and read the same as the CLI's).
 */
type When = string | number | Date

const TIME_OF_DAY = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
const DAY_OF_YEAR = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
const FULL = new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hourCycle: 'h23', timeZoneName: 'short' })

const asDate = (when: When): Date => (when instanceof Date ? when : new Date(when))

/** "16:20:21". */
export function timeOfDay(when: When): string {
  return TIME_OF_DAY.format(asDate(when))
}

/** "16:20:21" today, "Dec 3, 16:20:21" another day of this year, "Dec 3, 2025, 16:20:21" before. */
export function formatTime(when: When, now: number = Date.now()): string {
  const at = asDate(when)
  const today = new Date(now)
  if (at.toDateString() === today.toDateString()) return timeOfDay(at)
  const day = at.getFullYear() === today.getFullYear() ? DAY.format(at) : DAY_OF_YEAR.format(at)
  return `${day}, ${timeOfDay(at)}`
}

/** "just now", "5 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function describeSince(when: When, now: number): string {
  const seconds = Math.max(0, Math.floor((now - asDate(when).getTime()) / 1000))
  if (seconds < 5) return 'just now'
  if (seconds < 60) return `${seconds} s ago`
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} min ago`
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)} h ago`
  return `${Math.floor(seconds / 86_400)} d ago`
}

/** "16:20:21 (3 min ago)": when both the moment and its age matter. */
export function formatTimeAndAge(when: When, now: number): string {
  return `${formatTime(when, now)} (${describeSince(when, now)})`
}

/** The tooltip: the full local time, then the exact instant ("Thu, Dec 3, 2026, 16:20:21.708 UTC · 2026-12-03T16:20:21.708Z"). */
export function timeTitle(when: When): string {
  const at = asDate(when)
  return `${FULL.format(at)} · ${at.toISOString()}`
}
