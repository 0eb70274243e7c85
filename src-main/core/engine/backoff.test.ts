import { describe, expect, it } from 'vitest'
import { backoffDelay, DEFAULT_BACKOFF } from './backoff'

describe('backoffDelay', () => {
  const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 }

  it('doubles from 500 ms and stops growing at 15 s', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 20].map((attempt) => backoffDelay(attempt, noJitter))
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000])
  })

  it('spreads each delay by up to ±jitter of itself', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0)).toBe(800)
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0.5)).toBe(1000)
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0.999_999)).toBe(1200)
  })

  it('never exceeds maxMs, even jittered upwards', () => {
    expect(backoffDelay(10, DEFAULT_BACKOFF, () => 0.999_999)).toBe(15_000)
    expect(backoffDelay(10, DEFAULT_BACKOFF, () => 0)).toBe(12_000)
  })

  it('follows a custom schedule', () => {
    const backoff = { initialMs: 100, maxMs: 1000, factor: 3, jitter: 0 }
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, backoff))).toEqual([100, 300, 900, 1000])
  })
})
