import { randomBytes } from 'node:crypto'
import type Dockerode from 'dockerode'
import type { CreatePhase, CreateProgress, Workspace } from '../src-main/core/contract'
import { execInContainer } from '../src-main/core/workspaces/container-exec'
import { BenchFailure } from './engine'
import { absoluteRow, median, pairedRow, sleep, type Benchmark, type BenchResult, type Row } from './harness'
import { httpGet, loadCore, openBenchCore, snapshotContainerDir, waitForMonitor, type BenchCore } from './workspace-support'

/**
 * Time to a ready preview of the React template (issue 5): a workspace of a fresh instance (fresh, empty npm
 * cache volume), then a second workspace of the same instance whose container has no route out of the
 * engine's bridge network: it gets its node_modules from the dependency snapshot the first one left. A third,
 * also cut off, with the snapshot forgotten, shows the fallback: `npm ci` from the warm cache volume alone.
 */

const TEMPLATE = 'react-vite-ts'
const SETTLE_MS = 2000
const PHASES: CreatePhase[] = ['claim', 'inject', 'install', 'start', 'ready']

interface Create {
  totalMs: number
  /** Milliseconds from the create call to the first progress event of each phase. */
  phases: Partial<Record<CreatePhase, number>>
  /** The first install line (which way node_modules came) and the last. */
  installFirst: string
  installLast: string
}

interface Round {
  first: Create
  second: Create
  third: Create
  /** From the first create's end until its dependency snapshot was kept (in the background). */
  snapshotMs: number
  snapshotMiB: number
  cacheEntriesBefore: number
  /** Size of the npm cache volume after the first install: what it downloaded. */
  cacheKiB: number
  cutCheck: string
  /** "http fetch" lines in npm's debug log of each `npm ci` (requests npm made, or tried to make). */
  fetches: { first: number; third: number }
}

export const workspacePreview: Benchmark = {
  name: 'workspace-preview',
  description: `time to a ready preview of the ${TEMPLATE} template: empty npm cache, then a second workspace installing with the network cut off`,
  async run(ctx) {
    const snapshot = snapshotContainerDir()
    try {
      const rounds: Round[] = []
      let imageTag = ''
      for (let round = 1; round <= ctx.rounds; round++) {
        // A fresh data folder every round: a new instance id, so a new, empty npm cache volume.
        const bench = await openBenchCore(snapshot.dir, { size: 1, maxConcurrentCreates: 1 }, ctx.log)
        try {
          imageTag = bench.imageTag
          const result = await measureRound(bench, round)
          rounds.push(result)
          ctx.log(
            `workspace-preview: round ${round}/${ctx.rounds}: empty cache ${(result.first.totalMs / 1000).toFixed(2)} s, ` +
              `snapshot + network cut ${(result.second.totalMs / 1000).toFixed(2)} s, npm ci from the cache + network cut ${(result.third.totalMs / 1000).toFixed(2)} s ` +
              `(install ${phaseMs(result.first, 'install')} → ${phaseMs(result.second, 'install')} / ${phaseMs(result.third, 'install')} ms)`
          )
        } finally {
          await bench.dispose()
        }
      }
      return report(rounds, imageTag, ctx.image)
    } finally {
      snapshot.remove()
    }
  }
}

async function measureRound(bench: BenchCore, round: number): Promise<Round> {
  const { core, docker, imageTag } = bench
  const { poolContainers } = await loadCore()
  const tag = randomBytes(3).toString('hex')

  // 1. Empty caches: a warm pool container of the new instance, whose npm cache volume was just created.
  await core.pool.fill(imageTag)
  const warm = core.database.db.select().from(poolContainers).all()
  if (warm.length !== 1) throw new BenchFailure(`expected one warm pool container after fill, found ${warm.length}`)
  const warmContainer = docker.getContainer(warm[0]!.containerId)
  await waitForMonitor(warmContainer)
  const cache = await execInContainer(warmContainer, ['find', '/home/node/.npm-shared/_cacache/content-v2', '-mindepth', '1', '-maxdepth', '1'])
  const cacheEntriesBefore = cache.stdout.split('\n').filter(Boolean).length
  if (cacheEntriesBefore !== 0) throw new BenchFailure(`the fresh instance's npm cache volume is not empty: ${cache.stdout.trim()}`)
  await sleep(SETTLE_MS)
  const first = await timedCreate(bench, `preview-empty-${tag}-${round}`, warm[0]!.containerId, 'Installing dependencies:')
  const snapshotStart = performance.now()
  await core.snapshots.idle()
  const snapshotMs = Math.round(performance.now() - snapshotStart)
  const { dependencySnapshots } = await loadCore()
  const kept = core.database.db.select().from(dependencySnapshots).all()
  if (kept.length !== 1) throw new BenchFailure(`expected the first workspace to leave one dependency snapshot, found ${kept.length}`)
  const size = await execInContainer(warmContainer, ['du', '-sk', '/home/node/.npm-shared/_cacache/content-v2'])
  const cacheKiB = Number.parseInt(size.stdout, 10)

  // 2. The second workspace: its snapshot copied, in a container without network.
  const cutChecks: string[] = []
  const second = await timedCreate(bench, `preview-offline-${tag}-${round}`, await cutOffPoolContainer(bench, cutChecks), 'Copying the dependencies kept')
  // 3. The same, with the snapshot forgotten: the template's own `npm ci`, from the warm cache volume only.
  core.database.db.delete(dependencySnapshots).run()
  const cutOff = await cutOffPoolContainer(bench, cutChecks)
  const third = await timedCreate(bench, `preview-npmci-${tag}-${round}`, cutOff, 'Installing dependencies:')
  const routes = await execInContainer(docker.getContainer(cutOff), ['route', '-n'])
  if (/^0\.0\.0\.0\s/m.test(routes.stdout)) throw new BenchFailure(`the third workspace's container has a default route again:\n${routes.stdout}`)
  return {
    first,
    second,
    third,
    snapshotMs,
    snapshotMiB: kept[0]!.bytes / 1024 / 1024,
    cacheEntriesBefore,
    cacheKiB,
    cutCheck: [...new Set(cutChecks)].join(', '),
    fetches: { first: await npmFetches(warmContainer), third: await npmFetches(docker.getContainer(cutOff)) }
  }
}

/**
 * A container made as the pool makes one, then cut off: its default route is deleted from inside its network
 * namespace (a throw-away container sharing it, with NET_ADMIN). It stays on the bridge, so its published
 * preview port keeps working, but neither DNS nor the registry is reachable. It then goes into the pool's
 * books exactly as `pool.fill` would put it there, so the next create claims it.
 */
async function cutOffPoolContainer(bench: BenchCore, cutChecks: string[]): Promise<string> {
  const { core, docker, imageTag } = bench
  const { poolContainers } = await loadCore()
  const made = await core.pool.createContainer(imageTag, 'pool', `sandlot-pool-${randomBytes(4).toString('hex')}`)
  const container = docker.getContainer(made.containerId)
  await cutNetwork(docker, bench, made.containerId, imageTag)
  cutChecks.push(await checkCut(container))
  core.database.db.insert(poolContainers).values({ containerId: made.containerId, imageTag, previewPort: made.previewPort ?? null, createdAt: new Date().toISOString() }).run()
  const status = await core.pool.status(imageTag)
  if (status.ready !== 1) throw new BenchFailure(`expected exactly the cut-off container in the pool, found ${status.ready} warm containers`)
  await waitForMonitor(container)
  await sleep(SETTLE_MS)
  return made.containerId
}

/**
 * The requests one workspace's `npm ci` made: npm logs each as "http fetch" in its debug log, which stays in
 * the workspace's own ~/.npm/_logs (only the content store is shared).
 */
async function npmFetches(container: Dockerode.Container): Promise<number> {
  const logs = await execInContainer(container, ['bash', '-c', 'for f in $(grep -l \'argv "ci"\' /home/node/.npm/_logs/*-debug-0.log); do grep -c "http fetch" "$f"; done'])
  const counts = logs.stdout.split('\n').filter(Boolean).map(Number)
  if (counts.length !== 1) throw new BenchFailure(`expected the debug log of one npm ci run in the workspace, found ${counts.length}: ${logs.stdout}${logs.stderr}`)
  return counts[0]!
}

async function cutNetwork(docker: Dockerode, bench: BenchCore, containerId: string, imageTag: string): Promise<void> {
  const helper = await docker.createContainer({
    Image: imageTag,
    name: `sandlot-bench-cut-${randomBytes(3).toString('hex')}`,
    User: 'root',
    Entrypoint: ['route', 'del', 'default'],
    Cmd: [],
    Labels: bench.labels({ 'dev.sandlot.bench-variant': 'network-cut' }),
    Healthcheck: { Test: ['NONE'] },
    HostConfig: { NetworkMode: `container:${containerId}`, CapAdd: ['NET_ADMIN'] }
  })
  try {
    await helper.start()
    const { StatusCode } = (await helper.wait()) as { StatusCode: number }
    if (StatusCode !== 0) throw new BenchFailure(`deleting the default route of ${containerId.slice(0, 12)} failed (exit ${StatusCode})`)
  } finally {
    await helper.remove({ force: true }).catch(() => undefined)
  }
}

/** The registry must be out of reach: curl fails (DNS, or no route). Returns curl's message. */
async function checkCut(container: Dockerode.Container): Promise<string> {
  const probe = await execInContainer(container, ['curl', '-sS', '-m', '5', '-o', '/dev/null', 'https://registry.npmjs.org/react'])
  if (probe.exitCode === 0) throw new BenchFailure('the registry is still reachable from the cut-off container')
  return probe.stderr.trim()
}

/** A timed `workspaces.create`; its install phase must begin with `installVia` (which way it got node_modules). */
async function timedCreate(bench: BenchCore, name: string, expectedContainer: string, installVia: string): Promise<Create> {
  const phases: Create['phases'] = {}
  const install: string[] = []
  const t0 = performance.now()
  const unsubscribe = bench.core.api.subscribe('workspaces.progress', (p: CreateProgress) => {
    if (p.workspace !== name) return
    phases[p.phase] ??= Math.round(performance.now() - t0)
    if (p.phase === 'install') install.push(p.message)
  })
  let workspace: Workspace
  try {
    workspace = await bench.core.api.call('workspaces.create', { template: TEMPLATE, name })
  } finally {
    unsubscribe()
  }
  const totalMs = Math.round(performance.now() - t0)
  if (workspace.containerId !== expectedContainer) throw new BenchFailure(`${name} did not claim the prepared container ${expectedContainer.slice(0, 12)}`)
  if (!install[0]?.startsWith(installVia)) throw new BenchFailure(`${name} did not get its dependencies the expected way ("${installVia}…"): ${install[0] ?? 'no install phase'}`)
  if (!workspace.previewUrl) throw new BenchFailure(`${name} is ready but has no preview URL (container ${workspace.container})`)
  const page = await httpGet(workspace.previewUrl)
  if (page.status !== 200 || !page.body.includes('<div id="root">')) {
    throw new BenchFailure(`${name}'s preview answered ${page.status} without the React page: ${page.body.slice(0, 200)}`)
  }
  return { totalMs, phases, installFirst: install[0]!, installLast: install[install.length - 1]! }
}

/** Milliseconds a phase lasted: from its first progress event to the next phase's (or to the end). */
function phaseMs(c: Create, phase: CreatePhase): number {
  const start = c.phases[phase]
  if (start === undefined) return Number.NaN
  const later = PHASES.slice(PHASES.indexOf(phase) + 1)
    .map((p) => c.phases[p])
    .find((t) => t !== undefined)
  return (later ?? c.totalMs) - start
}

function report(rounds: readonly Round[], imageTag: string, harnessImage: string): BenchResult {
  const bench = 'workspace-preview'
  const s = (v: number) => v / 1000
  const against = (pick: (r: Round) => Create, f: (c: Create) => number) => rounds.map((r) => ({ value: s(f(pick(r))), baseline: s(f(r.first)) }))
  const firstName = 'first workspace, empty npm cache'
  const rows: Row[] = [
    absoluteRow({ bench, metric: `${TEMPLATE}: create → preview answers 200, empty npm cache (fresh instance, pooled container)`, unit: 's' }, rounds.map((r) => s(r.first.totalMs))),
    pairedRow(
      { bench, metric: `${TEMPLATE}: create → preview answers 200, second workspace, network cut off: dependency snapshot copied (pooled container)`, unit: 's', baselineName: firstName },
      against((r) => r.second, (c) => c.totalMs)
    ),
    pairedRow({ bench, metric: 'of which install phase (snapshot copied vs `npm ci`)', unit: 's', baselineName: firstName }, against((r) => r.second, (c) => phaseMs(c, 'install'))),
    pairedRow(
      { bench, metric: 'of which start phase (monitor starts `npm run dev`, Vite until the preview answers)', unit: 's', baselineName: firstName },
      against((r) => r.second, (c) => phaseMs(c, 'start'))
    ),
    pairedRow(
      { bench, metric: 'of which claim + inject (warm container, template into /app)', unit: 's', baselineName: firstName },
      against((r) => r.second, (c) => phaseMs(c, 'claim') + phaseMs(c, 'inject'))
    ),
    pairedRow(
      { bench, metric: `${TEMPLATE}: create → preview answers 200, third workspace, network cut off, no snapshot: \`npm ci\` from the warm cache volume`, unit: 's', baselineName: firstName },
      against((r) => r.third, (c) => c.totalMs)
    ),
    absoluteRow({ bench, metric: 'dependency snapshot kept, in the background after the first is ready (builder + writer containers)', unit: 's' }, rounds.map((r) => s(r.snapshotMs))),
    absoluteRow({ bench, metric: 'snapshot size (node_modules)', unit: 'MiB' }, rounds.map((r) => r.snapshotMiB)),
    absoluteRow({ bench, metric: 'npm cache volume after the first install (what it downloaded)', unit: 'MiB' }, rounds.map((r) => r.cacheKiB / 1024)),
    absoluteRow(
      { bench, metric: 'that download over the whole first install phase (a lower bound of the registry throughput)', unit: 'MiB/s' },
      rounds.map((r) => r.cacheKiB / 1024 / s(phaseMs(r.first, 'install')))
    )
  ]
  const lines = (f: (r: Round) => string) => [...new Set(rounds.map(f))].map((l) => `\`${l}\``).join(', ')
  const notes = [
    `Each of the ${rounds.length} rounds opens a fresh Sandlot core (new temporary data folder: a new instance id, a new, empty npm cache volume (checked), no dependency snapshots) with image ${imageTag}, ` +
      'and creates three workspaces of the template through `core.api.call("workspaces.create")`, each timed from the call until it resolves; it resolves when the monitor reports the app ready ' +
      'and the preview port answers, and the preview was then checked: GET / answers 200 with `<div id="root">`. ' +
      'All take a pooled container (started and settled before the call), so container start-up is in none of the figures and the ratios are about dependencies and the dev server. ' +
      'Earlier workspaces keep running (Vite idle) while the next is created.',
    '**Dependency snapshot**: after the first workspace is ready, Sandlot keeps node_modules for the next workspace with the same lockfile: a builder container installs again from package.json and the lockfile alone ' +
      "(from the now warm cache), a writer container copies the result into the instance's snapshot volume, which workspaces mount read-only. The benchmark waits for that " +
      `(${rounds.map((r) => (r.snapshotMs / 1000).toFixed(1)).join(', ')} s) before the second create, whose install phase is then a copy (its first install line, checked: ${lines((r) => r.second.installFirst)}).`,
    "**Network cut off**: the second and third workspaces' containers are created with `core.pool.createContainer` (the same spec as every pool container), their default route is then deleted from inside their " +
      'network namespace by a throw-away container of the same image (`--network container:<id> --cap-add NET_ADMIN route del default`), and each is put into the pool table as `pool.fill` does, so ' +
      `\`workspaces.create\` claims it. curl to the registry from inside fails before the create (${lines((r) => r.cutCheck)}) ` +
      'and the route is still gone afterwards (checked). `docker network disconnect bridge` was not used: it also removes the published preview port, and reconnecting gives the container a new host port, ' +
      'while the workspace keeps the one it was claimed with, so the preview would never answer.',
    "**Third workspace**: the snapshot row is deleted first, so the template's own `npm ci` runs, offline: the lockfile pins every package with its integrity, and npm takes the tarballs from the cache volume " +
      `by integrity without asking the registry (npm's debug logs, per round: the first install made ${rounds.map((r) => r.fetches.first).join(', ')} HTTP requests, the third ${rounds.map((r) => r.fetches.third).join(', ')}). ` +
      `Last install line, first workspace: ${lines((r) => r.first.installLast)}; third: ${lines((r) => r.third.installLast)}.`,
    `Phases (median ms from the create call to the first progress event of claim / inject / install / start / ready): first ${phaseLine(rounds.map((r) => r.first))}; ` +
      `second ${phaseLine(rounds.map((r) => r.second))}; third ${phaseLine(rounds.map((r) => r.third))}. ` +
      'The workspaces of a round depend on each other (the later ones need the cache and the snapshot the first made), so their order cannot alternate; ratios are medians of the per-round ratios.'
  ]
  if (imageTag !== harnessImage) {
    notes.push(`Note: the workspaces ran ${imageTag} (built by the benchmark's own core from a snapshot of container/), not ${harnessImage} (the harness's image).`)
  }
  return { rows, notes }
}

function phaseLine(creates: readonly Create[]): string {
  return PHASES.map((p) => {
    const values = creates.map((c) => c.phases[p]).filter((v): v is number => v !== undefined)
    return values.length === 0 ? '—' : String(Math.round(median(values)))
  }).join(' / ')
}
