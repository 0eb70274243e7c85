import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MonitorRecord } from '../container/src/protocol'
import { absoluteRow, percentile, sleep, type BenchContext, type Benchmark, type BenchResult, type Row } from './harness'
import { loadOrchestrator, type OrchestratorModule } from './orchestrator.bench'

/**
 * Issue 16's lag target: records written into a desktop's history at a steady 1,000 per second (the history's own
 * writer, in-process, so the rate is the bench's), the desktop's sync service with its default timing sending to
 * an orchestrator listening on loopback (its HTTP server in this process), lag per record = when a poll of the
 * orchestrator's database first sees it minus when the desktop's write of it returned. Target p95 ≤ 2 s.
 */

const RATE = 1000
const TICK_MS = 10
const POLL_MS = 25
const CONTAINER = 'c'.repeat(12) + '0123456789ab'
const BOOT = 'lagbench00000000'

type Target = Parameters<OrchestratorModule['openOrchestratorDatabase']>[0]

export const syncLag: Benchmark = {
  name: 'sync-lag',
  description: 'sync lag at a steady 1,000 records/s: desktop history write to visible in the orchestrator (PGlite and PostgreSQL)',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const mod = await loadOrchestrator()
    // One window per store, twice the usual length (a lag distribution needs the records, not rounds).
    const seconds = ctx.windowSeconds * 2
    const notes = [
      `sync-lag: ${RATE.toLocaleString('en-US')} log records/s for ${seconds} s written with the history's writer into a desktop database (SQLite file, ${TICK_MS} ms ticks), the desktop's SyncService at its default timing (a batch at 500 records or 1 s after the first waiting) sending over HTTP on loopback to the orchestrator's server in this process; lag = first seen by a poll of the orchestrator's database every ${POLL_MS} ms minus the end of the desktop's write (so up to ${POLL_MS} ms is the poll's). Target p95 ≤ 2 s. No baseline: an absolute figure against the target.`
    ]
    const rows: Row[] = []
    const record = (store: string, lags: number[]) => {
      ctx.log(`sync-lag ${store}: ${lags.length} records, p50 ${percentile(lags, 50).toFixed(0)} ms, p95 ${percentile(lags, 95).toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms`)
      for (const [p, label] of [[50, 'p50'], [95, 'p95'], [100, 'max']] as const) {
        rows.push(absoluteRow({ bench: 'sync-lag', metric: `${store}: lag at 1,000 records/s, ${label}`, unit: 's' }, [percentile(lags, p) / 1000]))
      }
    }
    record('PGlite (in memory)', await measureLag(mod, seconds, { folder: undefined }))
    const started = await mod.startPostgresCluster()
    if ('unavailable' in started) {
      notes.push(`sync-lag: PostgreSQL not measured: ${started.unavailable}`)
    } else {
      try {
        record('PostgreSQL 15 (local, fsync off)', await measureLag(mod, seconds, { url: await started.cluster.createDatabase() }))
      } finally {
        started.cluster.stop()
      }
    }
    return { rows, notes }
  }
}

async function measureLag(mod: OrchestratorModule, seconds: number, target: Target): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-sync-lag-'))
  const orchestrator = await mod.openOrchestratorDatabase(target)
  const desktop = mod.openDatabase({ file: join(dir, 'sandlot.db'), backupsDir: dir })
  let server: Awaited<ReturnType<OrchestratorModule['startOrchestratorServer']>> | undefined
  let service: InstanceType<OrchestratorModule['SyncService']> | undefined
  try {
    const { token } = await mod.addToken(orchestrator.db, 'desk', 'host')
    server = await mod.startOrchestratorServer({ db: orchestrator.db, host: '127.0.0.1', port: 0, behindProxy: false, onProblem: () => undefined })
    const url = server.url
    service = new mod.SyncService({
      outbox: new mod.SyncOutbox(desktop.sqlite),
      settings: () => ({ url, token }),
      workspaces: async () => [],
      agent: { hostname: 'desk', version: 'bench' }
    })
    service.start()
    const writer = new mod.HistoryWriter(desktop.sqlite)
    const total = RATE * seconds
    const writtenAt: number[] = []
    const seenAt: number[] = []

    // The writer: every tick, as many records as the rate says are due by now (a late tick catches up).
    const writing = (async () => {
      const start = performance.now()
      while (writtenAt.length < total) {
        const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000))
        if (due > writtenAt.length) {
          const batch = []
          for (let seq = writtenAt.length; seq < due; seq++) {
            const ts = new Date().toISOString()
            const record: MonitorRecord = { v: 1, boot: BOOT, seq, ts, type: 'log', stream: 'stdout', line: `GET /api/items/${seq} 200 ${seq % 97}ms`, run: 1 }
            batch.push({ dockerTime: ts, record })
          }
          const stored = writer.write('bench', CONTAINER, batch)
          const now = performance.now()
          for (let i = 0; i < batch.length; i++) writtenAt.push(now)
          service!.nudge(stored.lines.length)
        }
        await sleep(TICK_MS)
      }
    })()

    // The watcher: what the orchestrator's database holds, by the key index, every POLL_MS.
    const deadline = performance.now() + seconds * 1000 + 30_000
    let hostId: number | undefined
    while (seenAt.length < total) {
      if (performance.now() > deadline) throw new Error(`only ${seenAt.length} of ${total} records reached the orchestrator 30 s after the last was written`)
      await sleep(POLL_MS)
      if (hostId === undefined) {
        const [host] = await orchestrator.db.select({ id: mod.hosts.id }).from(mod.hosts).where(mod.eq(mod.hosts.name, 'desk'))
        hostId = host?.id
        if (hostId === undefined) continue
      }
      const l = mod.logLines
      const rows = await orchestrator.db
        .select({ seq: l.seq })
        .from(l)
        .where(mod.and(mod.eq(l.hostId, hostId), mod.eq(l.container, CONTAINER), mod.eq(l.boot, BOOT), mod.gt(l.seq, seenAt.length - 1)))
      const now = performance.now()
      const seqs = rows.map((r) => r.seq).sort((a, b) => a - b)
      // The outbox sends in row order, so what is new is exactly the next seqs.
      for (const seq of seqs) {
        if (seq !== seenAt.length) throw new Error(`the orchestrator holds seq ${seq} before ${seenAt.length}`)
        seenAt.push(now)
      }
    }
    await writing
    return seenAt.map((seen, seq) => seen - writtenAt[seq]!)
  } finally {
    await service?.stop()
    await server?.close()
    desktop.close()
    await orchestrator.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
