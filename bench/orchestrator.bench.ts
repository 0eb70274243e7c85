import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { SyncBatch } from '../src-main/core/contract/sync'
import { REPO } from './engine'
import { pairedRow, type BenchContext, type Benchmark, type BenchResult, type Row } from './harness'

/**
 * Issue 16's store target: records per second from a batch as a desktop sends it (JSON over the orchestrator's
 * HTTP app: parse, validate, authenticate, store once per key in one transaction) to stored, into PGlite and into
 * PostgreSQL, against a raw bulk insert of the same rows into the same kind of database in the same run (one
 * INSERT … SELECT FROM unnest per batch, no validation, no conflict handling). Target ≥ 0.5×.
 */

export type OrchestratorModule = typeof import('./orchestrator-core')
const RECORDS = 20_000
const PER_BATCH = 2_000

let orchestratorModule: Promise<OrchestratorModule> | undefined
/** Also the sync lag benchmark's (sync-lag.bench.ts): one module graph for both. */
export function loadOrchestrator(): Promise<OrchestratorModule> {
  orchestratorModule ??= import('vite')
    .then(({ runnerImport }) => runnerImport<OrchestratorModule>(join(REPO, 'bench/orchestrator-core.ts'), { root: REPO, logLevel: 'warn' }))
    .then((r) => r.module)
  return orchestratorModule
}

export const orchestrator: Benchmark = {
  name: 'orchestrator',
  description: 'records/s from a sync batch to stored (HTTP app, PGlite and PostgreSQL) vs a raw bulk insert of the same rows',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const mod = await loadOrchestrator()
    const notes: string[] = [
      `${RECORDS.toLocaleString('en-US')} log records in batches of ${PER_BATCH.toLocaleString('en-US')}, each batch a POST /api/sync/batches through the orchestrator's Hono app in-process (JSON parse, zod validation, token lookup by hash, INSERT … ON CONFLICT DO NOTHING in one transaction), into a fresh database; baseline: the same rows with one raw INSERT … SELECT FROM unnest(…) per batch into another fresh database of the same kind. Median of per-round ratios.`
    ]
    const batches = Array.from({ length: RECORDS / PER_BATCH }, (_, i) => mod.logBatch(i * PER_BATCH, PER_BATCH))
    const rows: Row[] = []
    const pglite = await measure(ctx, mod, batches, async () => ({ folder: undefined }))
    rows.push(pairedRow({ bench: 'orchestrator', metric: 'PGlite (in memory): records stored per second via the sync route', unit: 'records/s', baselineName: 'raw bulk insert, same rows' }, pglite))
    const started = await mod.startPostgresCluster()
    if ('unavailable' in started) {
      notes.push(`PostgreSQL not measured: ${started.unavailable}`)
    } else {
      try {
        const postgres = await measure(ctx, mod, batches, async () => ({ url: await started.cluster.createDatabase() }))
        rows.push(pairedRow({ bench: 'orchestrator', metric: 'PostgreSQL 15 (local, fsync off): records stored per second via the sync route', unit: 'records/s', baselineName: 'raw bulk insert, same rows' }, postgres))
      } finally {
        started.cluster.stop()
      }
    }
    return { rows, notes }
  }
}

type Target = Parameters<OrchestratorModule['openOrchestratorDatabase']>[0]

async function measure(ctx: BenchContext, mod: OrchestratorModule, batches: SyncBatch[], target: () => Promise<Target>): Promise<{ value: number; baseline: number }[]> {
  const pairs: { value: number; baseline: number }[] = []
  for (let round = 0; round < ctx.rounds; round++) {
    const value = await viaRoute(mod, batches, await target())
    const baseline = await rawInsert(mod, batches, await target())
    ctx.log(`orchestrator round ${round + 1}: ${Math.round(value)} records/s via the route, ${Math.round(baseline)} raw`)
    pairs.push({ value, baseline })
  }
  return pairs
}

async function viaRoute(mod: OrchestratorModule, batches: SyncBatch[], target: Target): Promise<number> {
  const d = await mod.openOrchestratorDatabase(target)
  try {
    const { token } = await mod.addToken(d.db, 'bench', 'host')
    const app = mod.createOrchestratorApp({ db: d.db, behindProxy: false, peer: () => '127.0.0.1', onProblem: () => undefined })
    const bodies = batches.map((b) => JSON.stringify(b))
    const started = performance.now()
    for (const body of bodies) {
      const response = await app.request('/api/sync/batches', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body })
      if (response.status !== 200) throw new Error(`the sync route answered ${response.status}: ${await response.text()}`)
    }
    return (batches.length * batches[0]!.records.length * 1000) / (performance.now() - started)
  } finally {
    await d.close()
  }
}

async function rawInsert(mod: OrchestratorModule, batches: SyncBatch[], target: Target): Promise<number> {
  const d = await mod.openOrchestratorDatabase(target)
  try {
    await mod.addToken(d.db, 'bench', 'host')
    const started = performance.now()
    for (const batch of batches) {
      const logs = batch.records.flatMap((r) => (r.kind === 'log' ? [r] : []))
      const column = <T>(pick: (r: (typeof logs)[number]) => T) => sql.param(logs.map(pick))
      await d.db.execute(sql`INSERT INTO log_lines (host_id, workspace, container, boot, seq, ts, stream, line, run, truncated)
        SELECT 1, * FROM unnest(${column((r) => r.workspace)}::text[], ${column((r) => r.container)}::text[], ${column((r) => r.boot)}::text[], ${column((r) => r.seq)}::int[],
          ${column((r) => r.ts)}::timestamptz[], ${column((r) => r.stream)}::text[], ${column((r) => r.line)}::text[], ${column((r) => r.run)}::int[], ${column((r) => r.truncated)}::bool[])`)
    }
    return (batches.length * batches[0]!.records.length * 1000) / (performance.now() - started)
  } finally {
    await d.close()
  }
}
