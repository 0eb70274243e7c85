import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type CDPSession, type Page } from '@playwright/test'
import { testBaseImage } from '../tests/support/core-image'
import { callCore, removeInstanceObjects } from '../tests/e2e/support/instance'
import { ServeProcess } from '../tests/e2e/support/serve'
import { execIn, putFiles } from './containers'
import { BenchFailure, REPO } from './engine'
import { absoluteRow, pairedRow, sleep, type BenchContext, type Benchmark, type BenchResult, type Row } from './harness'
import { CHROMIUM, CHROMIUM_ARGS, pageWindow, type PageWindow } from './terminal-grid.bench'

/**
 * The window while a workspace prints 10,000 lines a second (issue 10): `sandlot serve` with the real engine,
 * a `node-api` workspace whose app is swapped for apps/log-app.cjs, and its page's Logs tab following live in
 * headless Chromium. Per round, a window with the app idle (the baseline), then one with it printing: the
 * page's JS heap and DOM nodes (each after a full GC) at the start and end of the window, long tasks and
 * frames. What grows here grows in a window left open on a chatty app.
 */

const RATE = 10_000
const VIEWPORT = { width: 1600, height: 900 }
/** Where the core's ingest and the page have caught up with the restarted app before a window starts. */
const SETTLE_MS = 3_000

/** node-api's `node --watch server.js` restarts on this write: an HTTP server on the template's port, then the log app. */
const server = (round: number, durationMs: number) => `// history-window bench, round ${round}
import { writeFileSync } from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
http.createServer((req, res) => res.end('ok')).listen(3000, () => {
  console.log('Listening on http://0.0.0.0:3000')
  writeFileSync('/tmp/bench-app.json', JSON.stringify({ rate: ${RATE}, durationMs: ${durationMs}, startAt: Date.now() + 500, tickMs: 10 }))
  createRequire(import.meta.url)('./bench-log-app.cjs')
})
`

interface Snapshot {
  heapBytes: number
  /** Performance.getMetrics' Nodes: every DOM node alive, detached ones included. */
  nodes: number
}

interface Round {
  idle: PageWindow & { start: Snapshot; end: Snapshot }
  streaming: PageWindow & { start: Snapshot; end: Snapshot }
  printed: number
  lastShown: number | undefined
  lastStored: number | undefined
  status: string
}

export const historyWindow: Benchmark = {
  name: 'history-window',
  description: `a workspace's Logs tab in Chromium following an app that prints ${RATE.toLocaleString('en')} lines/s: JS heap, DOM nodes and long tasks, against the same page with the app idle`,
  async run(ctx) {
    if (!existsSync(`${REPO}/out/renderer/index.html`)) throw new BenchFailure('The app is not built: run `npm run build` first (the bench serves the built window).')
    const home = await mkdtemp(join(tmpdir(), 'sandlot-bench-'))
    await writeFile(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 0 } }))
    const serve = await ServeProcess.start({ home })
    const browser = await chromium.launch(existsSync(CHROMIUM) ? { executablePath: CHROMIUM, args: CHROMIUM_ARGS } : {})
    try {
      const name = `bench-logs-${ctx.instance.slice('bench-'.length)}`
      ctx.log(`history-window: creating workspace ${name} (node-api)`)
      const workspace = (await callCore(serve, 'workspaces.create', { template: 'node-api', name })) as { containerId: string }
      const container = ctx.docker.getContainer(workspace.containerId)
      const page = await browser.newPage({ viewport: VIEWPORT })
      await page.goto(`${serve.info.url}#/workspaces/${name}/logs`)
      await page.getByTestId('log-lines').getByTestId('log-line').filter({ hasText: 'Listening on http://' }).first().waitFor({ timeout: 60_000 })
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('Performance.enable')
      const rounds: Round[] = []
      for (let round = 1; round <= ctx.rounds; round++) {
        const seconds = windowSeconds(ctx)
        ctx.log(`history-window: round ${round} of ${ctx.rounds}: idle, then ${RATE} lines/s, ${seconds} s each`)
        const idle = await measured(page, cdp, seconds)
        await execIn(ctx.docker, container, ['rm', '-f', '/tmp/bench-result.json'])
        await putFiles(container, '/app', {
          'bench-log-app.cjs': readFileSync(join(REPO, 'bench/apps/log-app.cjs')),
          'server.js': server(round, SETTLE_MS + seconds * 1000 + 2_000)
        })
        await sleep(SETTLE_MS)
        const streaming = await measured(page, cdp, seconds)
        const result = await appResult(ctx, container)
        // The page's newest line and the core's, read together: a lag in the window or in the ingest.
        const [shown, stored] = await Promise.all([
          page.getByTestId('log-line').allInnerTexts(),
          callCore(serve, 'history.logs', { workspace: name, limit: 100 }) as Promise<{ lines: { line: string }[] }>
        ])
        rounds.push({
          idle,
          streaming,
          printed: result.counters,
          lastShown: newestCounter(shown),
          lastStored: newestCounter(stored.lines.map((line) => line.line)),
          status: (await page.getByTestId('log-status').innerText()).trim()
        })
      }
      return report(ctx, rounds)
    } finally {
      await browser.close()
      await serve.stop()
      await removeInstanceObjects(home)
      await serve.dispose()
    }
  }
}

/** The highest ` #<n>` counter the log app ended a line with. */
function newestCounter(lines: readonly string[]): number | undefined {
  const counters = lines.map((text) => /#(\d+)\s*$/.exec(text)?.[1]).filter((n) => n !== undefined).map(Number)
  return counters.length > 0 ? Math.max(...counters) : undefined
}

/** Twice the run's window (20 s by default): memory that grows needs time to show. */
function windowSeconds(ctx: BenchContext): number {
  return ctx.windowSeconds * 2
}

async function measured(page: Page, cdp: CDPSession, seconds: number): Promise<Round['idle']> {
  const start = await snapshot(cdp)
  const window = await pageWindow(page, seconds)
  const end = await snapshot(cdp)
  return { ...window, start, end }
}

async function snapshot(cdp: CDPSession): Promise<Snapshot> {
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const nodes = metrics.find((metric) => metric.name === 'Nodes')?.value
  if (nodes === undefined) throw new BenchFailure('Chromium reported no Nodes metric (Performance.getMetrics)')
  return { heapBytes: usedSize, nodes }
}

/** What the log app did (it writes this when done); its line counters show whether the page kept up. */
async function appResult(ctx: BenchContext, container: ReturnType<BenchContext['docker']['getContainer']>): Promise<{ counters: number; maxBacklog: number }> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const read = await execIn(ctx.docker, container, ['cat', '/tmp/bench-result.json'])
    if (read.exitCode === 0) return JSON.parse(read.stdout) as { counters: number; maxBacklog: number }
    if (Date.now() > deadline) throw new BenchFailure(`the log app wrote no /tmp/bench-result.json within 30 s after its window: ${read.stderr.trim()}`)
    await sleep(500)
  }
}

const counter = (n: number | undefined) => (n === undefined ? 'none' : `#${n.toLocaleString('en')}`)

function report(ctx: BenchContext, rounds: Round[]): BenchResult {
  const bench = 'history-window'
  const mb = (bytes: number) => bytes / 1024 ** 2
  const streamingName = `${RATE / 1000}k lines/s`
  const rows: Row[] = [
    pairedRow(
      { bench, metric: `JS heap after ${windowSeconds(ctx)} s at ${streamingName} (after GC)`, unit: 'MB', baselineName: 'after the idle window' },
      rounds.map((r) => ({ value: mb(r.streaming.end.heapBytes), baseline: mb(r.idle.end.heapBytes) }))
    ),
    pairedRow(
      { bench, metric: `JS heap at the end of the ${streamingName} window (after GC)`, unit: 'MB', baselineName: 'at its start' },
      rounds.map((r) => ({ value: mb(r.streaming.end.heapBytes), baseline: mb(r.streaming.start.heapBytes) }))
    ),
    pairedRow(
      { bench, metric: `DOM nodes after ${windowSeconds(ctx)} s at ${streamingName}`, unit: 'nodes', baselineName: 'after the idle window' },
      rounds.map((r) => ({ value: r.streaming.end.nodes, baseline: r.idle.end.nodes }))
    ),
    pairedRow(
      { bench, metric: `DOM nodes at the end of the ${streamingName} window`, unit: 'nodes', baselineName: 'at its start' },
      rounds.map((r) => ({ value: r.streaming.end.nodes, baseline: r.streaming.start.nodes }))
    ),
    pairedRow(
      { bench, metric: `frames per second at ${streamingName}`, unit: 'fps', baselineName: 'idle' },
      rounds.map((r) => ({ value: r.streaming.fps, baseline: r.idle.fps }))
    ),
    absoluteRow({ bench, metric: `long tasks over 100 ms at ${streamingName}`, unit: 'tasks' }, rounds.map((r) => r.streaming.over100)),
    absoluteRow({ bench, metric: `longest task at ${streamingName}`, unit: 'ms' }, rounds.map((r) => r.streaming.longestMs)),
    absoluteRow({ bench, metric: 'long tasks over 100 ms, idle', unit: 'tasks' }, rounds.map((r) => r.idle.over100))
  ]
  const notes = [
    `A \`node-api\` workspace of \`sandlot serve\` (real engine) whose app is replaced, through \`node --watch\`, by \`apps/log-app.cjs\` printing ${RATE.toLocaleString('en')} lines/s ` +
      `(request logs, 10% warnings, an error with its stack every 2,000); the page is the workspace's Logs tab, ${VIEWPORT.width}×${VIEWPORT.height}, following live. ` +
      `Each window is ${windowSeconds(ctx)} s; the printing one starts ${SETTLE_MS / 1000} s after the app was swapped. Heap (\`Runtime.getHeapUsage\`) and DOM nodes ` +
      `(\`Performance.getMetrics\`, detached nodes included) are read after a forced full GC.`,
    ...rounds.map(
      (r, index) =>
        `Round ${index + 1}: the app printed ${r.printed.toLocaleString('en')} counted lines; once it stopped, the newest counter on the page was ${counter(r.lastShown)} ` +
        `and in the core's history ${counter(r.lastStored)}; the page said “${r.status}”. ` +
        `Heap ${mb(r.idle.start.heapBytes).toFixed(1)} → ${mb(r.idle.end.heapBytes).toFixed(1)} MB idle, ${mb(r.streaming.start.heapBytes).toFixed(1)} → ${mb(r.streaming.end.heapBytes).toFixed(1)} MB printing; ` +
        `DOM nodes ${r.idle.start.nodes} → ${r.idle.end.nodes} idle, ${r.streaming.start.nodes} → ${r.streaming.end.nodes} printing.`
    )
  ]
  return { rows, notes }
}
