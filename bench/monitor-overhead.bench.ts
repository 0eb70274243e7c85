import { readFileSync } from 'node:fs'
import type Dockerode from 'dockerode'
import { benchLabels, execIn, putFiles, readFile, readLogs, removeContainer } from './containers'
import { cpuSecondsBetween, StatsRecorder } from './docker-stats'
import { BenchFailure } from './engine'
import { absoluteRow, pairedRow, sleep, type BenchContext, type Benchmark, type BenchResult, type Row } from './harness'
import { findDockerd, findShim, hostPipelineCpu, type HostProcesses } from './host-cpu'

/**
 * The monitor's cost: the same log-heavy app (10,000 lines/s) in two containers of the same core image,
 * one under sandlot-monitor (the image's entrypoint, app started with `monitor-cli process start`),
 * one bare (tini → node app). Both log to Docker's json-file driver, as workspaces do.
 */

const RATE = 10_000 // lines per second
const TICK_MS = 10 // 100 lines every 10 ms
const ERROR_EVERY = 2000 // one error with a 3-line stack trace per 2000 lines (5 a second)
const WARN_PERCENT = Number(process.env.BENCH_WARN_PERCENT ?? 10) // WARN lines on stderr
// From the last setup step to the first line: the app's Node starts, then the engine's once-a-second stats
// reading gives the "before" CPU count while the app idles.
const LEAD_MS = 2500
const HOST_BEFORE_MS = 300 // the "before" reading of dockerd's and the shim's CPU (from /proc, at once)
const SETTLE_MS = 1000 // after the app's last line: the monitor and dockerd drain what is in flight
const APP = readFileSync(new URL('./apps/log-app.cjs', import.meta.url))
const MIB = 1024 * 1024

type Variant = 'monitored' | 'bare'

interface AppResult {
  counters: number
  lines: number
  stdoutLines: number
  stderrLines: number
  errors: number
  firstAt: number
  lastAt: number
  lateStartMs: number
  maxBacklog: number
}

interface Received {
  lines: number
  /** Counters (#n) never seen, seen more than once, and seen after a later one of the same stream. */
  missing: number
  duplicates: number
  outOfOrder: number
  /** Bytes of log payload the engine stored and handed back (what `docker logs` reads). */
  bytes: number
}

interface RecordStats {
  logRecords: number
  errorRecords: number
  /** Error records of severity "warning" (every occurrence of a warning line writes one). */
  warningRecords: number
  otherRecords: number
  seqGaps: number
  notJson: number
  recordsPerSecond: number
  /** The monitor's own diagnostics (its stderr), first lines. */
  diagnostics: string[]
}

interface Measurement {
  variant: Variant
  cpuSeconds: number
  hostCpuSeconds: number | undefined
  memPeakBytes: number
  memMeanBytes: number
  memSamples: number
  /** The reading just before the first line: everything started, nothing printed yet. */
  memIdleBytes: number
  app: AppResult
  received: Received
  records: RecordStats | undefined
}

export const monitorOverhead: Benchmark = {
  name: 'monitor',
  description: `sandlot-monitor's CPU and memory while the app prints ${RATE.toLocaleString('en-US')} lines/s, against the same app run bare`,
  async run(ctx) {
    const windowMs = ctx.windowSeconds * 1000
    const pairs: { monitored: Measurement; bare: Measurement }[] = []
    for (let round = 1; round <= ctx.rounds; round++) {
      // Alternate the order, so a machine that gets busier or quieter during the run favours neither.
      const order: Variant[] = round % 2 === 1 ? ['bare', 'monitored'] : ['monitored', 'bare']
      const got: Partial<Record<Variant, Measurement>> = {}
      for (const variant of order) {
        ctx.log(`monitor: round ${round}/${ctx.rounds}, ${variant} (${ctx.windowSeconds} s at ${RATE} lines/s)`)
        got[variant] = await measure(ctx, variant, round, windowMs)
        ctx.log(`monitor:   ${summary(got[variant]!, windowMs)}`)
      }
      pairs.push({ monitored: got.monitored!, bare: got.bare! })
    }
    return report(pairs, windowMs)
  }
}

async function measure(ctx: BenchContext, variant: Variant, round: number, windowMs: number): Promise<Measurement> {
  const { docker } = ctx
  const container = await docker.createContainer({
    Image: ctx.image,
    name: `sandlot-bench-${ctx.instance.slice('bench-'.length)}-${variant}-${round}`,
    Labels: benchLabels(ctx.instance, { 'dev.sandlot.bench': 'monitor-overhead', 'dev.sandlot.bench-variant': variant }),
    // The image's entrypoint is tini → sandlot-monitor; bare runs the app as tini's child instead.
    ...(variant === 'bare' ? { Entrypoint: ['tini', '--', 'node', '/tmp/app.js'], Cmd: [] } : {}),
    // The image's HEALTHCHECK starts `monitor-cli health` (a Node process, in the container's cgroup) every
    // 15 s; off in both, so a check landing inside one window but not the other cannot skew the comparison.
    Healthcheck: { Test: ['NONE'] },
    HostConfig: { NetworkMode: 'none', LogConfig: { Type: 'json-file', Config: {} } }
  })
  let stats: StatsRecorder | undefined
  try {
    const config = (startAt: number) =>
      JSON.stringify({ startAt, durationMs: windowMs, rate: RATE, tickMs: TICK_MS, errorEvery: ERROR_EVERY, warnPercent: WARN_PERCENT })
    let startAt: number
    if (variant === 'bare') {
      startAt = Date.now() + LEAD_MS
      await putFiles(container, '/tmp', { 'app.js': APP, 'bench-app.json': config(startAt) })
      await container.start()
      stats = await StatsRecorder.follow(container)
    } else {
      await putFiles(container, '/tmp', { 'app.js': APP })
      await container.start()
      stats = await StatsRecorder.follow(container)
      await waitForMonitor(docker, container)
      startAt = Date.now() + LEAD_MS
      await putFiles(container, '/tmp', { 'bench-app.json': config(startAt) })
      const started = await execIn(docker, container, ['monitor-cli', 'process', 'start', '--command', 'node /tmp/app.js', '--restart', 'never', '--no-ready-pattern', '--json'])
      if (started.exitCode !== 0) {
        throw new BenchFailure(`monitor-cli process start failed (exit ${started.exitCode}): ${(started.stdout + started.stderr).trim()}`)
      }
    }
    const setupDone = Date.now()
    if (setupDone > startAt - LEAD_MS / 2) {
      throw new BenchFailure(`setting up the ${variant} container took longer than the ${LEAD_MS} ms lead; the engine is very slow right now, try again`)
    }

    const shimPid = findShim(container.id)
    const socketPath = (docker.modem as { socketPath?: unknown }).socketPath
    const dockerdPid = findDockerd(typeof socketPath === 'string' ? socketPath : undefined)
    const host: HostProcesses | undefined = dockerdPid === undefined ? undefined : { dockerdPid, shimPid }

    await sleep(startAt - HOST_BEFORE_MS - Date.now())
    const hostBefore = host && hostPipelineCpu(host)
    await sleep(startAt + windowMs - Date.now())
    const deadline = Date.now() + Math.max(30_000, windowMs * 3)
    let written: Buffer | undefined
    while (!(written = await readFile(container, '/tmp/bench-result.json'))?.length) {
      if (Date.now() > deadline) {
        const logs = await readLogs(container, 20)
        const tail = (logs.stdout.toString('utf8') + logs.stderr.toString('utf8')).trim().split('\n').slice(-20).join('\n')
        throw new BenchFailure(`the ${variant} app did not finish printing within ${(deadline - startAt) / 1000} s; the container's last output:\n${tail}`)
      }
      await sleep(100)
    }
    const app = JSON.parse(written.toString('utf8')) as AppResult
    await sleep(app.lastAt + SETTLE_MS - Date.now())
    const hostAfter = host && hostPipelineCpu(host)
    // CPU: the engine's last reading before the first line (the app is idle and started by then) to its first
    // reading at least SETTLE_MS after the last line.
    const before = stats.lastBefore(startAt)
    if (!before || before.at < setupDone + 1000) {
      throw new BenchFailure(`the engine gave no stats reading of the ${variant} container between its setup and the first line (it reads them once a second)`)
    }
    const after = await stats.firstAfter(app.lastAt + SETTLE_MS)
    const memory = stats.memory(startAt, app.lastAt)
    stats.stop()

    const logs = await readLogs(container)
    const result: Measurement = {
      variant,
      cpuSeconds: cpuSecondsBetween(before, after),
      hostCpuSeconds: hostBefore === undefined || hostAfter === undefined ? undefined : hostAfter - hostBefore,
      memPeakBytes: memory.peakBytes,
      memMeanBytes: memory.meanBytes,
      memSamples: memory.samples,
      memIdleBytes: before.memoryBytes ?? Number.NaN,
      app,
      received: { lines: 0, missing: 0, duplicates: 0, outOfOrder: 0, bytes: logs.stdout.length + logs.stderr.length },
      records: undefined
    }
    if (variant === 'bare') {
      const streams = [splitLines(logs.stdout), splitLines(logs.stderr)]
      result.received = { ...countCounters(streams, app.counters), lines: streams[0]!.length + streams[1]!.length, bytes: result.received.bytes }
    } else {
      const { records, lines } = readRecords(logs.stdout, logs.stderr)
      result.records = records
      result.received = { ...countCounters([lines.stdout, lines.stderr], app.counters), lines: lines.stdout.length + lines.stderr.length, bytes: result.received.bytes }
    }
    return result
  } finally {
    stats?.stop()
    await removeContainer(container)
  }
}

/** sandlot-monitor answers on its control socket once it is up. */
async function waitForMonitor(docker: Dockerode, container: Dockerode.Container): Promise<void> {
  const deadline = Date.now() + 20_000
  let last = ''
  while (Date.now() < deadline) {
    const health = await execIn(docker, container, ['monitor-cli', 'health', '--json'])
    if (health.exitCode === 0) return
    last = (health.stdout + health.stderr).trim()
    await sleep(100)
  }
  throw new BenchFailure(`sandlot-monitor did not answer within 20 s: ${last}`)
}

function splitLines(buffer: Buffer): string[] {
  const text = buffer.toString('utf8')
  if (text === '') return []
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

const COUNTER = /#(\d+)$/

/** Checks the counters the app put at the end of its lines, per stream (the order across streams is not kept). */
function countCounters(streams: readonly (readonly string[])[], counters: number): Omit<Received, 'lines' | 'bytes'> {
  const seen = new Uint8Array(counters)
  let duplicates = 0
  let outOfOrder = 0
  for (const lines of streams) {
    let previous = -1
    for (const line of lines) {
      const match = COUNTER.exec(line)
      if (!match) continue
      const n = Number(match[1])
      if (n >= counters) continue
      if (seen[n]) duplicates++
      seen[n] = 1
      if (n < previous) outOfOrder++
      previous = n
    }
  }
  let missing = 0
  for (let i = 0; i < counters; i++) if (!seen[i]) missing++
  return { missing, duplicates, outOfOrder }
}

/** The monitor's records, read back from the container log: log lines, record counts, seq gaps, throughput. */
function readRecords(stdout: Buffer, stderr: Buffer): { records: RecordStats; lines: { stdout: string[]; stderr: string[] } } {
  const lines = { stdout: [] as string[], stderr: [] as string[] }
  const records: RecordStats = { logRecords: 0, errorRecords: 0, warningRecords: 0, otherRecords: 0, seqGaps: 0, notJson: 0, recordsPerSecond: 0, diagnostics: [] }
  let boot: string | undefined
  let nextSeq = 0
  let firstLogTs: number | undefined
  let lastLogTs: number | undefined
  for (const text of splitLines(stdout)) {
    let record: { boot?: string; seq?: number; ts?: string; type?: string; stream?: string; line?: string; severity?: string }
    try {
      record = JSON.parse(text) as typeof record
    } catch {
      records.notJson++
      continue
    }
    if (record.boot !== boot) {
      boot = record.boot
      nextSeq = record.seq ?? 0
    }
    if (record.seq !== nextSeq) records.seqGaps++
    nextSeq = (record.seq ?? nextSeq) + 1
    if (record.type === 'log') {
      records.logRecords++
      if (record.stream === 'stderr') lines.stderr.push(record.line ?? '')
      else lines.stdout.push(record.line ?? '')
      const ts = Date.parse(record.ts ?? '')
      firstLogTs ??= ts
      lastLogTs = ts
    } else if (record.type === 'error') {
      records.errorRecords++
      if (record.severity === 'warning') records.warningRecords++
    } else records.otherRecords++
  }
  if (firstLogTs !== undefined && lastLogTs !== undefined && lastLogTs > firstLogTs) {
    records.recordsPerSecond = records.logRecords / ((lastLogTs - firstLogTs) / 1000)
  }
  records.diagnostics = splitLines(stderr).slice(0, 5)
  return { records, lines }
}

/** Lines per second the app managed (it catches up when late, so a slow pipe shows as a lower rate). */
function appRate(app: AppResult): number {
  return app.lines / ((app.lastAt - app.firstAt) / 1000)
}

function summary(m: Measurement, windowMs: number): string {
  const parts = [
    `CPU ${m.cpuSeconds.toFixed(2)} s (${((m.cpuSeconds / (windowMs / 1000)) * 100).toFixed(0)}% of a core)`,
    `memory peak ${(m.memPeakBytes / MIB).toFixed(1)} MiB, mean ${(m.memMeanBytes / MIB).toFixed(1)} MiB`,
    `${m.app.lines} lines at ${appRate(m.app).toFixed(0)}/s`,
    `received ${m.received.lines}`
  ]
  if (m.hostCpuSeconds !== undefined) parts.push(`dockerd+shim ${m.hostCpuSeconds.toFixed(2)} s`)
  if (m.records) parts.push(`${m.records.logRecords} log + ${m.records.errorRecords} error records, ${m.records.recordsPerSecond.toFixed(0)} records/s`)
  return parts.join('; ')
}

function report(pairs: readonly { monitored: Measurement; bare: Measurement }[], windowMs: number): BenchResult {
  const bench = 'monitor'
  const seconds = windowMs / 1000
  const both = (f: (m: Measurement) => number) => pairs.map((p) => ({ value: f(p.monitored), baseline: f(p.bare) }))
  const rows: Row[] = [
    pairedRow({ bench, metric: `container CPU for ${seconds} s at ${RATE / 1000}k lines/s (cgroup)`, unit: 'CPU s', baselineName: 'bare app' }, both((m) => m.cpuSeconds)),
    pairedRow({ bench, metric: 'container CPU', unit: '% of 1 core', baselineName: 'bare app' }, both((m) => (m.cpuSeconds / seconds) * 100)),
    absoluteRow({ bench, metric: 'extra CPU added by the monitor', unit: '% of 1 core' }, pairs.map((p) => ((p.monitored.cpuSeconds - p.bare.cpuSeconds) / seconds) * 100)),
    pairedRow({ bench, metric: 'container memory, peak (without page cache)', unit: 'MiB', baselineName: 'bare app' }, both((m) => m.memPeakBytes / MIB)),
    pairedRow({ bench, metric: 'container memory, mean', unit: 'MiB', baselineName: 'bare app' }, both((m) => m.memMeanBytes / MIB)),
    pairedRow({ bench, metric: 'container memory, idle (app started, before its first line)', unit: 'MiB', baselineName: 'bare app' }, both((m) => m.memIdleBytes / MIB)),
    absoluteRow({ bench, metric: 'extra memory (mean) added by the monitor', unit: 'MiB' }, pairs.map((p) => (p.monitored.memMeanBytes - p.bare.memMeanBytes) / MIB))
  ]
  const host = pairs.every((p) => p.monitored.hostCpuSeconds !== undefined && p.bare.hostCpuSeconds !== undefined)
  if (host) {
    rows.push(pairedRow({ bench, metric: 'engine-side log pipeline CPU (dockerd + shim)', unit: '% of 1 core', baselineName: 'bare app' }, both((m) => (m.hostCpuSeconds! / seconds) * 100)))
  }
  rows.push(
    pairedRow({ bench, metric: 'log volume stored by the engine', unit: 'MiB', baselineName: 'bare app' }, both((m) => m.received.bytes / MIB)),
    pairedRow({ bench, metric: 'lines/s the app achieved', unit: 'lines/s', baselineName: 'bare app' }, both((m) => appRate(m.app))),
    pairedRow(
      { bench, metric: 'monitor record throughput (log records, read back)', unit: 'records/s', baselineName: 'lines/s printed (monitored app)' },
      pairs.map((p) => ({ value: p.monitored.records!.recordsPerSecond, baseline: appRate(p.monitored.app) }))
    ),
    absoluteRow({ bench, metric: 'lines lost, monitored (printed − log records)', unit: 'lines' }, pairs.map((p) => p.monitored.app.lines - p.monitored.received.lines)),
    absoluteRow({ bench, metric: 'lines lost, bare (printed − docker logs lines)', unit: 'lines' }, pairs.map((p) => p.bare.app.lines - p.bare.received.lines))
  )

  const m0 = pairs[0]!.monitored
  const notes = [
    `Each round runs the same app twice from the same core image (NetworkMode none, json-file log), one after the other, order alternating per round: ` +
      `**monitored** (tini → sandlot-monitor, app started with \`monitor-cli process start --restart never\`) and **bare** (tini → node app). ` +
      `The app prints ${m0.app.counters.toLocaleString('en-US')} log entries in ${seconds} s (100 every ${TICK_MS} ms; INFO and DEBUG request logs on stdout, ${WARN_PERCENT}% WARN lines on stderr, ` +
      `one error with a 3-line stack every ${ERROR_EVERY}: ${m0.app.lines.toLocaleString('en-US')} lines). ` +
      `CPU is the container cgroup's total_usage delta between the engine's last stats reading before the first line (the app idles, already started) and its first reading at least ${SETTLE_MS / 1000} s after the last line; ` +
      `"% of 1 core" divides it by the ${seconds} s window. Memory is usage minus page cache, from the engine's stats readings while the app prints (it reads them once a second, so the peak is of about ${seconds} readings). ` +
      `The image's health check is off in both (it would start a \`monitor-cli\` Node process every 15 s). ` +
      `Values are medians over ${pairs.length} rounds; ratios are the median of the per-round monitored/bare ratios.`
  ]
  if (host) {
    notes.push(
      'Engine-side pipeline: CPU of dockerd (reads the container output, writes the json-file log) plus the container\'s containerd shim, from /proc. ' +
        'It is outside the container and shared with anything else using the engine at the time, so it is the noisiest row.'
    )
  } else {
    notes.push('The engine-side pipeline (dockerd + shim CPU) was not measured: the engine does not run on this host or its processes are not readable.')
  }
  const problems: string[] = []
  const timing: string[] = []
  pairs.forEach((p, i) => {
    for (const m of [p.monitored, p.bare]) {
      const lost = m.app.lines - m.received.lines
      if (lost !== 0 || m.received.missing || m.received.duplicates || m.received.outOfOrder) {
        problems.push(
          `round ${i + 1} ${m.variant}: ${lost} lines lost, ${m.received.missing} counters missing, ${m.received.duplicates} duplicated, ${m.received.outOfOrder} out of order`
        )
      }
      if (m.app.lateStartMs > 100) timing.push(`round ${i + 1} ${m.variant}: the app started printing ${m.app.lateStartMs} ms late`)
      if (m.app.maxBacklog > 1000) timing.push(`round ${i + 1} ${m.variant}: the app fell up to ${m.app.maxBacklog} lines behind schedule (a late timer, or its output blocked)`)
      if (m.memSamples < seconds / 2) timing.push(`round ${i + 1} ${m.variant}: only ${m.memSamples} memory readings in ${seconds} s (the engine's stats lagged)`)
      if (m.records && (m.records.seqGaps || m.records.notJson)) {
        problems.push(`round ${i + 1} monitored: ${m.records.seqGaps} seq gaps, ${m.records.notJson} non-JSON stdout lines`)
      }
      if (m.records && m.records.diagnostics.length > 0) problems.push(`round ${i + 1} monitored: monitor stderr: ${m.records.diagnostics.join(' | ')}`)
    }
  })
  const errorRecords = pairs.map((p) => p.monitored.records!.errorRecords)
  notes.push(
    `Monitor records besides log lines: ${errorRecords.join(', ')} error records per round, ` +
      `${pairs.map((p) => p.monitored.records!.warningRecords).join(', ')} of them warnings (the app prints ${m0.app.errors} errors with stacks and ` +
      `${(m0.app.stderrLines - m0.app.errors * 4).toLocaleString('en-US')} WARN lines; every occurrence of an error or warning writes a record); ` +
      `${pairs.map((p) => p.monitored.records!.otherRecords).join(', ')} state/spec records.`
  )
  notes.push(
    problems.length === 0
      ? 'Correctness: in every run each printed line arrived exactly once and in order (per stream), with no seq gaps in the records.'
      : `**Correctness problems:**\n${problems.map((p) => `  - ${p}`).join('\n')}`
  )
  if (timing.length > 0) notes.push(`Timing (a busy machine; the numbers of these runs are less reliable):\n${timing.map((t) => `  - ${t}`).join('\n')}`)
  return { rows, notes }
}
