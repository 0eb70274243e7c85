import { describe, expect, it } from 'vitest'
import { HealthChecker } from './health-check'
import { ManualClock } from './testing/manual-clock'
import { scriptedProbe, settle } from './testing/scripted-probe'

describe('HealthChecker', () => {
  function setup(answers: boolean[]) {
    const clock = new ManualClock()
    const changes: [boolean, number][] = []
    const unhealthy: number[] = []
    const checker = new HealthChecker({
      clock,
      probe: scriptedProbe(answers),
      port: 4000,
      intervalMs: 1000,
      timeoutMs: 100,
      failureThreshold: 3,
      onChange: (ok, n) => changes.push([ok, n]),
      onUnhealthy: (n) => unhealthy.push(n)
    })
    const tick = async (times = 1) => {
      for (let i = 0; i < times; i++) {
        clock.advance(1000)
        await settle()
      }
    }
    return { clock, checker, changes, unhealthy, tick }
  }

  it('reports each failure and the recovery, and resets the count when the port answers again', async () => {
    const { checker, changes, unhealthy, tick } = setup([true, false, false, true, false])
    checker.start()
    await tick(5)
    expect(changes).toEqual([
      [false, 1],
      [false, 2],
      [true, 0],
      [false, 1]
    ])
    expect(unhealthy).toEqual([])
    expect(checker.consecutiveFailures).toBe(1)
  })

  it('declares the app unhealthy once at the threshold and stops checking', async () => {
    const { clock, checker, unhealthy, tick } = setup([false, false, false, false])
    checker.start()
    await tick(3)
    expect(unhealthy).toEqual([3])
    expect(clock.pending()).toEqual([])
    await tick(2)
    expect(unhealthy).toEqual([3])
  })
})
