import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import type { MonitorRecord } from '../container/src/protocol'
import { benchLabels, execIn, putFiles, removeContainer } from './containers'
import { BenchFailure, REPO } from './engine'
import { absoluteRow, pairedRow, sleep, type BenchContext, type Benchmark, type BenchResult, type Row } from './harness'

/**
 * Issue 10's history targets. (1) Ingest: the records of one container's log (an app that printed
 * INGEST_LINES lines, with an error and its stack every 1,000) read from the engine, parsed and stored in
 * SQLite in batches, against reading the same log stream from the engine and splitting it into lines (the
 * least any reader does). (2) Queries over 1,000,000 stored lines (5 workspaces of 200,000, the default
 * retention): the errors query and full-text searches, newest page of 200, p50 and p95. (3) Database bytes
 * per stored line (indexes and the full-text index included).
 */

type HistoryModule = typeof import('./history-core')
const INGEST_LINES = 100_000
const STORED_LINES = 1_000_000
const WORKSPACES = 5
const QUERY_RUNS = 200

let historyModule: Promise<HistoryModule> | undefined
function loadHistory(): Promise<HistoryModule> {
  historyModule ??= import('vite')
    .then(({ runnerImport }) => runnerImport<HistoryModule>(join(REPO, 'bench/history-core.ts'), { root: REPO, logLevel: 'warn' }))
    .then((r) => r.module)
  return historyModule
}

const APP = `
let i = 0
function burst() {
  for (let k = 0; k < 500 && i < ${INGEST_LINES}; k++, i++) {
    if (i % 1000 === 999) console.error('TypeError: Cannot read properties of undefined (reading \\'id\\')\\n    at handler (/app/server.js:' + (i % 7) + ':12)\\n    at process (node:internal/process:1:1)')
    else console.log('GET /api/items/' + i + ' 200 ' + (i % 97) + 'ms user=' + (i % 13) + ' cache=' + (i % 2 ? 'hit' : 'miss'))
  }
  if (i < ${INGEST_LINES}) setImmediate(burst)
}
burst()
`

export const history: Benchmark = {
  name: 'history',
  description: 'history ingest rate vs reading the log stream; errors and full-text queries over 1M lines; bytes per line',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const mod = await loadHistory()
    const notes: string[] = []
    const rows: Row[] = [...(await ingestRows(ctx, mod, notes)), ...queryRows(ctx, mod, notes)]
    return { rows, notes }
  }
}

async function ingestRows(ctx: BenchContext, mod: HistoryModule, notes: string[]): Promise<Row[]> {
  const { docker } = ctx
  const container = await docker.createContainer({
    Image: ctx.image,
    name: `sandlot-bench-${ctx.instance.slice('bench-'.length)}-history`,
    Labels: benchLabels(ctx.instance, { 'dev.sandlot.bench': 'history' }),
    Healthcheck: { Test: ['NONE'] },
    HostConfig: { NetworkMode: 'none', LogConfig: { Type: 'json-file', Config: {} } }
  })
  try {
    await putFiles(container, '/tmp', { 'app.js': APP })
    await container.start()
    await waitFor(ctx, container, ['monitor-cli', 'health', '--json'])
    const started = await execIn(docker, container, ['monitor-cli', 'process', 'start', '--command', 'node /tmp/app.js', '--restart', 'never', '--no-ready-pattern', '--json'])
    if (started.exitCode !== 0) throw new BenchFailure(`monitor-cli process start failed: ${(started.stdout + started.stderr).trim()}`)
    ctx.log(`history: the app prints ${INGEST_LINES} lines`)
    await waitForStopped(mod, docker, container)
    const pairs: { value: number; baseline: number }[] = []
    let records = 0
    for (let round = 0; round < ctx.rounds; round++) {
      // Alternating order, so neither side always reads a warm engine cache.
      const first = round % 2 === 0
      const raw = first ? await rawRead(mod, docker, container.id) : undefined
      const ingest = await ingestInto(mod, docker, container.id)
      const rawAfter = raw ?? (await rawRead(mod, docker, container.id))
      records = ingest.records
      pairs.push({ value: ingest.records / ingest.seconds, baseline: rawAfter.lines / rawAfter.seconds })
      ctx.log(`history: round ${round + 1}: ingest ${Math.round(ingest.records / ingest.seconds)} records/s, raw ${Math.round(rawAfter.lines / rawAfter.seconds)} lines/s`)
    }
    notes.push(`history: ingest = read from the engine + parse + store in SQLite (batches of 1,000, one transaction each), ${records} records; raw = the same log read from the engine and split into lines.`)
    return [pairedRow({ bench: 'history', metric: 'ingest rate', unit: 'records/s', baselineName: 'raw log read' }, pairs)]
  } finally {
    await removeContainer(container)
  }
}

async function waitFor(ctx: BenchContext, container: Dockerode.Container, cmd: string[]): Promise<void> {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if ((await execIn(ctx.docker, container, cmd)).exitCode === 0) return
    await sleep(100)
  }
  throw new BenchFailure(`${cmd.join(' ')} did not succeed within 20 s`)
}

async function waitForStopped(mod: HistoryModule, docker: Dockerode, container: Dockerode.Container): Promise<void> {
  const deadline = Date.now() + 300_000
  while (Date.now() < deadline) {
    let done = false
    await mod.readMonitorRecords(docker, container.id, { tail: 5 }, { onRecord: ({ record }) => (done ||= record.type === 'state' && record.to === 'stopped') })
    if (done) return
    await sleep(500)
  }
  throw new BenchFailure('the history app did not finish within 5 minutes')
}

async function rawRead(mod: HistoryModule, docker: Dockerode, id: string): Promise<{ lines: number; seconds: number }> {
  const start = performance.now()
  let lines = 0
  // Streamed as the ingest reads it, without the parsing and storing.
  await mod.readLogLines(docker, id, {}, () => lines++)
  return { lines, seconds: (performance.now() - start) / 1000 }
}

async function ingestInto(mod: HistoryModule, docker: Dockerode, id: string): Promise<{ records: number; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-bench-history-'))
  const database = mod.openDatabase({ file: join(dir, 'sandlot.db'), backupsDir: dir })
  try {
    const writer = new mod.HistoryWriter(database.sqlite)
    let records = 0
    const start = performance.now()
    const batches = new mod.RecordBatches((batch) => {
      writer.write('bench', id, batch)
      records += batch.length
    }, undefined, 0)
    await mod.readMonitorRecords(docker, id, {}, batches.handlers)
    batches.flush()
    return { records, seconds: (performance.now() - start) / 1000 }
  } finally {
    database.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const WORDS = ['cache', 'query', 'request', 'session', 'worker', 'upload', 'render', 'socket', 'token', 'invoice', 'payment', 'report', 'search', 'index', 'queue']

/**
 * A million lines of plausible output in 5 workspaces printing at once (their batches interleave, as live
 * ingest stores them), an error (of 60 kinds) every 500 lines.
 */
function fillHistory(mod: HistoryModule, file: string, dir: string, log: (m: string) => void): { seconds: number } {
  const database = mod.openDatabase({ file, backupsDir: dir })
  const writer = new mod.HistoryWriter(database.sqlite)
  const start = performance.now()
  const perWorkspace = STORED_LINES / WORKSPACES
  const t0 = Date.parse('2030-01-01T00:00:00Z')
  const CHUNK = 1000
  for (let from = 0; from < perWorkspace; from += CHUNK) for (let w = 0; w < WORKSPACES; w++) {
    const boot = `b${w}`.padEnd(16, '0')
    let batch: { dockerTime: string; record: MonitorRecord }[] = []
    for (let i = from; i < Math.min(perWorkspace, from + CHUNK); i++) {
      const ts = new Date(t0 + i * 10).toISOString()
      const word = WORDS[(i * 7 + w) % WORDS.length]!
      const line =
        i % 1000 === 17
          ? `WARN request timeout after ${i % 5000}ms on /api/${word}`
          : i % 3 === 0
            ? `GET /api/${word}/${i} 200 ${i % 97}ms user${i % 1000}`
            : `info ${word} ${i % 2 ? 'slow query' : 'done'} in ${i % 300}ms (${word}-${i % 50})`
      batch.push({ dockerTime: ts, record: { v: 1, boot, seq: i, ts, type: 'log', stream: i % 10 === 0 ? 'stderr' : 'stdout', line, run: 1 } })
      if (i % 500 === 499) {
        const kind = i % 60
        batch.push({
          dockerTime: ts,
          record: {
            v: 1, boot, seq: ++i, ts, type: 'error', category: 'runtime', severity: 'error', message: `TypeError: failure kind ${kind} in ${word}`,
            file: `/app/src/${word}.js`, line: kind, column: 3, stack: `TypeError: failure kind ${kind}\n    at /app/src/${word}.js:${kind}:3`, stream: 'stderr',
            fingerprint: kind.toString(16).padStart(16, '0'), count: 1, firstSeen: ts, lastSeen: ts, run: 1
          }
        })
      }
      if (batch.length >= 1000) {
        writer.write(`ws${w}`, `container${w}`, batch)
        batch = []
      }
    }
    if (batch.length > 0) writer.write(`ws${w}`, `container${w}`, batch)
    if (w === WORKSPACES - 1 && (from + CHUNK) % 200_000 === 0) log(`history: ${(from + CHUNK) * WORKSPACES} lines stored`)
  }
  database.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  database.close()
  return { seconds: (performance.now() - start) / 1000 }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

function queryRows(ctx: BenchContext, mod: HistoryModule, notes: string[]): Row[] {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-bench-history-'))
  try {
    const file = join(dir, 'sandlot.db')
    const fill = fillHistory(mod, file, dir, ctx.log)
    const bytes = statSync(file).size
    const database = mod.openDatabase({ file, backupsDir: dir })
    const lines = (database.sqlite.prepare('SELECT count(*) AS n FROM log_lines').get() as { n: number }).n
    const rows: Row[] = [
      absoluteRow({ bench: 'history', metric: 'database size per stored line', unit: 'bytes', note: `${(bytes / 1048576).toFixed(0)} MiB for ${lines} lines, indexes and full-text index included` }, [bytes / lines]),
      absoluteRow({ bench: 'history', metric: 'bulk store (synthetic lines)', unit: 'lines/s' }, [lines / fill.seconds])
    ]
    try {
      const queries = new mod.HistoryQueries(database.sqlite)
      const time = (what: string, run: (i: number) => unknown): void => {
        const samples: number[] = []
        for (let i = 0; i < QUERY_RUNS; i++) {
          const start = performance.now()
          run(i)
          samples.push(performance.now() - start)
        }
        rows.push(absoluteRow({ bench: 'history', metric: `${what} p50`, unit: 'ms' }, [percentile(samples, 50)]))
        rows.push(absoluteRow({ bench: 'history', metric: `${what} p95`, unit: 'ms' }, [percentile(samples, 95)]))
      }
      time('errors of a workspace', (i) => queries.errors(`ws${i % WORKSPACES}`))
      time('errors of all workspaces', () => queries.errors())
      time('search a common word', (i) => queries.logs({ workspace: `ws${i % WORKSPACES}`, query: WORDS[i % WORDS.length]!, limit: 200 }))
      time('search a rare word', (i) => queries.logs({ workspace: `ws${i % WORKSPACES}`, query: 'timeout', limit: 200 }))
      time('search a phrase', (i) => queries.logs({ workspace: `ws${i % WORKSPACES}`, query: '"slow query"', limit: 200 }))
      time('search a word found nowhere', (i) => queries.logs({ workspace: `ws${i % WORKSPACES}`, query: `absent${i}`, limit: 200 }))
      time('search all workspaces, prefix', (i) => queries.logs({ query: `user${i % 100}*`, limit: 200 }))
      time('newest page of a workspace', (i) => queries.logs({ workspace: `ws${i % WORKSPACES}`, limit: 200 }))
    } finally {
      database.close()
    }
    notes.push(`history: queries over ${lines} stored lines in ${WORKSPACES} workspaces (${QUERY_RUNS} runs each; newest page of 200 with match ranges).`)
    return rows
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
