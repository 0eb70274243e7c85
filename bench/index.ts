// Sandlot's benchmarks: `npm run bench [-- NAME… --rounds N --window SECONDS]`.
// Prints a markdown table on stdout (progress on stderr) and writes bench/results/latest.{md,json}.
// Every ratio compares with a baseline measured in the same run; there are no thresholds: a report, not a test.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { removeInstanceContainers } from './containers'
import { BenchFailure, connectEngine, ensureCoreImage, REPO, type Engine } from './engine'
import { markdownTable, roundsDetails, type Benchmark, type BenchContext, type Row } from './harness'
import { monitorOverhead } from './monitor-overhead.bench'
import { terminalGrid } from './terminal-grid.bench'
import { terminals } from './terminals.bench'
import { history } from './history.bench'
import { historyWindow } from './history-window.bench'
import { workspacePreview } from './workspace-preview.bench'
import { workspaceShell } from './workspace-shell.bench'
import { apiExec } from './api-exec.bench'
import { apiLoad } from './api-load.bench'
import { gitCache } from './git-cache.bench'
import { orchestrator } from './orchestrator.bench'
import { syncLag } from './sync-lag.bench'

const BENCHMARKS: Benchmark[] = [monitorOverhead, workspaceShell, workspacePreview, history, historyWindow, terminals, terminalGrid, apiExec, apiLoad, gitCache, orchestrator, syncLag]

const USAGE = `Usage: npx tsx bench/index.ts [NAME…] [--rounds N] [--window SECONDS]

Runs the named benchmarks (default: all) against the Docker engine Sandlot would use, and prints a
markdown table; bench/results/latest.md and latest.json get the same with the machine's details.

Benchmarks:
${BENCHMARKS.map((b) => `  ${b.name.padEnd(10)} ${b.description}`).join('\n')}

Options:
  --rounds N          measurements per benchmark; values are medians (default 3)
  --window SECONDS    length of each measured window (default 10)
  -h, --help          this text

Environment: SANDLOT_BENCH_IMAGE (use this image, no build), SANDLOT_BENCH_BASE (base image for the
core image build; default: sandlot/base-offline:22-bookworm when present, else Sandlot's default base).
`

const log = (message: string): void => void process.stderr.write(`bench: ${message}\n`)

function usageError(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`)
  process.exit(2)
}

function parseCommandLine(): { benches: Benchmark[]; rounds: number; windowSeconds: number } {
  let parsed
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { rounds: { type: 'string' }, window: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
    })
  } catch (error) {
    usageError((error as Error).message)
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE)
    process.exit(0)
  }
  const unknown = parsed.positionals.filter((name) => !BENCHMARKS.some((b) => b.name === name))
  if (unknown.length > 0) usageError(`no benchmark named ${unknown.map((n) => `"${n}"`).join(', ')}`)
  const benches = parsed.positionals.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => parsed.positionals.includes(b.name))
  const rounds = Number(parsed.values.rounds ?? 3)
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) usageError(`--rounds must be a whole number from 1 to 20, got "${parsed.values.rounds}"`)
  const windowSeconds = Number(parsed.values.window ?? 10)
  if (!Number.isFinite(windowSeconds) || windowSeconds < 1 || windowSeconds > 120) usageError(`--window must be 1 to 120 seconds, got "${parsed.values.window}"`)
  return { benches, rounds, windowSeconds }
}

interface Machine {
  cores: number
  cpuModel: string
  memoryGiB: number
  os: string
  node: string
  engine: { version: string; apiVersion: string; os: string; kernel?: string; cgroupVersion?: string; storageDriver?: string; loggingDriver?: string; cpus?: number; memoryGiB?: number }
  commit?: string
}

async function describeMachine(engine: Engine): Promise<Machine> {
  const info = (await engine.docker.info().catch(() => ({}))) as Record<string, unknown>
  let commit: string | undefined
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    commit = undefined
  }
  const gib = (bytes: number) => Math.round((bytes / 1024 ** 3) * 10) / 10
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: gib(os.totalmem()),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    engine: {
      version: engine.server.serverVersion,
      apiVersion: engine.server.apiVersion,
      os: String(info.OperatingSystem ?? engine.server.os),
      kernel: info.KernelVersion as string | undefined,
      cgroupVersion: info.CgroupVersion as string | undefined,
      storageDriver: info.Driver as string | undefined,
      loggingDriver: info.LoggingDriver as string | undefined,
      cpus: info.NCPU as number | undefined,
      memoryGiB: typeof info.MemTotal === 'number' ? gib(info.MemTotal) : undefined
    },
    commit
  }
}

function machineLine(m: Machine): string {
  const e = m.engine
  return (
    `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory, ${m.os}, Node ${m.node}; ` +
    `Docker engine ${e.version} (API ${e.apiVersion}, ${e.os}${e.cgroupVersion ? `, cgroup v${e.cgroupVersion}` : ''}` +
    `${e.storageDriver ? `, ${e.storageDriver}` : ''}${e.loggingDriver ? `, log driver ${e.loggingDriver}` : ''}` +
    `${e.cpus ? `, ${e.cpus} CPUs / ${e.memoryGiB} GiB seen by the engine` : ''})`
  )
}

async function main(): Promise<number> {
  const { benches, rounds, windowSeconds } = parseCommandLine()
  const started = Date.now()
  let engine: Engine
  try {
    engine = await connectEngine()
  } catch (error) {
    return fail(error)
  }
  const instance = `bench-${randomBytes(4).toString('hex')}`
  let cleaning: Promise<unknown> | undefined
  const cleanup = () => (cleaning ??= removeInstanceContainers(engine.docker, instance))
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: removing this run's containers (${instance})`)
    void cleanup().finally(() => process.exit(130))
  }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)

  const results: { name: string; description: string; rows: Row[]; notes: string[]; error?: string; seconds: number }[] = []
  let failed = false
  try {
    log(`engine ${engine.server.serverVersion} at ${engine.endpoint.url}`)
    const image = await ensureCoreImage(engine.docker, log)
    const ctx: BenchContext = { docker: engine.docker, image, instance, rounds, windowSeconds, log }
    for (const bench of benches) {
      const benchStarted = Date.now()
      try {
        const result = await bench.run(ctx)
        results.push({ name: bench.name, description: bench.description, ...result, seconds: (Date.now() - benchStarted) / 1000 })
      } catch (error) {
        failed = true
        const message = error instanceof BenchFailure ? error.message : ((error as Error).stack ?? String(error))
        log(`${bench.name} failed: ${message}`)
        results.push({ name: bench.name, description: bench.description, rows: [], notes: [], error: message, seconds: (Date.now() - benchStarted) / 1000 })
      } finally {
        await removeInstanceContainers(engine.docker, instance)
      }
    }
    const machine = await describeMachine(engine)
    const totalSeconds = (Date.now() - started) / 1000
    const rows = results.flatMap((r) => r.rows)
    const date = new Date().toISOString()
    const md = [
      `# Sandlot benchmarks`,
      '',
      `- Date: ${date}`,
      `- Machine: ${machineLine(machine)}`,
      `- Image: ${image}${machine.commit ? `; commit ${machine.commit} (plus any uncommitted changes)` : ''}`,
      `- Run: ${benches.map((b) => b.name).join(', ')}; ${rounds} rounds of ${windowSeconds} s; took ${totalSeconds.toFixed(0)} s`,
      '',
      markdownTable(rows),
      '',
      ...results.flatMap((r) => [
        `## ${r.name}: ${r.description} (${r.seconds.toFixed(0)} s)`,
        '',
        ...(r.error ? [`**Failed:** ${r.error}`, ''] : []),
        ...r.notes.flatMap((n) => [n, '']),
        ...(r.rows.some((row) => (row.rounds?.length ?? 0) > 1) ? ['Per round:', '', roundsDetails(r.rows), ''] : [])
      ])
    ].join('\n')
    process.stdout.write(md)
    if (rows.length > 0) {
      const dir = new URL('./results/', import.meta.url)
      mkdirSync(dir, { recursive: true })
      writeFileSync(new URL('latest.md', dir), md)
      writeFileSync(
        new URL('latest.json', dir),
        JSON.stringify({ date, machine, image, rounds, windowSeconds, totalSeconds, benchmarks: results }, null, 2) + '\n'
      )
      log(`wrote bench/results/latest.md and latest.json (${totalSeconds.toFixed(0)} s in all)`)
    } else {
      log('no results: bench/results/ left as it was')
    }
  } catch (error) {
    return fail(error)
  } finally {
    await cleanup()
    engine.close()
  }
  return failed ? 1 : 0
}

function fail(error: unknown): number {
  if (error instanceof BenchFailure) {
    process.stderr.write(`bench: ${error.message}\n${error.hint ? `bench: ${error.hint}\n` : ''}`)
  } else {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`)
  }
  return 1
}

process.exitCode = await main()
