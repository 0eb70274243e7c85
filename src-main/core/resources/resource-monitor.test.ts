import { PassThrough } from 'node:stream'
import type Dockerode from 'dockerode'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ResourceMonitor } from './resource-monitor'

const frame = JSON.stringify({
  cpu_stats: { cpu_usage: { total_usage: 3_000_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 18_000_000_000 },
  memory_stats: { usage: 150_000_000, limit: 2_147_483_648, stats: { inactive_file: 50_000_000 } }
})

/** The database's workspaces: `web` owns container c1. */
const workspaceContainers = (): Map<string, string> => new Map([['c1', 'web']])

/**
 * An engine with one running workspace `web` (a container claimed from the pool: pool labels, no workspace
 * label) and one warm pool container, whose stats streams the test drives; listing can be made to fail.
 */
function fakeEngine() {
  const state = { running: true, listError: undefined as Error | undefined, streams: [] as PassThrough[] }
  const docker = {
    listContainers: async () => {
      if (state.listError) throw state.listError
      const pool = { Id: 'p1', Names: ['/sandlot-pool-b'], Labels: { 'dev.sandlot.role': 'pool' } }
      return state.running ? [{ Id: 'c1', Names: ['/sandlot-pool-a'], Labels: { 'dev.sandlot.role': 'pool' } }, pool] : [pool]
    },
    getContainer: () => ({
      stats: async () => {
        const stream = new PassThrough()
        state.streams.push(stream)
        return stream
      }
    })
  } as unknown as Dockerode
  const engine = <T>(work: (d: Dockerode) => Promise<T>): Promise<T> => work(docker)
  return { state, engine }
}

describe('resource monitor', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('forgets a workspace whose stats stream ended (its container stopped) instead of showing its last sample', async () => {
    const { state, engine } = fakeEngine()
    const monitor = new ResourceMonitor({ instanceId: 'i', workspaceContainers, engine, intervalMs: 2000 })
    const stop = monitor.subscribe(() => undefined)
    await vi.advanceTimersByTimeAsync(0)
    expect(state.streams).toHaveLength(1)
    state.streams[0]!.write(`${frame}\n`)
    await vi.advanceTimersByTimeAsync(0)
    expect(monitor.latest().map((u) => u.workspace)).toEqual(['web'])

    state.running = false
    state.streams[0]!.end()
    await vi.advanceTimersByTimeAsync(0)
    expect(monitor.latest()).toEqual([])
    await vi.advanceTimersByTimeAsync(2000)
    expect(monitor.latest()).toEqual([])
    expect(state.streams).toHaveLength(1)
    stop()
  })

  it('reports a failing listing once per cause, not every tick, and once when it works again', async () => {
    const { state, engine } = fakeEngine()
    const problems: string[] = []
    state.listError = new Error('connect ENOENT /var/run/docker.sock')
    const monitor = new ResourceMonitor({ instanceId: 'i', workspaceContainers, engine, intervalMs: 2000, onProblem: (m) => problems.push(m) })
    const stop = monitor.subscribe(() => undefined)
    await vi.advanceTimersByTimeAsync(6000)
    expect(problems).toEqual(["Reading the workspaces' resource usage failed: connect ENOENT /var/run/docker.sock"])

    state.listError = new Error('engine timed out')
    await vi.advanceTimersByTimeAsync(4000)
    expect(problems).toHaveLength(2)
    expect(problems[1]).toMatch(/engine timed out/)

    state.listError = undefined
    await vi.advanceTimersByTimeAsync(4000)
    expect(problems).toEqual([problems[0], problems[1], "Reading the workspaces' resource usage works again."])
    expect(monitor.latest()).toEqual([])
    stop()
  })
})
