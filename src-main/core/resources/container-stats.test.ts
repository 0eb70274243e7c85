import { describe, expect, it } from 'vitest'
import { usageFromStats } from './container-stats'

const at = new Date('2026-12-03T10:00:00Z')
const frame = (over: Record<string, unknown> = {}) => ({
  cpu_stats: { cpu_usage: { total_usage: 3_000_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 18_000_000_000 },
  memory_stats: { usage: 150_000_000, limit: 2_147_483_648, stats: { inactive_file: 50_000_000 } },
  ...over
})

describe('usage from a stats frame', () => {
  it('counts CPU as docker stats does (100 = one core) and memory without the droppable cache', () => {
    // 1 s of CPU in 2 s of host time over 2 CPUs: one core busy.
    expect(usageFromStats(frame(), 'web', at)).toEqual({ workspace: 'web', cpuPercent: 100, memoryBytes: 100_000_000, memoryLimitBytes: 2_147_483_648, at: '2026-12-03T10:00:00.000Z' })
    const v1 = frame({ memory_stats: { usage: 150_000_000, limit: 2_147_483_648, stats: { total_inactive_file: 20_000_000 } } })
    expect(usageFromStats(v1, 'web', at)?.memoryBytes).toBe(130_000_000)
    const percpu = frame({ cpu_stats: { cpu_usage: { total_usage: 2_500_000_000, percpu_usage: [1, 2, 3, 4] }, system_cpu_usage: 20_000_000_000 } })
    expect(usageFromStats(percpu, 'web', at)?.cpuPercent).toBe(100)
  })

  it('reads a frame without its numbers (first sample, stopped container, garbage) as nothing', () => {
    expect(usageFromStats(frame({ precpu_stats: { cpu_usage: { total_usage: 0 } } }), 'web', at)).toBeUndefined()
    expect(usageFromStats(frame({ memory_stats: {} }), 'web', at)).toBeUndefined()
    expect(usageFromStats({ read: 'x' }, 'web', at)).toBeUndefined()
    expect(usageFromStats('not json', 'web', at)).toBeUndefined()
  })

  it('reports no limit when the engine gives none, and never negative numbers', () => {
    const idle = frame({
      cpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
      memory_stats: { usage: 10, limit: 0, stats: { inactive_file: 50 } }
    })
    expect(usageFromStats(idle, 'web', at)).toEqual({ workspace: 'web', cpuPercent: 0, memoryBytes: 10, at: '2026-12-03T10:00:00.000Z' })
  })
})
