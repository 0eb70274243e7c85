import { z } from 'zod'
import type { WorkspaceUsage } from '../contract/resources'

/** The fields of an engine stats frame that usage is computed from; anything else in it is ignored. */
const Count = z.number().min(0)
const StatsFrame = z.object({
  cpu_stats: z.object({
    cpu_usage: z.object({ total_usage: Count, percpu_usage: z.array(Count).nullish() }),
    system_cpu_usage: Count.nullish(),
    online_cpus: z.number().int().min(1).nullish()
  }),
  precpu_stats: z.object({
    cpu_usage: z.object({ total_usage: Count }),
    system_cpu_usage: Count.nullish()
  }),
  memory_stats: z
    .object({
      usage: Count.nullish(),
      limit: Count.nullish(),
      stats: z.record(z.string(), z.number()).nullish()
    })
    .nullish()
})

/**
 * Usage from one stats frame, as `docker stats` computes it: the CPU time used between this frame and the
 * previous one over the host's CPU time, times the CPUs (100 = one core busy); memory without the page cache
 * the kernel can drop (cgroup v2 `inactive_file`, v1 `total_inactive_file`). Undefined for a frame without
 * the numbers (the first frame of a stream has no previous sample; a stopped container has none at all).
 */
export function usageFromStats(raw: unknown, workspace: string, at: Date): WorkspaceUsage | undefined {
  const parsed = StatsFrame.safeParse(raw)
  if (!parsed.success) return undefined
  const { cpu_stats: cpu, precpu_stats: pre, memory_stats: memory } = parsed.data
  if (cpu.system_cpu_usage == null || pre.system_cpu_usage == null || memory?.usage == null) return undefined
  const systemDelta = cpu.system_cpu_usage - pre.system_cpu_usage
  const cpuDelta = cpu.cpu_usage.total_usage - pre.cpu_usage.total_usage
  const cpus = cpu.online_cpus ?? cpu.cpu_usage.percpu_usage?.length ?? 1
  const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0
  const cache = memory.stats?.inactive_file ?? memory.stats?.total_inactive_file ?? 0
  const memoryBytes = Math.max(0, Math.round(memory.usage - (cache < memory.usage ? cache : 0)))
  // Without a limit the engine reports the host's memory (or a huge number): say no limit then.
  const limit = memory.limit != null && memory.limit > 0 && memory.limit < 2 ** 53 ? Math.round(memory.limit) : undefined
  return { workspace, cpuPercent: Math.round(cpuPercent * 10) / 10, memoryBytes, ...(limit === undefined ? {} : { memoryLimitBytes: limit }), at: at.toISOString() }
}
