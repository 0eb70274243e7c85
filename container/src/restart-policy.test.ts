import { describe, expect, it } from 'vitest'
import { RestartPolicy } from './protocol'
import { RestartTracker } from './restart-policy'

const policy = (overrides: Partial<RestartPolicy> = {}) => RestartPolicy.parse({ jitter: 0, ...overrides })

describe('RestartTracker', () => {
  it('doubles the delay per attempt up to the maximum', () => {
    const tracker = new RestartTracker(policy({ initialDelayMs: 500, factor: 2, maxDelayMs: 3000, maxRestarts: 100 }), () => 0.5)
    const delays = Array.from({ length: 6 }, (_, i) => tracker.next(i, 0, 'crash'))
    expect(delays).toEqual([500, 1000, 2000, 3000, 3000, 3000].map((delayMs, i) => ({ restart: true, attempt: i + 1, delayMs })))
  })

  it('spreads delays by the jitter fraction in both directions, never past the maximum', () => {
    const at = (random: number) => new RestartTracker(policy({ initialDelayMs: 1000, jitter: 0.25, maxDelayMs: 1100 }), () => random).next(0, 0, 'crash')
    expect(at(0)).toMatchObject({ delayMs: 750 })
    expect(at(0.5)).toMatchObject({ delayMs: 1000 })
    expect(at(0.99)).toMatchObject({ delayMs: 1100 }) // 1245 before the cap
  })

  it('gives up once maxRestarts restarts happened within the window, with the reason', () => {
    const tracker = new RestartTracker(policy({ maxRestarts: 3, windowMs: 10_000 }), () => 0.5)
    expect([0, 1000, 2000].map((t) => tracker.next(t, 0, 'exited with code 1').restart)).toEqual([true, true, true])
    expect(tracker.next(3000, 0, 'exited with code 1')).toEqual({
      restart: false,
      reason: 'gave up after 3 restarts within 10s: exited with code 1'
    })
  })

  it('counts restarts in a sliding window: old ones stop counting', () => {
    const tracker = new RestartTracker(policy({ maxRestarts: 2, windowMs: 10_000, stableAfterMs: 1_000_000 }), () => 0.5)
    tracker.next(0, 0, 'crash')
    tracker.next(5000, 0, 'crash')
    expect(tracker.inWindow(9999)).toBe(2)
    expect(tracker.next(10_000, 0, 'crash')).toMatchObject({ restart: true, attempt: 3 }) // the one at 0 left the window
    expect(tracker.next(10_001, 0, 'crash')).toMatchObject({ restart: false })
  })

  it('starts the backoff over after a stable run', () => {
    const tracker = new RestartTracker(policy({ initialDelayMs: 100, factor: 3, stableAfterMs: 5000, maxRestarts: 100 }), () => 0.5)
    tracker.next(0, 10, 'crash')
    expect(tracker.next(1, 4999, 'crash')).toMatchObject({ attempt: 2, delayMs: 300 })
    expect(tracker.next(2, 5000, 'crash')).toMatchObject({ attempt: 1, delayMs: 100 })
    expect(tracker.currentAttempt).toBe(1)
  })

  it('never restarts under the "never" policy', () => {
    const tracker = new RestartTracker(policy({ policy: 'never' }), () => 0.5)
    expect(tracker.next(0, 0, 'killed by SIGSEGV')).toEqual({ restart: false, reason: 'killed by SIGSEGV; restart policy is "never"' })
  })

  it('gives up at once when no restarts are allowed', () => {
    const tracker = new RestartTracker(policy({ maxRestarts: 0 }), () => 0.5)
    expect(tracker.next(0, 0, 'crash')).toEqual({ restart: false, reason: 'gave up after 0 restarts within 60s: crash' })
  })
})
