import { describe, expect, it } from 'vitest'
import { describeSince, formatTime, formatTimeAndAge, timeOfDay, timeTitle } from './time-format'

// Local times, so the test holds in any time zone.
const at = (y: number, mo: number, d: number, h: number, mi: number, s: number) => new Date(y, mo - 1, d, h, mi, s, 708)
const now = at(2026, 12, 3, 16, 40, 0).getTime()

describe('time format', () => {
  it('shows the time of day for today, the day with it otherwise, the year only when it differs', () => {
    const today = formatTime(at(2026, 12, 3, 9, 5, 7), now)
    expect(today).toBe(timeOfDay(at(2026, 12, 3, 9, 5, 7)))
    expect(today).toMatch(/^09.05.07$/)
    const earlier = formatTime(at(2026, 12, 2, 23, 59, 1), now)
    expect(earlier).toMatch(/2/)
    expect(earlier.endsWith(', 23:59:01') || earlier.endsWith(' 23:59:01')).toBe(true)
    expect(earlier).not.toMatch(/2026/)
    expect(formatTime(at(2025, 12, 3, 16, 40, 0), now)).toMatch(/2025/)
    // ISO strings from the core read the same as dates.
    expect(formatTime(at(2026, 12, 3, 9, 5, 7).toISOString(), now)).toBe(today)
  })

  it('says ages in the units that matter', () => {
    expect(describeSince(now - 2_000, now)).toBe('just now')
    expect(describeSince(now - 6_000, now)).toBe('6 s ago')
    expect(describeSince(now - 3 * 60_000, now)).toBe('3 min ago')
    expect(describeSince(now - 2 * 3_600_000, now)).toBe('2 h ago')
    expect(describeSince(now - 4 * 86_400_000, now)).toBe('4 d ago')
    // A clock a little ahead of this one is not "in the future".
    expect(describeSince(now + 1_000, now)).toBe('just now')
    expect(formatTimeAndAge(now - 6_000, now)).toBe(`${formatTime(now - 6_000, now)} (6 s ago)`)
  })

  it('puts the exact instant in the tooltip', () => {
    const when = at(2026, 12, 3, 16, 39, 30)
    expect(timeTitle(when)).toContain(when.toISOString())
    expect(timeTitle(when)).toMatch(/2026/)
  })
})
