import { describe, expect, it } from 'vitest'
import { HealthChecker } from './health-check'
import { ManualClock } from './testing/manual-clock'
import { scriptedProbe, settle } from './testing/scripted-probe'

describe('HealthChecker', () => {
  function setup(answers: boolean[], restartAfterFailures: number | null = null) {
    const clock = new ManualClock()
    const events: string[] = []
    const checker = new HealthChecker({
      clock,
      probe: scriptedProbe(answers),
      port: 4000,
      intervalMs: 1000,
      timeoutMs: 100,
      failureThreshold: 2,
      restartAfterFailures,
      onUnhealthy: (n) => events.push(`unhealthy ${n}`),
      onRecovered: () => events.push('recovered'),
      onRestartDue: (n) => events.push(`restart ${n}`)
    })
    const tick = async (times = 1) => {
      for (let i = 0; i < times; i++) {
        clock.advance(1000)
        await settle()
      }
    }
    return { clock, checker, events, tick }
  }

  it('reports nothing for failures below the threshold, and resets the count when the port answers again', async () => {
    const { checker, events, tick } = setup([true, false, true, false])
    checker.start()
    await tick(2)
    expect(checker.consecutiveFailures).toBe(1)
    await tick(2)
    expect(events).toEqual([])
    expect(checker.consecutiveFailures).toBe(1)
  })

  it('turns unhealthy once at the threshold, keeps checking, and recovers when the port answers', async () => {
    const { checker, events, tick } = setup([false, false, false, false, true, true, false, false])
    checker.start()
    await tick(8)
    expect(events).toEqual(['unhealthy 2', 'recovered', 'unhealthy 2'])
  })

  it('asks for a restart once at restartAfterFailures and stops checking', async () => {
    const { clock, checker, events, tick } = setup([false, false, false, false, false], 3)
    checker.start()
    await tick(3)
    expect(events).toEqual(['unhealthy 2', 'restart 3'])
    expect(clock.pending()).toEqual([])
    await tick(2)
    expect(events).toHaveLength(2)
  })

  it('never stops checking without restartAfterFailures, and reports a long unhealthy streak once', async () => {
    const { clock, checker, events, tick } = setup(Array(20).fill(false))
    checker.start()
    await tick(20)
    expect(checker.consecutiveFailures).toBe(20)
    expect(clock.pending()).toHaveLength(1)
    expect(events).toEqual(['unhealthy 2'])
  })
})
