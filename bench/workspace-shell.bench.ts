import { randomBytes } from 'node:crypto'
import { isNull } from 'drizzle-orm'
import { BenchFailure } from './engine'
import { absoluteRow, median, pairedRow, sleep, type BenchContext, type Benchmark, type BenchResult, type Row } from './harness'
import { dockerRunShell, firstOutput, loadCore, ms, openBenchCore, printable, SETTLE_MS, snapshotContainerDir, ttyExecShell, waitForMonitor, type BenchCore } from './workspace-support'

/**
 * Time to the first byte of an interactive shell (issue 5): a pooled workspace, a cold one, and two baselines
 * measured in the same rounds: a raw dockerode TTY exec into a running container of the same image, and
 * `docker run -it --rm` of that image under a pseudo-terminal.
 */

const MIN_ROUNDS = 7 // each round takes seconds: more rounds than the harness default of 3

type PoolTable = Awaited<ReturnType<typeof loadCore>>['poolContainers']
type Step = 'raw' | 'pooled' | 'cold' | 'run'

interface Round {
  raw: { firstByte: number; prompt: number; chunk: string }
  pooled: { create: number; createShell: number; shell: number; prompt: number; chunk: string }
  cold: { create: number; createShell: number; prompt: number; chunk: string }
  run: { firstByte: number; prompt: number; chunk: string }
}

export const workspaceShell: Benchmark = {
  name: 'workspace-shell',
  description: 'time to the first prompt byte of an interactive shell: pooled and cold workspaces, against a raw TTY exec and `docker run -it`',
  async run(ctx) {
    const snapshot = snapshotContainerDir()
    let bench: BenchCore | undefined
    try {
      bench = await openBenchCore(snapshot.dir, { size: 1, maxConcurrentCreates: 1 }, ctx.log)
      return await measureAll(ctx, bench, (await loadCore()).poolContainers)
    } finally {
      await bench?.dispose()
      snapshot.remove()
    }
  }
}

async function measureAll(ctx: BenchContext, bench: BenchCore, poolContainers: PoolTable): Promise<BenchResult> {
  const { core, docker, imageTag } = bench
  const rounds = Math.max(MIN_ROUNDS, ctx.rounds)
  const tag = randomBytes(3).toString('hex')

  // The raw-exec baseline: a plain container of the same image (its own entrypoint, the monitor), no Sandlot.
  const rawContainer = await docker.createContainer({ Image: imageTag, name: `sandlot-bench-${tag}-raw`, Labels: bench.labels({ 'dev.sandlot.bench-variant': 'raw-exec' }) })
  await rawContainer.start()
  await waitForMonitor(rawContainer)

  const results: Round[] = []
  for (let round = 1; round <= rounds; round++) {
    const order: Step[] = round % 2 === 1 ? ['raw', 'pooled', 'cold', 'run'] : ['run', 'cold', 'pooled', 'raw']
    const got: Partial<Round> = {}
    const names: string[] = []
    try {
      for (const step of order) {
        await sleep(SETTLE_MS)
        if (step === 'raw') {
          const t0 = performance.now()
          const shell = await ttyExecShell(rawContainer)
          got.raw = { firstByte: ms(t0, shell.firstByteAt), prompt: ms(t0, shell.promptAt), chunk: shell.firstChunk }
        } else if (step === 'run') {
          const shell = await dockerRunShell(imageTag, `sandlot-bench-${tag}-run-${round}`, bench.labels({ 'dev.sandlot.bench-variant': 'docker-run' }))
          got.run = { firstByte: ms(shell.spawnedAt, shell.firstByteAt), prompt: ms(shell.spawnedAt, shell.promptAt), chunk: shell.firstChunk }
        } else if (step === 'pooled') {
          // A warm container, started and settled, as the pool keeps it between workspaces.
          await core.pool.fill(imageTag)
          const warm = unclaimedPoolContainers(bench, poolContainers)
          if (warm.length !== 1) throw new BenchFailure(`expected one warm pool container after fill, found ${warm.length}`)
          await waitForMonitor(docker.getContainer(warm[0]!))
          await sleep(SETTLE_MS)
          const name = `shell-pooled-${tag}-${round}`
          names.push(name)
          const t0 = performance.now()
          const workspace = await core.api.call('workspaces.create', { template: 'shell', name })
          const created = performance.now()
          if (workspace.containerId !== warm[0]) throw new BenchFailure(`the pooled workspace ${name} did not get the warm container (${workspace.containerId.slice(0, 12)})`)
          // The first session straight after create: what a user who clicks and opens a terminal waits for.
          const first = await sandlotShell(core, name)
          // Then the clean figure for the shell alone, into a settled workspace (`sandlot shell <name>` later on).
          await sleep(SETTLE_MS)
          const t1 = performance.now()
          const again = await sandlotShell(core, name)
          got.pooled = {
            create: ms(t0, created),
            createShell: ms(t0, first.firstByteAt),
            shell: ms(t1, again.firstByteAt),
            prompt: ms(t1, again.promptAt),
            chunk: again.firstChunk
          }
        } else {
          const status = await core.pool.status(imageTag)
          if (status.ready !== 0) throw new BenchFailure(`the pool holds ${status.ready} warm container(s) before the cold create; it must be empty`)
          const name = `shell-cold-${tag}-${round}`
          names.push(name)
          const t0 = performance.now()
          await core.api.call('workspaces.create', { template: 'shell', name })
          const created = performance.now()
          const shell = await sandlotShell(core, name)
          got.cold = { create: ms(t0, created), createShell: ms(t0, shell.firstByteAt), prompt: ms(t0, shell.promptAt), chunk: shell.firstChunk }
        }
      }
    } finally {
      for (const name of names) await core.workspaces.remove(name).catch(() => undefined)
    }
    const r = got as Round
    results.push(r)
    ctx.log(
      `workspace-shell: round ${round}/${rounds}: raw exec ${r.raw.firstByte} ms, pooled shell ${r.pooled.shell} ms (create+shell ${r.pooled.createShell}), ` +
        `cold create+shell ${r.cold.createShell} ms, docker run -it ${r.run.firstByte} ms`
    )
  }
  return report(results, imageTag, ctx.image)
}

/** `sandlot shell <name>` in-process: the workspace's row, then a TTY exec of a login shell (core.workspaces.shell). */
async function sandlotShell(core: BenchCore['core'], name: string) {
  const shell = await core.workspaces.shell(name, { cols: 120, rows: 30 })
  try {
    return await firstOutput(
      (onData) => shell.stream.on('data', (chunk: Buffer) => onData(chunk.toString('utf8'))),
      () => shell.stream.write('exit\n'),
      shell.exit.then(() => undefined),
      '`sandlot shell`'
    )
  } finally {
    shell.stream.destroy()
  }
}

function unclaimedPoolContainers(bench: BenchCore, poolContainers: PoolTable): string[] {
  return bench.core.database.db
    .select()
    .from(poolContainers)
    .where(isNull(poolContainers.claimedBy))
    .all()
    .map((row) => row.containerId)
}

function report(rounds: readonly Round[], imageTag: string, harnessImage: string): BenchResult {
  const bench = 'workspace-shell'
  const pair = (value: (r: Round) => number, baseline: (r: Round) => number) => rounds.map((r) => ({ value: value(r), baseline: baseline(r) }))
  const rows: Row[] = [
    pairedRow(
      { bench, metric: 'pooled workspace: `sandlot shell` first prompt byte (in-process: workspace row + TTY exec of bash -l)', unit: 'ms', baselineName: 'raw dockerode TTY exec, running container' },
      pair((r) => r.pooled.shell, (r) => r.raw.firstByte)
    ),
    pairedRow(
      { bench, metric: 'pooled workspace: create (claims a warm container) + first prompt byte', unit: 'ms', baselineName: '`docker run --rm -it` (pty)' },
      pair((r) => r.pooled.createShell, (r) => r.run.firstByte)
    ),
    pairedRow(
      { bench, metric: 'cold workspace (pool empty): create + first prompt byte', unit: 'ms', baselineName: '`docker run --rm -it` (pty)' },
      pair((r) => r.cold.createShell, (r) => r.run.firstByte)
    ),
    absoluteRow({ bench, metric: 'pooled: workspaces.create of the shell template', unit: 'ms' }, rounds.map((r) => r.pooled.create)),
    absoluteRow({ bench, metric: 'cold: workspaces.create of the shell template', unit: 'ms' }, rounds.map((r) => r.cold.create))
  ]
  const all = rounds.flatMap((r) => [r.raw.chunk, r.pooled.chunk, r.cold.chunk, r.run.chunk])
  const alone = all.filter((c) => !/[$#] ?$/.test(c)).length
  const chunks = [...new Set(rounds.flatMap((r) => [r.raw.chunk, r.pooled.chunk, r.cold.chunk, r.run.chunk]).map((c) => printable(c.replace(/[0-9a-f]{12}/g, '<id>'))))]
  const notes = [
    `Each of the ${rounds.length} rounds measures four things, in alternating order (raw, pooled, cold, docker run; then the reverse), ${SETTLE_MS / 1000} s apart, with image ${imageTag}. ` +
      'The first byte is the first `data` event of the exec stream (or of the pty): a TTY exec of `bash -i` created and started by dockerode ' +
      '(`container.exec({Cmd: ["bash","-i"], Tty, AttachStdin/Stdout/Stderr})`, `exec.start({hijack: true, stdin: true, Tty: true})`), as user node in /app.',
    '**pooled**: `pool.fill` makes one warm container, which settles (its monitor answers, then 1.5 s); `workspaces.create {template: "shell"}` (through core.api) claims it ' +
      '(checked: the workspace got that container). "create + first prompt byte" runs from the create call to the first byte of a shell opened right after it; ' +
      'the "first prompt byte" row is a second shell, ' + `${SETTLE_MS / 1000} s later, ` + 'timed from the call of `core.workspaces.shell(name)` (what `sandlot shell` runs: the database row, then a TTY exec of `sh -c` handing over to `bash -l` in /app) to its first byte, ' +
      'in-process (the CLI\'s own start-up, opening the core and the database, is not included).',
    '**cold**: the same create with an empty pool (checked before each create), so `workspaces.create` creates and starts the container; timed from the create call to the first byte of a shell opened right after it.',
    '**raw exec** (baseline): the same TTY exec straight into a plain, already running container of the same image (started once, monitor up), without Sandlot. ' +
      '**docker run** (baseline): `docker run --rm -i -t --entrypoint bash <image> -i` spawned under node-pty (120×30), timed from the spawn to the first byte the CLI prints.',
    `First output chunks seen (container ids replaced): ${chunks.map((c) => `\`${c}\``).join(', ')}: bash's first write is its bracketed-paste switch, ` +
      `which came alone, before the prompt, in ${alone} of the ${all.length} measured shells (otherwise in one chunk with it). ` +
      `Median time to the complete prompt (output ending in \`$ \`): raw ${median(rounds.map((r) => r.raw.prompt))} ms, pooled ${median(rounds.map((r) => r.pooled.prompt))} ms, ` +
      `cold ${median(rounds.map((r) => r.cold.prompt))} ms (from the create call), docker run ${median(rounds.map((r) => r.run.prompt))} ms.`
  ]
  if (imageTag !== harnessImage) {
    notes.push(`Note: the workspaces ran ${imageTag} (built by the benchmark's own core from a snapshot of container/), not ${harnessImage} (the harness's image).`)
  }
  return { rows, notes }
}
