import type { Readable } from 'node:stream'
import type Dockerode from 'dockerode'

/**
 * A container's cgroup counters through the engine (`GET /containers/{id}/stats`). The engine collects
 * them once a second for all containers and answers each request at its next collection (so even a
 * `one-shot` request takes up to a second): the way to get every reading is to follow the stream, and
 * the time of a reading is its `read` field, not when the answer arrived.
 */
export interface StatsSample {
  /** When the engine read the counters (ms since the epoch). */
  at: number
  /** cpu_stats.cpu_usage.total_usage: CPU time of every process in the container's cgroup, in ns. */
  cpuNs: number
  /** Memory in use without the page cache (see memoryInUse), bytes; undefined when the engine reports none. */
  memoryBytes: number | undefined
}

interface RawStats {
  read?: string
  cpu_stats?: { cpu_usage?: { total_usage?: number } }
  memory_stats?: { usage?: number; stats?: Record<string, number | undefined> }
}

/**
 * memory_stats.usage minus the page cache: cgroup v1 reports the cache as `stats.cache`; cgroup v2 has no
 * such key and the reclaimable file pages are `stats.inactive_file`.
 */
export function memoryInUse(stats: RawStats): number | undefined {
  const memory = stats.memory_stats
  if (memory?.usage === undefined) return undefined
  const s = memory.stats ?? {}
  const cache = s.cache !== undefined ? s.cache : (s.inactive_file ?? 0)
  return Math.max(0, memory.usage - cache)
}

export function toSample(stats: RawStats): StatsSample | undefined {
  const cpuNs = stats.cpu_stats?.cpu_usage?.total_usage
  const at = Date.parse(stats.read ?? '')
  // A stopped container reports zeros and the zero time (0001-01-01).
  if (cpuNs === undefined || cpuNs === 0 || !Number.isFinite(at) || at <= 0) return undefined
  return { at, cpuNs, memoryBytes: memoryInUse(stats) }
}

/** CPU seconds the container used between two samples. */
export function cpuSecondsBetween(from: StatsSample, to: StatsSample): number {
  return (to.cpuNs - from.cpuNs) / 1e9
}

export interface MemorySummary {
  peakBytes: number
  meanBytes: number
  samples: number
}

/** Follows a running container's stats stream and keeps every reading (about one a second). */
export class StatsRecorder {
  readonly samples: StatsSample[] = []
  #stream: Readable | undefined
  #error: Error | undefined
  #waiters: (() => void)[] = []

  private constructor(private readonly container: Dockerode.Container) {}

  static async follow(container: Dockerode.Container): Promise<StatsRecorder> {
    const recorder = new StatsRecorder(container)
    const stream = (await container.stats({ stream: true })) as unknown as Readable
    recorder.#stream = stream
    let pending = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      pending += chunk
      let newline: number
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).trim()
        pending = pending.slice(newline + 1)
        if (line === '') continue
        try {
          const sample = toSample(JSON.parse(line) as RawStats)
          if (sample) recorder.samples.push(sample)
        } catch {
          // A torn line cannot happen within one chunk boundary handling above; ignore anything unparsable.
        }
      }
      recorder.#wake()
    })
    const ended = (error?: Error) => {
      recorder.#error ??= error ?? new Error('the stats stream ended')
      recorder.#wake()
    }
    stream.on('error', ended)
    stream.on('end', () => ended())
    stream.on('close', () => ended())
    return recorder
  }

  #wake(): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }

  /** The first reading taken at or after `time` (waits for it, up to `timeoutMs`). */
  async firstAfter(time: number, timeoutMs = 10_000): Promise<StatsSample> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.samples.find((s) => s.at >= time)
      if (found) return found
      if (this.#error) throw new Error(`no stats reading of container ${this.container.id.slice(0, 12)} after ${new Date(time).toISOString()}: ${this.#error.message}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no stats reading of container ${this.container.id.slice(0, 12)} within ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** The last reading taken before `time`. */
  lastBefore(time: number): StatsSample | undefined {
    return this.samples.filter((s) => s.at < time).at(-1)
  }

  /** Peak and mean memory of the readings taken within [from, to]. */
  memory(from: number, to: number): MemorySummary {
    const inWindow = this.samples.filter((s) => s.at >= from && s.at <= to && s.memoryBytes !== undefined).map((s) => s.memoryBytes!)
    if (inWindow.length === 0) throw new Error(`no memory readings of container ${this.container.id.slice(0, 12)} in the measured window`)
    return { peakBytes: Math.max(...inWindow), meanBytes: inWindow.reduce((a, b) => a + b, 0) / inWindow.length, samples: inWindow.length }
  }

  stop(): void {
    this.#stream?.destroy()
  }
}
