import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadApiToken } from '../src-main/core/api-token'
import type { LogLine } from '../src-main/core/contract'
import { Sandlot, type Sandbox } from '../src-main/sdk'
import { startSandlotServer } from '../src-main/server/sandlot-server'
import { printer, startApp } from '../tests/support/history-fixtures'
import { absoluteRow, collectGarbage, percentile, sleep, type Benchmark } from './harness'
import { openBenchCore, snapshotContainerDir } from './workspace-support'

const CLIENTS = 50
const WORKSPACES = 4
/** Each workspace's app prints this many lines a second for the whole window. */
const LINES_PER_SECOND = 100

type Kind = 'status' | 'exec'

/**
 * Issue 14's load test: 50 concurrent API clients on loopback for three windows (30 s by default) against one
 * `sandlot serve` server in this process, while 4 workspaces print: 20 poll a workspace's status, 15 run short
 * execs, 15 follow a workspace's logs over Server-Sent Events. Reported: requests per second, p50/p99 latency,
 * errors, lines followed and whether each follower got exactly the stored rows (none lost, none twice: checked
 * against the database), and the process's heap and RSS after a full GC before and after the load.
 */
export const apiLoad: Benchmark = {
  name: 'api-load',
  description: '50 concurrent API clients (status polls, short execs, SSE log followers) while 4 workspaces print',
  async run(ctx) {
    const snapshot = snapshotContainerDir()
    const rendererDir = mkdtempSync(join(tmpdir(), 'sandlot-bench-renderer-'))
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Sandlot</title>')
    const bench = await openBenchCore(snapshot.dir, { size: 0, maxConcurrentCreates: 1 }, ctx.log)
    bench.core.startBackgroundWork()
    const server = await startSandlotServer({ api: bench.core.api, host: '127.0.0.1', port: 0, rendererDir, token: () => loadApiToken(bench.core.paths.apiToken) })
    const seconds = ctx.windowSeconds * 3
    try {
      const sandlot = await Sandlot.connect({ url: server.url, token: loadApiToken(bench.core.paths.apiToken) })
      const sandboxes: Sandbox[] = []
      for (let i = 0; i < WORKSPACES; i++) {
        const sandbox = await sandlot.workspaces.create({ template: 'shell', name: `load-${i}-${Date.now().toString(36)}` })
        await sandbox.files.write('app.js', printer(LINES_PER_SECOND * (seconds + 5), { perBurst: LINES_PER_SECOND / 10, everyMs: 100, stay: true }))
        sandboxes.push(sandbox)
        ctx.log(`api-load: workspace ${sandbox.name} ready`)
      }
      await sandboxes[0]!.commands.run('true')
      collectGarbage()
      const before = process.memoryUsage()
      // Followers start after the newest stored row of their workspace, so what they must get is known exactly.
      const starts = await Promise.all(sandboxes.map(async (s) => (await s.logs.list({ limit: 1 })).at(-1)?.id ?? 0))
      for (const sandbox of sandboxes) await startApp(bench.docker.getContainer(sandbox.info.containerId))

      const latencies: Record<Kind, number[]> = { status: [], exec: [] }
      const errors: string[] = []
      const stop = new AbortController()
      const followed: LogLine[][] = []
      const clients: Promise<void>[] = []
      for (let c = 0; c < CLIENTS; c++) {
        const sandbox = sandboxes[c % WORKSPACES]!
        if (c < 20) clients.push(loop('status', () => sandbox.refresh().then(() => undefined)))
        else if (c < 35) clients.push(loop('exec', async () => {
          const result = await sandbox.commands.run('echo ok')
          if (result.exitCode !== 0 || result.stdout !== 'ok\n') throw new Error(`echo answered ${result.exitCode} ${result.stdout}`)
        }))
        else {
          const lines: LogLine[] = []
          followed.push(lines)
          clients.push((async () => {
            try {
              for await (const line of sandbox.logs.follow({ after: starts[c % WORKSPACES]!, signal: stop.signal })) lines.push(line)
            } catch (err) {
              if (!stop.signal.aborted) errors.push(`follow: ${(err as Error).message}`)
            }
          })())
        }
      }
      async function loop(kind: Kind, call: () => Promise<void>): Promise<void> {
        while (!stop.signal.aborted) {
          const t0 = performance.now()
          try {
            await call()
            latencies[kind].push(performance.now() - t0)
          } catch (err) {
            errors.push(`${kind}: ${(err as Error).message}`)
          }
        }
      }
      const started = performance.now()
      await sleep(seconds * 1000)
      // The printers go on: the followers must have every row stored up to now, so wait until they hold them.
      const ends = await Promise.all(sandboxes.map(async (s) => (await s.logs.list({ limit: 1 })).at(-1)?.id ?? 0))
      const requestsStopped = performance.now()
      const caughtUp = (): boolean => followed.every((lines, f) => (lines.at(-1)?.id ?? 0) >= ends[(f + 35) % WORKSPACES]!)
      for (let waited = 0; !caughtUp() && waited < 30_000; waited += 200) await sleep(200)
      stop.abort()
      await Promise.all(clients)
      const elapsed = (requestsStopped - started) / 1000

      // Every follower against the database: exactly the stored rows after its start, in order, none twice.
      let exact = 0
      let lines = 0
      for (const [f, got] of followed.entries()) {
        const w = (f + 35) % WORKSPACES
        const stored = await storedIds(sandboxes[w]!, starts[w]!, ends[w]!)
        const received = got.map((l) => l.id).filter((id) => id <= ends[w]!)
        lines += received.length
        if (received.length === stored.length && received.every((id, i) => id === stored[i])) exact++
        else errors.push(`follower ${f}: ${received.length} lines received, ${stored.length} stored (first difference at ${received.findIndex((id, i) => id !== stored[i])})`)
      }
      for (const sandbox of sandboxes) await sandbox.remove()
      collectGarbage()
      const after = process.memoryUsage()
      const all = [...latencies.status, ...latencies.exec]
      for (const error of errors.slice(0, 10)) ctx.log(`api-load error: ${error}`)
      ctx.log(`api-load: ${all.length} requests in ${elapsed.toFixed(1)} s, ${errors.length} errors, ${exact}/${followed.length} followers exact, ${lines} lines followed`)
      const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10
      return {
        rows: [
          absoluteRow({ bench: 'api-load', metric: 'requests per second (status polls and execs, 35 clients)', unit: 'req/s' }, [all.length / elapsed]),
          absoluteRow({ bench: 'api-load', metric: 'status poll latency p50', unit: 'ms' }, [percentile(latencies.status, 50)]),
          absoluteRow({ bench: 'api-load', metric: 'status poll latency p99', unit: 'ms' }, [percentile(latencies.status, 99)]),
          absoluteRow({ bench: 'api-load', metric: "commands.run('echo ok') latency p50", unit: 'ms' }, [percentile(latencies.exec, 50)]),
          absoluteRow({ bench: 'api-load', metric: "commands.run('echo ok') latency p99", unit: 'ms' }, [percentile(latencies.exec, 99)]),
          absoluteRow({ bench: 'api-load', metric: 'errors (requests, follows, followers not exact)', unit: 'count' }, [errors.length]),
          absoluteRow({ bench: 'api-load', metric: `log lines followed (15 SSE clients, each checked against the database)`, unit: 'lines' }, [lines]),
          absoluteRow({ bench: 'api-load', metric: 'heap after a full GC: after the load minus before', unit: 'MiB' }, [mib(after.heapUsed - before.heapUsed)]),
          absoluteRow({ bench: 'api-load', metric: 'RSS: after the load minus before', unit: 'MiB' }, [mib(after.rss - before.rss)])
        ],
        notes: [
          `api-load: ${CLIENTS} clients for ${seconds} s on loopback, server and clients in one process: 20 poll a workspace (GET /api/workspaces/{name}), 15 run \`echo ok\` (POST …/exec), 15 follow a workspace's logs (SSE) while ${WORKSPACES} workspaces print ${LINES_PER_SECOND} lines/s each; ${exact}/${followed.length} followers received exactly the rows the database holds after their start (none lost, none twice). Memory is the whole process's, clients included, each after a full GC.`
        ]
      }
    } finally {
      await server.close()
      await bench.dispose()
      snapshot.remove()
      rmSync(rendererDir, { recursive: true, force: true })
    }
  }
}

/** The ids of a workspace's stored log lines after `after`, up to `end`, paged. */
async function storedIds(sandbox: Sandbox, after: number, end: number): Promise<number[]> {
  const ids: number[] = []
  for (let cursor = after; ; ) {
    const page = await sandbox.logs.list({ after: cursor, limit: 1000 })
    for (const line of page) if (line.id <= end) ids.push(line.id)
    if (page.length < 1000 || page.at(-1)!.id >= end) return ids
    cursor = page.at(-1)!.id
  }
}
